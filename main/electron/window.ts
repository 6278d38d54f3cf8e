/**
 * The app's one window, with the renderer sandboxed and isolated: the page
 * reaches the main process only through the preload's `window.softphone`.
 */
import { BrowserWindow } from 'electron';
import type { Logger } from '../../common/logger.ts';

export interface MainWindowOptions {
  preloadPath: string;
  /** The app page on the app's own scheme (app://softphone/index.html), never a file:// URL. */
  pageUrl: string;
  log: Logger;
  /** False to start hidden in the tray (Settings → Desktop → start hidden). */
  showWhenReady?: boolean;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  // electronegativity: AUXCLICK_JS_CHECK — a middle or shift click on a link goes through the window-open
  // handler like any new window (Electron 12 on), and harden-web-contents.ts denies them all; the advised
  // `disableBlinkFeatures: 'Auxclick'` names no Blink feature today, so it would only look like a fix.
  const browserWindow = new BrowserWindow({
    title: 'Softphone',
    width: 1000,
    height: 720,
    minWidth: 640,
    minHeight: 480,
    // Shown once painted, so the user never sees a blank white frame.
    show: false,
    webPreferences: {
      // electronegativity: PRELOAD_JS_CHECK — our own bundle (dist/preload/preload.cjs), run sandboxed and
      // context-isolated: it hands the page the IPC contract's methods by channel name and nothing of
      // Electron or Node, and main validates every call against the contract (preload/preload.ts).
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
    },
  });
  if (options.showWhenReady ?? true) browserWindow.once('ready-to-show', () => browserWindow.show());
  browserWindow.loadURL(options.pageUrl).catch((error: unknown) => {
    options.log.error({ err: error, pageUrl: options.pageUrl }, 'Could not load the app page');
  });
  return browserWindow;
}
