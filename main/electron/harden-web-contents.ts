/**
 * Locks down every web contents the app creates (applied from
 * app.on('web-contents-created'), so nothing can slip past): no new windows,
 * no navigating away from the app page, no <webview>.
 */
import type { WebContents } from 'electron';
import type { Logger } from '../../common/logger.ts';

export function hardenWebContents(
  contents: WebContents,
  isAppPageUrl: (url: string) => boolean,
  log: Logger,
): void {
  contents.setWindowOpenHandler(({ url }) => {
    log.warn({ url }, 'Blocked an attempt to open a new window');
    return { action: 'deny' };
  });

  const stayOnAppPage = (event: Electron.Event<{ url: string }>) => {
    if (isAppPageUrl(event.url)) return;
    log.warn({ url: event.url }, 'Blocked navigation away from the app page');
    event.preventDefault();
  };
  contents.on('will-navigate', stayOnAppPage);
  contents.on('will-redirect', stayOnAppPage);

  contents.on('will-attach-webview', (event) => {
    log.warn('Blocked a <webview>');
    event.preventDefault();
  });
}
