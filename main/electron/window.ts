/**
 * The app's one window, with the renderer sandboxed and isolated: the page
 * reaches the main process only through the preload's `window.softphone`.
 */
import { BrowserWindow } from 'electron';
import type { Logger } from '../../common/logger.ts';

export interface MainWindowOptions {
  preloadPath: string;
  pagePath: string;
  log: Logger;
  /** False to start hidden in the tray (Settings → Desktop → start hidden). */
  showWhenReady?: boolean;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const browserWindow = new BrowserWindow({
    title: 'Softphone',
    width: 1000,
    height: 720,
    minWidth: 640,
    minHeight: 480,
    // Shown once painted, so the user never sees a blank white frame.
    show: false,
    webPreferences: {
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
  browserWindow.loadFile(options.pagePath).catch((error: unknown) => {
    options.log.error({ err: error, pagePath: options.pagePath }, 'Could not load the app page');
  });
  return browserWindow;
}
