/** Serves the built renderer (dist/renderer) on 127.0.0.1, as Vite's preview server does for users. */
import { preview, type PreviewServer } from 'vite';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const RENDERER_DIR = path.resolve('dist/renderer');

export async function serveRenderer(): Promise<{ url: string; close(): Promise<void> }> {
  if (!existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    throw new Error('dist/renderer is missing: run `npm run build` first (npm test does).');
  }
  const server: PreviewServer = await preview({
    configFile: path.resolve('vite.renderer.config.ts'),
    logLevel: 'silent',
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('Renderer server has no port');
  return { url: `http://127.0.0.1:${address.port}/index.html`, close: () => server.close() };
}
