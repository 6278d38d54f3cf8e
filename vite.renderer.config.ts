import { defineConfig } from 'vite';

/** The renderer: Lit components bundled into dist/renderer, loaded from file:// in Electron. */
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
