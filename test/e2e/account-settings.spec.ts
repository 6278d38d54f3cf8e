/**
 * Settings → Account as a user meets it: by keyboard, with the fields checked
 * where they are typed, and from a connection that failed in a way waiting
 * cannot fix. Passwords, accounts and wss: server-accounts.spec.ts.
 */
import type { Page } from '@playwright/test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, openSettings } from '../support/browser-fixtures.ts';
import { freePort } from '../support/free-port.ts';

async function openAccountSettings(page: Page) {
  const dialog = await openSettings(page);
  return { dialog, account: dialog.getByRole('region', { name: 'Account', exact: true }) };
}

test('the account form by keyboard: wrong fields are said next to them, focus goes to the first, Escape closes', async ({ openSoftphone }) => {
  const { page } = await openSoftphone({ signInAs: 'Alice' });
  await page.getByRole('button', { name: 'Settings' }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  const account = dialog.getByRole('region', { name: 'Account', exact: true });
  const server = account.getByLabel('Server address');
  const name = account.getByLabel('Name', { exact: true });
  const password = account.getByLabel('Password', { exact: true });

  // Fields in reading order, starting right after Close.
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(server).toBeFocused();
  await expect(server).toHaveValue('');
  await expect(server).toHaveAttribute('placeholder', 'This computer (built-in server)');
  await expect(server).toHaveAccessibleDescription('Leave empty to use the server built into this app on this computer.');
  await page.keyboard.press('Tab');
  await expect(name).toBeFocused();
  await expect(name).toHaveValue('Alice');
  await page.keyboard.press('Tab');
  await expect(password).toBeFocused();
  await expect(password).toHaveAttribute('type', 'password');
  await expect(account.getByRole('button', { name: 'Forget password' })).toHaveCount(0);
  await page.keyboard.press('Tab');
  await expect(account.getByRole('button', { name: 'Test connection' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(account.getByRole('button', { name: 'Save', exact: true })).toBeFocused();

  // A wrong address is said when the field is left, next to it.
  await server.focus();
  await page.keyboard.type('phone.example.com');
  await expect(server).toHaveAttribute('aria-invalid', 'false');
  await page.keyboard.press('Tab');
  await expect(server).toHaveAttribute('aria-invalid', 'true');
  await expect(server).toHaveAccessibleDescription('Start the address with wss:// (or ws:// without encryption), for example wss://phone.example.com.');

  // Enter in a field saves; with wrong fields, nothing is saved and the keyboard goes to the first one.
  await name.fill('');
  await name.press('Enter');
  await expect(server).toBeFocused();
  await expect(name).toHaveAccessibleDescription('A name cannot be empty.');
  await expect(account.getByRole('status')).toHaveText('Check the fields marked above.');

  // Corrected, the messages go as the user types.
  await server.fill('wss://phone.example.com');
  await expect(server).toHaveAttribute('aria-invalid', 'false');
  await expect(server).toHaveAccessibleDescription('A wss:// address is encrypted; ws:// is not.');
  await name.fill('Alice');
  await expect(name).toHaveAttribute('aria-invalid', 'false');

  // A password over ws:// to another machine is flagged before it is sent.
  await server.fill('ws://phone.example.com');
  await password.fill('secret');
  await expect(password).toHaveAccessibleDescription(/not encrypted \(ws:\/\/\): the server only accepts a password over wss:\/\//);

  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: 'Settings' })).toBeFocused();
  // Nothing typed was kept: the form starts again from what is saved.
  await page.keyboard.press('Enter');
  await expect(account.getByLabel('Server address')).toHaveValue('');
  await expect(account.getByLabel('Password', { exact: true })).toHaveValue('');
});

test('Settings opened again the moment it closed shows its sections from what is saved, not an empty dialog or what was typed', async ({ openSoftphone }) => {
  const { page } = await openSoftphone({ signInAs: 'Alice' });
  const { dialog, account } = await openAccountSettings(page);
  await expect(account.getByLabel('Name', { exact: true })).toHaveValue('Alice');
  await account.getByLabel('Server address').fill('wss://typed.example.com');
  // Close, then open again before the dialog's close event has been delivered,
  // as a quick Escape then Enter can on a busy machine.
  // Resolves once the close event has been delivered and Lit has drawn what it caused.
  await page.evaluate(async () => {
    const app = document.querySelector('softphone-app')!.shadowRoot!;
    const settings = app.querySelector('settings-dialog')!;
    const closeButton = [...settings.shadowRoot!.querySelectorAll('button')].find((button) => button.textContent === 'Close')!;
    const openButton = [...app.querySelectorAll('button')].find((button) => button.textContent === 'Settings')!;
    const closed = new Promise((resolve) => settings.shadowRoot!.querySelector('dialog')!.addEventListener('close', resolve, { once: true }));
    closeButton.click();
    openButton.click();
    await closed;
    await settings.updateComplete;
  });
  await expect(dialog).toBeVisible();
  await expect(account.getByLabel('Name', { exact: true })).toHaveValue('Alice');
  // What was typed before closing is gone: the form starts again from what is saved.
  await expect(account.getByLabel('Server address')).toHaveValue('');
});

test('another program on the server’s port: the connection line says so and leads to the account settings', async ({ openSoftphone }) => {
  const port = await freePort();
  const other = createServer((_request, response) => response.writeHead(404).end('not here'));
  await new Promise<void>((resolve) => other.listen(port, '127.0.0.1', resolve));
  try {
    // No server configured: the app would host on this port, but something else holds it.
    const { page } = await openSoftphone({ serverUrl: null, embeddedPort: (other.address() as AddressInfo).port });
    const line = page.getByRole('banner');
    await expect(line.getByRole('status')).toContainText(/answered, but is not a signaling server|another program/i);
    await expect(line).toContainText('Choose another server address in Settings → Account.');
    await line.getByRole('button', { name: 'Account settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await expect(dialog.getByRole('region', { name: 'Account', exact: true }).getByLabel('Server address')).toBeFocused();
  } finally {
    await new Promise((resolve) => other.close(resolve));
  }
});

test('a server that is not there: the line says it is retrying, and offers nothing to change', async ({ openSoftphone }) => {
  const { page } = await openSoftphone({ serverUrl: `ws://127.0.0.1:${await freePort()}` });
  await expect(page.getByRole('status').filter({ hasText: /^Offline: Signaling server at ws:\/\/127\.0\.0\.1:\d+ is not reachable \(connection refused\)\. Reconnecting/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Account settings' })).toHaveCount(0);
});

// ---- needs the core merge: saveAccount / testConnection / Settings.account -------------------------

test('Test connection shows what happened in a live region, busy while it runs', async ({ openSoftphone, signalingServer }) => {
  const { page } = await openSoftphone({ signInAs: 'Alice' });
  const { account } = await openAccountSettings(page);
  await account.getByLabel('Server address').fill(signalingServer.url);
  await account.getByLabel('Name', { exact: true }).fill('Alice2');
  const testButton = account.getByRole('button', { name: 'Test connection' });
  await testButton.click();
  // While it runs the button says it is busy; the result replaces "Testing…".
  await expect(account.getByRole('status')).toHaveText(/Testing the connection|Connected as Alice2/);
  await expect(account.getByRole('status')).toHaveText(/Connected as Alice2/);
  await expect(testButton).toHaveAttribute('aria-disabled', 'false');

  await account.getByLabel('Server address').fill(`ws://127.0.0.1:${await freePort()}`);
  await testButton.click();
  await expect(account.getByRole('status')).toHaveText(/not reachable|refused|unreachable/i);
  await expect(account.getByRole('status')).toHaveAttribute('data-result', 'failed');
});

test('Save keeps the server and name; the app signs in there, and the form shows it next time', async ({
  openSoftphone,
  signalingServer,
}) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  let { dialog, account } = await openAccountSettings(alice.page);
  await account.getByLabel('Server address').fill(signalingServer.url);
  await account.getByLabel('Name', { exact: true }).fill('Alicia');
  await account.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(account.getByRole('status')).toHaveText(`Saved. Signing in to ${signalingServer.url} as Alicia…`);
  await expect(alice.page.getByRole('banner').getByRole('status')).toHaveText('Online as Alicia');
  expect((await alice.core.handlers.getSnapshot()).settings.account).toEqual({ serverUrl: signalingServer.url, hasPassword: false });

  await dialog.getByRole('button', { name: 'Close' }).click();
  ({ dialog, account } = await openAccountSettings(alice.page));
  await expect(account.getByLabel('Server address')).toHaveValue(signalingServer.url);
  await expect(account.getByLabel('Name', { exact: true })).toHaveValue('Alicia');
});
