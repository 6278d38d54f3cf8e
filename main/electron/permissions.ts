/**
 * Which web permissions the app grants, as one table.
 *
 * The app's own page gets what a softphone needs (microphone and camera,
 * choosing the speaker, full-screen video) and nothing else. Any other page
 * (one we never load, but might by mistake) and any subframe get nothing.
 */
import type { Session } from 'electron';
import type { Logger } from '../../common/logger.ts';

/** true: granted to the app page. Anything missing from this table is denied. */
export const APP_PAGE_PERMISSIONS: Readonly<Record<string, boolean>> = Object.freeze({
  // Allowed
  media: true, // microphone and camera for calls, and device labels in enumerateDevices
  'speaker-selection': true, // selectAudioOutput / setSinkId to pick the speaker
  fullscreen: true, // full-screen video call

  // Denied (listed to show they were considered)
  'display-capture': false, // no screen sharing yet
  notifications: false, // the page shows no web notifications
  geolocation: false,
  openExternal: false, // links never leave the app page
  'clipboard-read': false,
  midi: false,
  midiSysex: false,
  pointerLock: false,
  keyboardLock: false,
  hid: false,
  serial: false,
  usb: false,
  'idle-detection': false,
  'window-management': false,
  'storage-access': false,
  'top-level-storage-access': false,
  fileSystem: false,
});

export interface PermissionQuery {
  permission: string;
  /** The URL of the frame asking; absent when Chromium does not say (cross-origin subframes). */
  requestingUrl: string | undefined;
  isMainFrame: boolean;
}

/** The whole policy in one function, so it is testable without Electron. */
export function isPermissionGranted(isAppPageUrl: (url: string) => boolean, query: PermissionQuery): boolean {
  if (APP_PAGE_PERMISSIONS[query.permission] !== true) return false;
  if (!query.isMainFrame || query.requestingUrl === undefined) return false;
  return isAppPageUrl(query.requestingUrl);
}

export function applyPermissionPolicy(session: Session, isAppPageUrl: (url: string) => boolean, log: Logger): void {
  session.setPermissionRequestHandler((_webContents, permission, callback, details) => {
    const query = { permission, requestingUrl: details.requestingUrl, isMainFrame: details.isMainFrame };
    const granted = isPermissionGranted(isAppPageUrl, query);
    if (!granted) log.warn(query, 'Permission request denied');
    callback(granted);
  });

  // Chromium checks before it asks (and enumerateDevices only checks), so the
  // check handler must follow the same table or media would half-work.
  session.setPermissionCheckHandler((_webContents, permission, _requestingOrigin, details) =>
    isPermissionGranted(isAppPageUrl, {
      permission,
      requestingUrl: details.requestingUrl,
      isMainFrame: details.isMainFrame,
    }),
  );

  // WebHID, Web Serial and WebUSB devices: a softphone needs none.
  session.setDevicePermissionHandler(() => false);
}
