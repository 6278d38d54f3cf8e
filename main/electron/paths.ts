/**
 * Where the built pieces sit relative to the built main bundle
 * (dist/main/main.cjs), in the source tree and inside the packaged app alike.
 */
import path from 'node:path';

// The main bundle is CommonJS (see vite.electron.config.ts), so __dirname is
// the folder of dist/main/main.cjs at run time.
const mainBundleDir = __dirname;

/** The sandboxed preload, built as CommonJS because sandboxed preloads cannot be ES modules. */
export const preloadPath = path.join(mainBundleDir, '..', 'preload', 'preload.cjs');

/** The renderer, built by vite.renderer.config.ts; served as app://softphone/ (main/electron/app-protocol.ts). */
export const rendererDir = path.join(mainBundleDir, '..', 'renderer');
