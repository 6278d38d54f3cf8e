/**
 * Electron entry point: wires the Electron-free core to a window. Everything
 * with logic of its own lives in main/core; this file only decides the order.
 */
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, Notification, powerMonitor, protocol, safeStorage, session, Tray, utilityProcess } from 'electron';
import { AppUpdates, type Updater } from './app-updates.ts';
import { DesktopPresence } from './desktop-presence.ts';
import { CallLinks } from './call-links.ts';
import { attachCallNotifications } from './call-notifications.ts';
import { eventChannel } from '../../common/ipc-contract.ts';
import { createLogger } from '../../common/logger.ts';
import { APP_PAGE_URL } from '../core/app-files.ts';
import { createIpcRouter, isAppPage, isSamePage, validateEvent } from '../core/ipc-router.ts';
import { createSoftphoneCore, type SoftphoneCore } from '../core/softphone-core.ts';
import { registerAppScheme, serveAppProtocol } from './app-protocol.ts';
import { hardenWebContents } from './harden-web-contents.ts';
import { registerIpcHandlers } from './ipc-main.ts';
import { utilityProcessIvrLauncher } from './ivr-launcher.ts';
import { createSafeStorageSecretStore } from './safe-storage-secret-store.ts';
import { parseLaunchOptions, type LaunchOptions } from './launch-options.ts';
import { preloadPath, rendererDir } from './paths.ts';
import { applyPermissionPolicy } from './permissions.ts';
import { createMainWindow } from './window.ts';

const log = createLogger('main');

/** How long quitting waits for the core to close its sockets before giving up. */
const CORE_STOP_TIMEOUT_MS = 3000;

const isAppPageUrl = (url: string) => isSamePage(APP_PAGE_URL, url);

/** The embedded server's key: in <appData>/Softphone, beside (not inside) the profiles. */
const embeddedServerKeyFile = () => path.join(app.getPath('appData'), 'Softphone', 'embedded-server.key');

function readLaunchOptions(): LaunchOptions | null {
  try {
    return parseLaunchOptions(process.argv.slice(1));
  } catch (error) {
    dialog.showErrorBox('Softphone cannot start', (error as Error).message);
    return null;
  }
}

/**
 * electron-updater, in a packaged app only: unpackaged (`npm start`) there is
 * no release feed and nothing to replace, so development never loads it.
 */
