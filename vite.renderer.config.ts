import { defineConfig } from 'vite';

/** The renderer: Lit components bundled into dist/renderer, served as app://softphone/ in Electron (main/electron/app-protocol.ts). */
export default defineConfig({
  root: 'renderer',
  base: './',
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome130',
    sourcemap: true,
  },
});
