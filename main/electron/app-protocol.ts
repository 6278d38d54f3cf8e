/**
 * The app's own scheme, `app://softphone`: the page is served from it, not
 * from file:// (where `script-src 'self'` would match any local file and the
 * page would share an opaque origin with every other file).
 *
 * Registered as privileged before `ready` (a standard, secure origin that may
 * use fetch, getUserMedia and the like); served after `ready` by the
 * Electron-free responder in main/core/app-files.ts.
 */
import type { Protocol } from 'electron';
import type { Logger } from '../../common/logger.ts';
import { APP_SCHEME, createAppFileResponder } from '../core/app-files.ts';

/** Must run before the app is ready: Chromium fixes its scheme table at startup. */
export function registerAppScheme(protocol: Protocol): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      // standard: real origin, relative URLs and host parsing like https;
      // secure: a secure context (getUserMedia, setSinkId); supportFetchAPI:
      // the page may fetch() its own files; codeCache: V8 keeps the compiled
      // renderer between starts, as it does for https (every start after the
      // first draws its window sooner). Nothing that bypasses CSP or opens the
      // scheme to other origins (no bypassCSP, no corsEnabled).
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

/** Serves `rendererDir` (and only it) under app://softphone; after `ready`. */
export function serveAppProtocol(protocol: Protocol, rendererDir: string, log: Logger): void {
  protocol.handle(
    APP_SCHEME,
    createAppFileResponder(rendererDir, (url, status) => log.warn({ url, status }, 'Refused an app:// request')),
  );
}
