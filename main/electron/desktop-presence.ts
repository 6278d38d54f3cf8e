/**
 * The app on the desktop beyond its window: the tray icon (menu-bar item on
 * macOS) with presence, Show, do not disturb, updates and Quit; the
 * missed-call badge; closing the window to the tray; starting at login and
 * starting hidden. What the tray says is decided in the core
 * (main/core/desktop/tray-model.ts).
 */
import type { App, BrowserWindow, Menu as ElectronMenu, MenuItemConstructorOptions, nativeImage as ElectronNativeImage, Tray as ElectronTray } from 'electron';
import type { Settings } from '../../common/ipc-contract.ts';
import type { Logger } from '../../common/logger.ts';
import { doNotDisturbOf, trayModel, type TrayAction, type TrayItem } from '../core/desktop/tray-model.ts';
import type { SoftphoneCore } from '../core/softphone-core.ts';
import type { AppUpdates } from './app-updates.ts';
import trayIcon from './tray-icon.png?inline';

/** What the login item starts the app with when it should stay in the tray. */
export const HIDDEN_FLAG = '--hidden';

export interface DesktopPresenceDeps {
  app: App;
  Tray: typeof ElectronTray;
  Menu: typeof ElectronMenu;
  nativeImage: typeof ElectronNativeImage;
  core: Pick<SoftphoneCore, 'handlers' | 'onEvent' | 'translate'>;
  /** Shows (or opens) the window and brings it forward. */
  showWindow(): void;
  /** Updates in a packaged app; null where they are off (development). */
  updates: Pick<AppUpdates, 'menuItem' | 'menuItemClicked' | 'onChange'> | null;
  log: Logger;
}

export class DesktopPresence {
  private tray: ElectronTray | null = null;
  /** Set once the user chose Quit: closing the window then really closes it. */
  private quitting = false;
  private settings: Settings | null = null;

  constructor(private readonly deps: DesktopPresenceDeps) {
    deps.app.on('before-quit', () => {
      this.quitting = true;
    });
  }

  async start(): Promise<void> {
    const { Tray, nativeImage, core, showWindow, updates } = this.deps;
    this.tray = new Tray(nativeImage.createFromDataURL(trayIcon));
    // Windows and Linux open the window on a click; macOS shows the menu.
    this.tray.on('click', () => showWindow());
    core.onEvent((event) => {
      if (event === 'connection' || event === 'settings' || event === 'history') void this.refresh();
    });
    updates?.onChange(() => void this.refresh());
    await this.refresh();
  }

  /**
   * Quitting into an update's installer: on macOS it closes the windows
   * before 'before-quit', so they must close rather than hide to the tray.
   */
  allowQuit(): void {
    this.quitting = true;
  }

  /** Whether the window should start hidden: started with --hidden (at login), or the setting. */
  startHidden(argv: readonly string[]): boolean {
    return argv.includes(HIDDEN_FLAG) || (this.settings?.desktop.startMinimized ?? false);
  }

  /** The window's close button: hide to the tray instead, unless quitting or the setting is off. */
  follow(window: BrowserWindow): void {
    window.on('close', (event) => {
      if (this.quitting || !this.settings?.desktop.closeToTray || !this.tray) return;
      event.preventDefault();
      window.hide();
    });
  }

  private async refresh(): Promise<void> {
    const { app, Menu, core, log } = this.deps;
    const snapshot = await core.handlers.getSnapshot();
    const previous = this.settings?.desktop;
    this.settings = snapshot.settings;
    const model = trayModel({
      connection: snapshot.connection.status,
      signedInAs: snapshot.connection.signedInAs,
      doNotDisturb: snapshot.settings.desktop.doNotDisturb,
      unseenMissed: snapshot.history.unseenMissed,
      update: this.deps.updates?.menuItem() ?? null,
      t: core.translate(),
    });
    this.tray?.setToolTip(model.tooltip);
    this.tray?.setContextMenu(Menu.buildFromTemplate(model.items.map((item) => this.menuItem(item))));
    // Dock (macOS) and Unity launcher badges; elsewhere Electron ignores it.
    app.setBadgeCount(model.badgeCount);
    const { startAtLogin, startMinimized } = snapshot.settings.desktop;
    if (previous?.startAtLogin !== startAtLogin || previous?.startMinimized !== startMinimized) {
      try {
        // A start at login with --hidden stays in the tray (macOS 13+ has no "open as hidden" of its own).
        app.setLoginItemSettings({ openAtLogin: startAtLogin, args: startMinimized ? [HIDDEN_FLAG] : [] });
      } catch (error) {
        log.warn({ err: error }, 'could not change the start-at-login setting');
      }
    }
  }

  private menuItem(item: TrayItem): MenuItemConstructorOptions {
    switch (item.kind) {
      case 'separator':
        return { type: 'separator' };
      case 'info':
        return { label: item.label, enabled: false };
      case 'choice':
        return { label: item.label, type: 'radio', checked: item.checked, click: () => this.act(item.action) };
      case 'action':
        return { label: item.label, enabled: item.enabled ?? true, click: () => this.act(item.action) };
    }
  }

  private act(action: TrayAction): void {
    if (action === 'show') return this.deps.showWindow();
    if (action === 'quit') return this.deps.app.quit();
    if (action === 'updates') return this.deps.updates?.menuItemClicked();
    const doNotDisturb = doNotDisturbOf(action);
    if (doNotDisturb) void this.deps.core.handlers.updateSettings({ desktop: { doNotDisturb } });
  }
}
