/**
 * Serves the built renderer (dist/renderer) on 127.0.0.1 through the very
 * responder Electron's app:// handler uses (main/core/app-files.ts), so every
 * browser test loads the page with the same files, MIME types and refusals as
 * the app. Only the origin differs: Chromium without Electron cannot be taught
 * the app:// scheme, and getUserMedia needs a secure context, which
 * http://127.0.0.1 is.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { APP_ORIGIN, createAppFileResponder } from '../../main/core/app-files.ts';

export const RENDERER_DIR = path.resolve('dist/renderer');

export async function serveRenderer(): Promise<{ url: string; close(): Promise<void> }> {
  if (!existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    throw new Error('dist/renderer is missing: run `npm run build` first (npm test does).');
  }
  const respond = createAppFileResponder(RENDERER_DIR);
  const server = createServer((req, res) => {
    // The raw request target, undecoded and with its dot segments, as a page could send it.
    respond(new Request(`${APP_ORIGIN}${req.url ?? '/'}`, { method: req.method }))
      .then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      })
      .catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/index.html`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
