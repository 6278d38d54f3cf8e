/**
 * Where the built pieces sit relative to the built main bundle
 * (dist/main/main.cjs), in the source tree and inside the packaged app alike.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// The main bundle is CommonJS (see vite.electron.config.ts), so __dirname is
// the folder of dist/main/main.cjs at run time.
const mainBundleDir = __dirname;

/** The sandboxed preload, built as CommonJS because sandboxed preloads cannot be ES modules. */
export const preloadPath = path.join(mainBundleDir, '..', 'preload', 'preload.cjs');

/** The renderer's page, built by vite.renderer.config.ts. */
export const pagePath = path.join(mainBundleDir, '..', 'renderer', 'index.html');

/** The URL Chromium reports for the page once loaded with loadFile(pagePath). */
export const pageUrl = pathToFileURL(pagePath).href;