function packagedAppUpdater(): Updater | null {
  if (!app.isPackaged) return null;
  // require, not import(): the main bundle is CommonJS, so the package loads
  // like every other external (and the stand-in tests can answer for it).
  const { autoUpdater } = require('electron-updater') as typeof import('electron-updater');
  return autoUpdater;
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    timer.unref();
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

function run(options: LaunchOptions): void {
  // Before ready, or Chromium will not treat app:// as a secure, standard origin.
  registerAppScheme(protocol);

  // Must happen before anything reads userData (the single-instance lock,
  // sessions, the core's stores), so each profile is a separate app instance.
  if (options.profile !== null) {
    app.setPath('userData', path.join(app.getPath('appData'), 'Softphone', 'profiles', options.profile));
  }

  // The lock lives in the userData folder, so it is per profile: Alice and
  // Bob run side by side, a second Alice just brings the first one forward.
  if (!app.requestSingleInstanceLock()) {
    log.info({ profile: options.profile }, 'Another instance owns this profile; handing over to it');
    app.quit();
    return;
  }

  let mainWindow: BrowserWindow | null = null;
  let core: SoftphoneCore | null = null;
  let coreStopped = false;

  let presence: DesktopPresence | null = null;
  const openWindow = (show = true) => {
    const window = createMainWindow({ preloadPath, pageUrl: APP_PAGE_URL, log, showWhenReady: show });
    mainWindow = window;
    presence?.follow(window);
    const stopNotifications = core ? attachCallNotifications(window, { core, Notification, log }) : () => {};
    window.on('closed', () => {
      stopNotifications();
      mainWindow = null;
    });
  };

  const links = new CallLinks(app, log);
  links.listen(process.argv);

  /** The tray's Show, a notification's click: the window, opened if it was closed, in front. */
  const showWindow = () => {
    if (!mainWindow) openWindow();
    const window = mainWindow!;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };

  app.on('second-instance', (_event, argv) => {
    links.fromSecondInstance(argv);
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  // Before any web contents exists, so none escapes the hardening.
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, isAppPageUrl, log));

  app.on('window-all-closed', () => {
    // macOS apps stay running without windows; the dock icon reopens one.
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    // Only once startup has registered IPC, or the page would call into nothing.
    if (core && !mainWindow) openWindow();
  });

  app.on('will-quit', (event) => {
    if (!core || coreStopped) return;
    // Electron does not wait for promises here: hold the quit until the core
    // has closed its sockets and servers, then quit for real.
    event.preventDefault();
    withTimeout(core.stop(), CORE_STOP_TIMEOUT_MS)
      .catch((error: unknown) => log.error({ err: error }, 'Core did not stop cleanly'))
      .finally(() => {
        coreStopped = true;
        app.quit();
      });
  });

  app
    .whenReady()
    .then(async () => {
      serveAppProtocol(protocol, rendererDir, log);
      applyPermissionPolicy(session.defaultSession, isAppPageUrl, log);

      const userDataDir = app.getPath('userData');
      const started = createSoftphoneCore({
        userDataDir,
        serverUrl: options.serverUrl,
        embeddedPort: options.embeddedPort,
        log,
        // safeStorage works only once the app is ready, which it is here.
        secrets: createSafeStorageSecretStore({ safeStorage, userDataDir, log }),
        // One key per OS user, not per profile: every profile and the demo IVR use the same embedded server.
        localKeyFile: embeddedServerKeyFile(),
        // The demo IVR of the embedded server runs in a utility process of its own.
        launchIvr: utilityProcessIvrLauncher(utilityProcess),
        // The 'system' language setting follows the OS.
        systemLocale: () => app.getLocale(),
      });
      core = started;
      links.attach(started);
      // After sleep the SIP servers have forgotten us and sockets are dead: re-register now, not after a backoff.
      powerMonitor.on('resume', () => started.networkMayHaveChanged());
      const router = createIpcRouter({ handlers: started.handlers, isTrustedSender: isAppPage(APP_PAGE_URL), log });
      registerIpcHandlers(ipcMain, router, log);

      started.onEvent((event, payload) => {
        let checked: unknown;
        try {
          checked = validateEvent(event, payload);
        } catch (error) {
          log.error({ err: error, event }, 'Core emitted an event outside the contract; not forwarded');
          return;
        }
        if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(eventChannel(event), checked);
      });

      // Start first: the page asks for a snapshot as soon as it loads, and
      // the core can only answer once its stores are loaded.
      await started.start();
      const updater = packagedAppUpdater();
      const updates = updater
        ? new AppUpdates({
            updater,
            dialog,
            window: () => mainWindow,
            currentVersion: app.getVersion(),
            translate: () => started.translate(),
            beforeInstall: () => presence?.allowQuit(),
            log: log.child({ component: 'updates' }),
          })
        : null;
      presence = new DesktopPresence({ app, Tray, Menu, nativeImage, core: started, showWindow: () => showWindow(), updates, log });
      await presence.start();
      openWindow(!presence.startHidden(process.argv));
      updates?.checkAtStart();
      log.info({ userData: app.getPath('userData'), options, updates: updates !== null }, 'Softphone started');
    })
    .catch((error: unknown) => {
      log.fatal({ err: error }, 'Softphone failed to start');
      dialog.showErrorBox('Softphone failed to start', (error as Error).message);
      app.exit(1);
    });
}

const launchOptions = readLaunchOptions();
if (launchOptions) run(launchOptions);
else app.exit(2);
