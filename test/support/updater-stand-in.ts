/**
 * A stand-in for electron-updater's `autoUpdater`, which cannot run outside
 * a packaged Electron app: an EventEmitter that records what the app asks of
 * it, while the test plays the release feed. Like the real one, a check or a
 * download that fails both emits 'error' and rejects its promise.
 */
import { EventEmitter } from 'node:events';
import type { Updater } from '../../main/electron/app-updates.ts';

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class StandInUpdater extends EventEmitter {
  // electron-updater's defaults, so a test sees what the app changes.
  autoDownload = true;
  autoInstallOnAppQuit = true;
  logger: unknown = console;
  /** What the app called, in order. */
  readonly calls: Array<'checkForUpdates' | 'downloadUpdate' | 'quitAndInstall'> = [];
  private check: Pending | null = null;
  private download: Pending | null = null;

  checkForUpdates(): Promise<unknown> {
    this.calls.push('checkForUpdates');
    this.emit('checking-for-update');
    return new Promise((resolve, reject) => (this.check = { resolve, reject }));
  }
  downloadUpdate(): Promise<string[]> {
    this.calls.push('downloadUpdate');
    return new Promise((resolve, reject) => (this.download = { resolve: resolve as (value: unknown) => void, reject }));
  }
  quitAndInstall(): void {
    this.calls.push('quitAndInstall');
  }

  /** The feed's newest version is the running one. */
  answerNone(version: string): void {
    this.emit('update-not-available', { version });
    this.settle('check').resolve({ isUpdateAvailable: false, updateInfo: { version } });
  }
  /** The feed has a newer version. */
  answerAvailable(version: string): void {
    this.emit('update-available', { version });
    this.settle('check').resolve({ isUpdateAvailable: true, updateInfo: { version } });
  }
  failCheck(error: Error): void {
    this.emit('error', error, error.stack);
    this.settle('check').reject(error);
  }
  finishDownload(version: string): void {
    this.emit('update-downloaded', { version, downloadedFile: `/tmp/Softphone-${version}.AppImage` });
    this.settle('download').resolve([`/tmp/Softphone-${version}.AppImage`]);
  }
  failDownload(error: Error): void {
    this.emit('error', error, error.stack);
    this.settle('download').reject(error);
  }

  private settle(which: 'check' | 'download'): Pending {
    const pending = this[which];
    if (!pending) throw new Error(`stand-in updater: no ${which} in progress`);
    this[which] = null;
    return pending;
  }
}

/** The stand-in where the app wants electron-updater's type. */
export const asUpdater = (standIn: StandInUpdater): Updater => standIn as unknown as Updater;

/** An Error carrying a code, as electron-updater and Node make them. */
export function codedError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}
