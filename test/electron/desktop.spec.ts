/**
 * The app on a real desktop, in a real Electron: the tray's menu, the
 * notification of a call that rings while the window is hidden, and a tel:
 * link handed over by a second start of the app. Skipped, saying why, where
 * no Electron binary exists (test/support/electron-app.ts); the same glue is
 * tested against the `electron` stand-in in test/main/electron/main.spec.ts.
 *
 * Electron offers no way to list trays or notifications, so the tests wrap
 * Tray.prototype.setContextMenu and Notification.prototype.show/close in the
 * app's main process (ElectronApplication.evaluate runs there) and keep what
 * passes on globalThis.
 */
import type { ElectronApplication } from '@playwright/test';
import { freePort } from '../support/free-port.ts';
import { expect, seesOnline, signIn, snapshotOf, test } from '../support/electron-app.ts';

interface MenuItemSeen {
  label: string;
  type: string;
  enabled: boolean;
  checked: boolean;
}

interface NotificationSeen {
  title: string;
  body: string;
  actions: string[];
  closed: boolean;
}

/** From now on, keeps the last menu the app gives its tray. */
async function recordTrayMenu(app: ElectronApplication): Promise<void> {
  await app.evaluate(({ Tray }) => {
    const setContextMenu = Tray.prototype.setContextMenu;
    Tray.prototype.setContextMenu = function (this: Electron.Tray, menu: Electron.Menu | null) {
      (globalThis as { trayMenuSeen?: Electron.Menu | null }).trayMenuSeen = menu;
      return setContextMenu.call(this, menu);
    };
  });
}

function trayMenu(app: ElectronApplication): Promise<MenuItemSeen[]> {
  return app.evaluate(() => {
    const menu = (globalThis as { trayMenuSeen?: Electron.Menu | null }).trayMenuSeen;
    return (menu?.items ?? []).map(({ label, type, enabled, checked }) => ({ label, type, enabled, checked }));
  });
}

/** What a click on the labelled item of the tray's menu does. */
async function clickTrayItem(app: ElectronApplication, label: string): Promise<void> {
  await app.evaluate((_electron, wanted) => {
    const menu = (globalThis as { trayMenuSeen?: Electron.Menu | null }).trayMenuSeen;
    const item = menu?.items.find((candidate) => candidate.label === wanted);
    if (!item) throw new Error(`No tray menu item "${wanted}"`);
    item.click();
  }, label);
}

/** From now on, keeps every notification the app shows, and whether it closed it. Resolves whether the desktop can show any. */
function recordNotifications(app: ElectronApplication): Promise<boolean> {
  return app.evaluate(({ Notification }) => {
    const seen: Array<{ notification: Electron.Notification; closed: boolean }> = [];
    (globalThis as { notificationsSeen?: typeof seen }).notificationsSeen = seen;
    const { show, close } = Notification.prototype;
    Notification.prototype.show = function (this: Electron.Notification) {
      seen.push({ notification: this, closed: false });
      return show.call(this);
    };
    Notification.prototype.close = function (this: Electron.Notification) {
      const entry = seen.find((candidate) => candidate.notification === this);
      if (entry) entry.closed = true;
      return close.call(this);
    };
    return Notification.isSupported();
  });
}

function notifications(app: ElectronApplication): Promise<NotificationSeen[]> {
  return app.evaluate(() =>
    ((globalThis as { notificationsSeen?: Array<{ notification: Electron.Notification; closed: boolean }> }).notificationsSeen ?? []).map(({ notification, closed }) => ({
      title: notification.title,
      body: notification.body,
      actions: notification.actions.map((action) => action.text ?? ''),
      closed,
    })),
  );
}

