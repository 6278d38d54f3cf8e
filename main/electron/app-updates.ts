/**
 * The Electron side of updates: electron-updater reads the GitHub releases
 * feed (electron-builder writes it into the package as app-update.yml from
 * the `publish` entry of electron-builder.yml), and what the core's policy
 * (main/core/updates/update-policy.ts) decides becomes a download, a dialog
 * or a restart into the installer.
 *
 * The updater is passed in: main.ts gives electron-updater's `autoUpdater`,
 * loaded only in a packaged app (unpackaged, it checks nothing and sends no
 * event); tests give a stand-in.
 */
import type { BrowserWindow, Dialog, MessageBoxOptions } from 'electron';
import type { AppUpdater } from 'electron-updater';
import type { Translate } from '../../common/i18n/index.ts';
import type { Logger } from '../../common/logger.ts';
import { UpdatePolicy, type UpdateMenuItem, type UpdateStep, type UpdaterEvent } from '../core/updates/update-policy.ts';

export type Updater = Pick<AppUpdater, 'autoDownload' | 'autoInstallOnAppQuit' | 'logger' | 'on' | 'checkForUpdates' | 'downloadUpdate' | 'quitAndInstall'>;

export interface AppUpdatesDeps {
  updater: Updater;
  dialog: Pick<Dialog, 'showMessageBox'>;
  /** The app's window, if it has one open. */
  window(): BrowserWindow | null;
  /** The running version (app.getVersion()). */
  currentVersion: string;
  translate(): Translate;
  /** Just before quitting into the installer: windows must really close (not hide to the tray). */
  beforeInstall(): void;
  log: Logger;
}

const RESTART = 0;

export class AppUpdates {
  private readonly policy: UpdatePolicy;
  private readonly changeListeners = new Set<() => void>();

  constructor(private readonly deps: AppUpdatesDeps) {
    const { updater, log } = deps;
    // Downloads start when the policy says so. Installing on quit stays off:
    // electron-updater arms it when a download completes, before the user
    // could answer, and on macOS Squirrel would then install on any quit.
    updater.autoDownload = false;
    updater.autoInstallOnAppQuit = false;
    updater.logger = log;
    this.policy = new UpdatePolicy(deps.currentVersion, deps.translate);
    updater.on('checking-for-update', () => this.follow({ kind: 'checking' }));
    updater.on('update-not-available', (info) => this.follow({ kind: 'none', version: info.version }));
    updater.on('update-available', (info) => this.follow({ kind: 'available', version: info.version }));
    updater.on('update-downloaded', (info) => this.follow({ kind: 'downloaded', version: info.version }));
    updater.on('error', (error) => {
      log.warn({ err: error }, 'Update failed');
      const code = (error as { code?: unknown }).code;
      this.follow({ kind: 'error', error: { message: String(error?.message ?? error), ...(typeof code === 'string' ? { code } : {}) } });
    });
  }

  /** The check at start: it speaks only when there is something to install. */
  checkAtStart(): void {
    this.run(this.policy.check('start'));
  }

  /** The tray's update item was clicked: check (and answer), or ask again to restart. */
  menuItemClicked(): void {
    this.run(this.policy.check('user'));
  }

  menuItem(): UpdateMenuItem {
    return this.policy.menuItem();
  }

  /** Called whenever the menu item may read differently. */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => void this.changeListeners.delete(listener);
  }

  private follow(event: UpdaterEvent): void {
    this.run(this.policy.updaterEvent(event));
  }

  private run(steps: UpdateStep[]): void {
    for (const step of steps) this.carryOut(step);
    for (const listener of this.changeListeners) listener();
  }

  private carryOut(step: UpdateStep): void {
    const { updater, log } = this.deps;
    switch (step.kind) {
      case 'check':
        // Failures also arrive as an 'error' event, which is what the policy hears.
        updater.checkForUpdates().catch((error: unknown) => log.debug({ err: error }, 'update check rejected'));
        return;
      case 'download':
        updater.downloadUpdate().catch((error: unknown) => log.debug({ err: error }, 'update download rejected'));
        return;
      case 'tell':
        void this.showMessage({ type: step.level, message: step.message, detail: step.detail, buttons: [step.ok] });
        return;
      case 'ask-restart':
        void this.showMessage({ type: 'question', message: step.message, detail: step.detail, buttons: [step.restart, step.later], defaultId: RESTART, cancelId: 1 }).then(
          (response) => this.run(this.policy.restartAnswer(response === RESTART ? 'restart' : 'later')),
        );
        return;
      case 'install':
        this.deps.beforeInstall();
        updater.quitAndInstall();
        return;
    }
  }

  /** Resolves with the index of the button pressed. */
  private async showMessage(options: MessageBoxOptions): Promise<number> {
    const window = this.deps.window();
    // Over the window only when it can be seen: a sheet on a window hidden in the tray would be invisible too.
    const parent = window && !window.isDestroyed() && window.isVisible() ? window : null;
    const withTitle = { title: 'Softphone', noLink: true, ...options };
    const { response } = parent ? await this.deps.dialog.showMessageBox(parent, withTitle) : await this.deps.dialog.showMessageBox(withTitle);
    return response;
  }
}
