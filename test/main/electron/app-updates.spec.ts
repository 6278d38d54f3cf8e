/**
 * The Electron glue of updates (main/electron/app-updates.ts) with
 * electron-updater played by a stand-in and Electron's dialog and window by
 * the recording `electron` stand-in: what reaches the updater, which dialogs
 * open over which window, and that nothing installs before "Restart now".
 */
import { expect, test } from '@playwright/test';
import type { BrowserWindow, Dialog } from 'electron';
import { english } from '../../../common/i18n/index.ts';
import { AppUpdates } from '../../../main/electron/app-updates.ts';
import { createCapturingLogger } from '../../support/capturing-logger.ts';
import { createElectronStandIn } from '../../support/electron-stand-in.ts';
import { asUpdater, codedError, StandInUpdater } from '../../support/updater-stand-in.ts';

function setup() {
  const electron = createElectronStandIn();
  const window = new electron.electronModule.BrowserWindow({});
  window.show();
  const updater = new StandInUpdater();
  const { log, warnings } = createCapturingLogger();
  const order: string[] = [];
  let changes = 0;
  const updates = new AppUpdates({
    updater: asUpdater(updater),
    dialog: electron.electronModule.dialog as unknown as Pick<Dialog, 'showMessageBox'>,
    window: () => window as unknown as BrowserWindow,
    currentVersion: '0.1.0',
    translate: () => english,
    beforeInstall: () => order.push('beforeInstall'),
    log,
  });
  updates.onChange(() => changes++);
  const quitAndInstall = updater.quitAndInstall.bind(updater);
  updater.quitAndInstall = () => {
    order.push('quitAndInstall');
    quitAndInstall();
  };
  return { electron, window, updater, updates, warnings, order, changes: () => changes };
}

/** Lets the glue's promise callbacks (dialog answers, rejections) run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

test('the updater neither downloads nor installs on its own, and logs through the app', () => {
  const { updater } = setup();
  expect(updater.autoDownload).toBe(false);
  expect(updater.autoInstallOnAppQuit).toBe(false);
  expect(updater.logger).not.toBe(console);
});

test('a version found at start downloads quietly, then asks over the window; Restart now installs', async () => {
  const { electron, window, updater, updates, order } = setup();
  updates.checkAtStart();
  expect(updater.calls).toEqual(['checkForUpdates']);
  expect(updates.menuItem()).toEqual({ label: 'Checking for updates…', enabled: false });

  updater.answerAvailable('0.2.0');
  expect(updater.calls).toEqual(['checkForUpdates', 'downloadUpdate']);
  expect(electron.messageBoxes).toEqual([]);

  updater.finishDownload('0.2.0');
  expect(electron.messageBoxes).toHaveLength(1);
  const question = electron.messageBoxes[0]!;
  expect(question.parent).toBe(window);
  expect(question.options).toMatchObject({
    type: 'question',
    message: 'Version 0.2.0 is ready to install.',
    buttons: ['Restart now', 'Later'],
    defaultId: 0,
    cancelId: 1,
  });
  expect(updater.calls).not.toContain('quitAndInstall');

  question.answer(0);
  await settle();
  // The windows are let go first, or the close-to-tray would hold the quit back.
  expect(order).toEqual(['beforeInstall', 'quitAndInstall']);
});

test('Later installs nothing; the menu item asks again', async () => {
  const { electron, updater, updates } = setup();
  updates.checkAtStart();
  updater.answerAvailable('0.2.0');
  updater.finishDownload('0.2.0');
  electron.messageBoxes[0]!.answer(1);
  await settle();
  expect(updater.calls).not.toContain('quitAndInstall');
  expect(updates.menuItem()).toEqual({ label: 'Restart to update to version 0.2.0…', enabled: true });

  updates.menuItemClicked();
  expect(electron.messageBoxes).toHaveLength(2);
  expect(electron.messageBoxes[1]!.options.buttons).toEqual(['Restart now', 'Later']);
  expect(updater.calls.filter((call) => call === 'checkForUpdates')).toHaveLength(1);
});

test('failures at start are logged, never shown; a check from the menu says them in words', async () => {
  const { electron, updater, updates, warnings } = setup();
  updates.checkAtStart();
  updater.failCheck(new Error('net::ERR_INTERNET_DISCONNECTED'));
  await settle();
  expect(electron.messageBoxes).toEqual([]);
  expect(warnings().map((line) => line.msg)).toEqual(['Update failed']);

  updates.menuItemClicked();
  updater.failCheck(codedError('No published versions on GitHub', 'ERR_UPDATER_NO_PUBLISHED_VERSIONS'));
  await settle();
  expect(electron.messageBoxes.map((box) => box.options)).toEqual([
    expect.objectContaining({
      type: 'warning',
      message: 'Softphone could not check for updates.',
      detail: 'No release of Softphone has been published to update from yet.',
      buttons: ['OK'],
    }),
  ]);
});

test('a check from the menu answers "up to date", and "downloading" when there is a version', async () => {
  const { electron, updater, updates } = setup();
  updates.menuItemClicked();
  updater.answerNone('0.1.0');
  expect(electron.messageBoxes.at(-1)?.options).toMatchObject({ type: 'info', message: 'Softphone is up to date.', detail: 'You have version 0.1.0, the newest there is.' });

  updates.menuItemClicked();
  updater.answerAvailable('0.2.0');
  expect(electron.messageBoxes.at(-1)?.options).toMatchObject({ message: 'Version 0.2.0 is available.' });
  updater.failDownload(new Error('sha512 checksum mismatch'));
  await settle();
  expect(electron.messageBoxes.at(-1)?.options).toMatchObject({ message: 'Version 0.2.0 could not be downloaded.', detail: 'sha512 checksum mismatch' });
  expect(updates.menuItem()).toEqual({ label: 'Check for updates…', enabled: true });
});

test('with the window hidden in the tray, dialogs stand on their own', () => {
  const { electron, window, updater, updates } = setup();
  window.hide();
  updates.menuItemClicked();
  updater.answerNone('0.1.0');
  expect(electron.messageBoxes[0]!.parent).toBeNull();
});

test('every step tells the tray to redraw its item', () => {
  const { updater, updates, changes } = setup();
  updates.checkAtStart();
  const afterCheck = changes();
  expect(afterCheck).toBeGreaterThan(0);
  updater.answerAvailable('0.2.0');
  expect(changes()).toBeGreaterThan(afterCheck);
});