test('the tray: presence and its menu; Show brings the hidden window back; do not disturb reaches the settings', async ({ softphones }) => {
  const alice = await softphones.launch('alice', await freePort());
  await recordTrayMenu(alice.app);
  // Signing in changes the presence, so the tray gets a new menu, recorded now.
  await signIn(alice, 'Alice');

  await expect
    .poll(async () => (await trayMenu(alice.app)).filter((item) => item.type !== 'separator').map((item) => item.label))
    .toEqual(['Online as Alice', 'Show Softphone', 'Calls ring', 'Do not disturb: refuse calls', 'Do not disturb: ring silently', 'Quit Softphone']);
  // Unpackaged (`electron .`), updates are off: no update item.

  const window = await alice.app.browserWindow(alice.page);
  await window.evaluate((browserWindow) => browserWindow.hide());
  expect(await window.evaluate((browserWindow) => browserWindow.isVisible())).toBe(false);
  await clickTrayItem(alice.app, 'Show Softphone');
  await expect.poll(() => window.evaluate((browserWindow) => browserWindow.isVisible())).toBe(true);

  await clickTrayItem(alice.app, 'Do not disturb: refuse calls');
  await expect.poll(async () => (await snapshotOf(alice.page)).settings.desktop.doNotDisturb).toBe('busy');
  await expect.poll(async () => (await trayMenu(alice.app)).find((item) => item.label === 'Do not disturb: refuse calls')?.checked).toBe(true);
});

test('a call ringing while the window is hidden: a notification with Accept and Decline and the caller in the title, gone when the caller gives up', async ({ softphones }) => {
  const port = await freePort();
  const alice = await softphones.launch('alice', port);
  const bob = await softphones.launch('bob', port);
  if (!(await recordNotifications(alice.app))) {
    const reason = 'This desktop has no notification service (Electron: Notification.isSupported() is false), so the app shows no notification to test';
    console.log(`SKIPPED: ${reason}`);
    test.skip(true, reason);
  }
  await signIn(alice, 'Alice');
  await signIn(bob, 'Bob');
  await seesOnline(bob, 'Alice');
  const window = await alice.app.browserWindow(alice.page);
  await window.evaluate((browserWindow) => browserWindow.hide());

  await bob.page.getByRole('button', { name: 'Call Alice', exact: true }).click();
  await expect.poll(() => notifications(alice.app)).toEqual([{ title: 'Incoming call from Bob', body: 'Audio call', actions: ['Accept', 'Decline'], closed: false }]);
  expect(await window.evaluate((browserWindow) => browserWindow.getTitle())).toBe('Incoming call from Bob – Softphone');

  await bob.page.getByRole('button', { name: 'Hang up' }).click();
  await expect.poll(async () => (await notifications(alice.app)).map((notification) => notification.closed)).toEqual([true]);
  await expect.poll(() => window.evaluate((browserWindow) => browserWindow.getTitle())).toBe('Softphone');
});

test('a tel: link handed over by a second start fills the running app’s dial box and asks before calling', async ({ softphones }) => {
  const alice = await softphones.launch('alice', await freePort());
  await signIn(alice, 'Alice');
  const window = await alice.app.browserWindow(alice.page);
  await window.evaluate((browserWindow) => browserWindow.minimize());

  // What the OS does with a clicked link: start the app with it, which hands it to the running instance and quits.
  expect(await softphones.startAgain(alice, ['tel:+1-201-555-0123'])).toBe(0);

  const question = alice.page.getByRole('group', { name: 'A link asks to call +12015550123.' });
  await expect(question).toBeVisible();
  await expect(alice.page.getByLabel('Dial')).toHaveValue('+12015550123');
  await expect(question.getByRole('button', { name: 'Call +12015550123' })).toBeVisible();
  // Asked, not dialed.
  await expect(alice.page.getByRole('button', { name: 'Hang up' })).toHaveCount(0);
  await expect.poll(() => window.evaluate((browserWindow) => browserWindow.isMinimized())).toBe(false);

  await question.getByRole('button', { name: "Don't call" }).click();
  await expect(question).toHaveCount(0);
  await expect(alice.page.getByLabel('Dial')).toHaveValue('+12015550123');
  await expect(alice.page.getByRole('button', { name: 'Hang up' })).toHaveCount(0);
});
