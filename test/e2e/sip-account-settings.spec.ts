/**
 * Settings → SIP accounts as a user meets it: the real renderer against the
 * real main core. An account is added through the form and its registration
 * state shows live in the list (here against a WebSocket URL nothing listens
 * on, so it fails, in words); its password goes to the secret store, never to
 * settings.json; it is edited keeping the password, and removed after a
 * confirmation. Wrong fields are said next to them and nothing is saved.
 * Registering with a real SIP server: another spec.
 */
import type { Locator, Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import path from 'node:path';
import { createLogger } from '../../common/logger.ts';
import type { SipAccountSettings } from '../../common/sip-account-schema.ts';
import { SETTINGS_FILE_NAME } from '../../main/core/settings-store.ts';
import { SECRETS_FILE_NAME } from '../../main/core/secret-store.ts';
import { sipPasswordSecret } from '../../main/core/sip/sip-accounts.ts';
import { expect, test, openSettings } from '../support/browser-fixtures.ts';
import { freePort } from '../support/free-port.ts';
import type { Softphone } from '../support/softphone-harness.ts';
import { createTestSecretStore } from '../support/test-secret-store.ts';

const ADDRESS = 'sip:alice@pbx.example.org';
const PASSWORD = 'correct horse battery staple';

async function openSipSettings(page: Page) {
  const dialog = await openSettings(page);
  return { dialog, sip: dialog.getByRole('region', { name: 'SIP accounts' }) };
}

/** The settings file main wrote in the profile folder, as it is on disk. */
async function settingsFile(softphone: Softphone): Promise<{ text: string; sipAccounts: SipAccountSettings[] }> {
  const text = await readFile(path.join(softphone.userDataDir, SETTINGS_FILE_NAME), 'utf8');
  return { text, sipAccounts: (JSON.parse(text) as { sipAccounts?: SipAccountSettings[] }).sipAccounts ?? [] };
}

/** The password main keeps for an account, read from the profile's secret store. */
function savedPassword(softphone: Softphone, id: string): Promise<string | null> {
  return createTestSecretStore(softphone.userDataDir, createLogger('test-secrets')).get(sipPasswordSecret(id));
}

/** Adds an account through the form, as a user does, against a WebSocket URL nothing listens on. */
async function addAccount(page: Page, sip: Locator): Promise<string> {
  const websocketUrl = `ws://127.0.0.1:${await freePort()}/ws`;
  await sip.getByRole('button', { name: 'Add SIP account' }).click();
  const form = sip.getByRole('form', { name: 'Add SIP account' });
  await expect(form.getByLabel('SIP address')).toBeFocused();
  // A bare user@host is taken; sip: is added.
  await page.keyboard.type('alice@pbx.example.org');
  await form.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await form.getByLabel('WebSocket URL').fill(websocketUrl);
  await form.getByLabel('Display name (optional)').fill('Alice Example');
  await expect(form.getByRole('radio', { name: 'RFC 4733 telephone events' })).toBeChecked();
  await form.getByRole('radio', { name: 'SIP INFO' }).check();
  await expect(form.getByRole('checkbox', { name: 'Enabled' })).toBeChecked();
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  return websocketUrl;
}

test('an added account is listed with its live state: an unreachable server fails in words; the password is in the secret store, not in settings.json', async ({
  openSoftphone,
}) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const { page } = alice;
  const { sip } = await openSipSettings(page);
  await expect(sip).toContainText('No SIP accounts yet.');
  const websocketUrl = await addAccount(page, sip);

  // The form closes and the keyboard is on the saved account's row, which reads its address and state.
  const row = sip.getByRole('group', { name: ADDRESS });
  await expect(row).toBeFocused();
  await expect(sip.getByRole('form')).toHaveCount(0);
  await expect(sip.getByRole('status').filter({ hasText: `Saved ${ADDRESS}.` })).toBeVisible();
  await expect(row).toContainText('Alice Example');
  const state = row.getByRole('status');
  await expect(state).toHaveAttribute('aria-live', 'polite');
  // Nothing listens there: the state changes in place from registering to failed, with the reason in words.
  await expect(state).toHaveText(`Failed: SIP server at ${websocketUrl} is not reachable (connection refused)`);
  await expect(row).toHaveAccessibleDescription(/^Failed: SIP server at .* is not reachable/);
  await expect(row.getByRole('button', { name: `Edit ${ADDRESS}` })).toBeVisible();
  await expect(row.getByRole('button', { name: `Remove ${ADDRESS}` })).toBeVisible();

  // settings.json (the real file) says a password is kept, and does not contain it.
  const saved = await settingsFile(alice);
  expect(saved.text).not.toContain(PASSWORD);
  expect(saved.sipAccounts).toEqual([
    expect.objectContaining({ address: ADDRESS, websocketUrl, displayName: 'Alice Example', authUser: null, keys: 'sip-info', enabled: true, hasPassword: true }),
  ]);
  const id = saved.sipAccounts[0]!.id;
  expect(await savedPassword(alice, id)).toBe(PASSWORD);
  expect(await readFile(path.join(alice.userDataDir, SECRETS_FILE_NAME), 'utf8')).not.toContain(PASSWORD);
  expect((await alice.core.handlers.getSnapshot()).sipAccounts).toEqual([{ id, status: 'failed', message: expect.stringMatching(/not reachable/) }]);
});

test('the state changes in place as main reports it: Registering… while the server keeps it waiting, then why it failed', async ({ openSoftphone }) => {
  // Takes the connection, says nothing, and drops it after a while.
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    setTimeout(() => socket.destroy(), 1_500);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const websocketUrl = `ws://127.0.0.1:${(server.address() as { port: number }).port}/ws`;
    const { page } = await openSoftphone({ signInAs: 'Alice' });
    const { sip } = await openSipSettings(page);
    await sip.getByRole('button', { name: 'Add SIP account' }).click();
    await sip.getByLabel('SIP address').fill('1001@pbx.example.org');
    await sip.getByLabel('WebSocket URL').fill(websocketUrl);
    await sip.getByRole('button', { name: 'Save', exact: true }).click();
    const row = sip.getByRole('group', { name: 'sip:1001@pbx.example.org' });
    await expect(row).toBeFocused();
    const state = row.getByRole('status');
    await expect(state).toHaveText('Registering…');
    await expect(state).toHaveAttribute('data-status', 'registering');
    await expect(state).toHaveText(`Failed: The connection to the SIP server at ${websocketUrl} was reset`);
    await expect(state).toHaveAttribute('data-status', 'failed');
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('editing keeps the saved password when its field is left empty; Escape and Cancel go back to the button that opened the form; Remove asks first', async ({
  openSoftphone,
}) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const { page } = alice;
  const { dialog, sip } = await openSipSettings(page);
  await addAccount(page, sip);
  const row = sip.getByRole('group', { name: ADDRESS });
  await expect(row).toBeFocused();
  const [{ id }] = (await settingsFile(alice)).sipAccounts;

  // Edit opens the form under the account, filled from what is saved; the password stays unshown.
  const edit = row.getByRole('button', { name: `Edit ${ADDRESS}` });
  await edit.click();
  await expect(edit).toHaveAttribute('aria-expanded', 'true');
  const form = sip.getByRole('form', { name: `Edit ${ADDRESS}` });
  await expect(form.getByLabel('SIP address')).toBeFocused();
  await expect(form.getByLabel('SIP address')).toHaveValue(ADDRESS);
  await expect(form.getByLabel('Display name (optional)')).toHaveValue('Alice Example');
  await expect(form.getByRole('radio', { name: 'SIP INFO' })).toBeChecked();
  const password = form.getByLabel('Password', { exact: true });
  await expect(password).toHaveValue('');
  await expect(password).toHaveAttribute('placeholder', 'Saved (type to replace)');
  await expect(password).toHaveAccessibleDescription('Saved in your system keychain. Leave empty to keep it.');
  await expect(form.getByRole('button', { name: 'Forget the saved password' })).toBeVisible();

  // Settings changed elsewhere (main sends them all again) do not undo what is typed.
  await form.getByLabel('Display name (optional)').fill('Changed, then abandoned');
  await alice.core.handlers.updateSettings({ dtmf: { toneMs: 120 } });
  await expect(page.getByRole('dialog', { name: 'Settings' }).getByRole('spinbutton', { name: 'Tone length (ms)' })).toHaveValue('120');
  await expect(form.getByLabel('Display name (optional)')).toHaveValue('Changed, then abandoned');

  // Escape leaves the form, not the Settings dialog, and the keyboard is back on Edit.
  await page.keyboard.press('Escape');
  await expect(sip.getByRole('form')).toHaveCount(0);
  await expect(dialog).toBeVisible();
  await expect(edit).toBeFocused();
  await expect(edit).toHaveAttribute('aria-expanded', 'false');
  // Add then Cancel: back on Add.
  const add = sip.getByRole('button', { name: 'Add SIP account' });
  await add.click();
  await sip.getByRole('form', { name: 'Add SIP account' }).getByRole('button', { name: 'Cancel' }).click();
  await expect(add).toBeFocused();

  // A new display name, the password left empty: saved, and the password kept.
  await edit.click();
  await expect(form.getByLabel('Display name (optional)')).toHaveValue('Alice Example');
  await form.getByLabel('Display name (optional)').fill('Alice B.');
  await form.getByLabel('Display name (optional)').press('Enter');
  await expect(row).toBeFocused();
  await expect(row).toContainText('Alice B.');
  await expect.poll(async () => (await settingsFile(alice)).sipAccounts).toEqual([expect.objectContaining({ id, displayName: 'Alice B.', hasPassword: true })]);
  expect(await savedPassword(alice, id)).toBe(PASSWORD);

  // Remove asks in place and says what removing does; the keyboard is on the safe answer, and Escape keeps the account.
  const remove = row.getByRole('button', { name: `Remove ${ADDRESS}` });
  await remove.click();
  const confirmation = row.getByRole('group', { name: /^Remove sip:alice@pbx\.example\.org\?/ });
  await expect(confirmation).toContainText('It stops registering, so no calls reach you on it, and its saved password is deleted from your system keychain.');
  await expect(confirmation.getByRole('button', { name: 'Keep it' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(confirmation).toHaveCount(0);
  await expect(dialog).toBeVisible();
  await expect(remove).toBeFocused();
  expect((await settingsFile(alice)).sipAccounts).toHaveLength(1);

  await remove.press('Enter');
  await confirmation.getByRole('button', { name: `Yes, remove ${ADDRESS}` }).click();
  await expect(sip).toContainText('No SIP accounts yet.');
  await expect(sip.getByRole('status').filter({ hasText: `Removed ${ADDRESS}.` })).toBeVisible();
  await expect(add).toBeFocused();
  expect((await settingsFile(alice)).sipAccounts).toEqual([]);
  expect(await savedPassword(alice, id)).toBeNull();
  expect((await alice.core.handlers.getSnapshot()).sipAccounts).toEqual([]);
});

test('a wrong SIP address and WebSocket URL are said next to their fields, and nothing is saved', async ({ openSoftphone }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const { page } = alice;
  const { sip } = await openSipSettings(page);
  await sip.getByRole('button', { name: 'Add SIP account' }).click();
  const form = sip.getByRole('form', { name: 'Add SIP account' });
  const address = form.getByLabel('SIP address');
  const websocketUrl = form.getByLabel('WebSocket URL');
  await expect(address).toHaveAccessibleDescription('Your address at your SIP provider or PBX; "sip:" may be left out.');

  // Said when the field is left, not while typing.
  await address.fill('alice');
  await expect(address).toHaveAttribute('aria-invalid', 'false');
  await address.press('Tab');
  await expect(address).toHaveAttribute('aria-invalid', 'true');
  await expect(address).toHaveAccessibleDescription('A SIP address looks like sip:alice@pbx.example.org.');

  // Save with wrong fields: each is said, the keyboard goes to the first, nothing reaches main.
  await websocketUrl.fill('https://pbx.example.org');
  await form.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(address).toBeFocused();
  await expect(websocketUrl).toHaveAttribute('aria-invalid', 'true');
  await expect(websocketUrl).toHaveAccessibleDescription('A server address starts with ws:// or wss://.');
  await expect(form.getByRole('status')).toHaveText('Check the fields marked above.');
  await expect(form).not.toContainText(/too (small|big)|expected|invalid/i);

  // Empty required fields say what to enter.
  await address.fill('');
  await websocketUrl.fill('');
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(address).toHaveAccessibleDescription('Enter your SIP address, for example sip:alice@pbx.example.org.');
  await expect(websocketUrl).toHaveAccessibleDescription('Enter the WebSocket URL of your SIP server, for example wss://pbx.example.org:8089/ws.');

  // Corrected, a message goes as soon as its field is right.
  await address.fill('alice@pbx.example.org');
  await expect(address).toHaveAttribute('aria-invalid', 'false');
  await expect(websocketUrl).toHaveAttribute('aria-invalid', 'true');

  expect((await settingsFile(alice)).sipAccounts).toEqual([]);
  expect((await settingsFile(alice)).text).not.toContain(PASSWORD);
  const snapshot = await alice.core.handlers.getSnapshot();
  expect(snapshot.settings.sipAccounts).toEqual([]);
  expect(snapshot.sipAccounts).toEqual([]);
});

test('Settings opened on SIP accounts puts the keyboard there', async ({ openSoftphone }) => {
  const { page } = await openSoftphone({ signInAs: 'Alice' });
  await page.evaluate(() => document.querySelector('softphone-app')!.shadowRoot!.querySelector('settings-dialog')!.show('sip'));
  const sip = page.getByRole('dialog', { name: 'Settings' }).getByRole('region', { name: 'SIP accounts' });
  await expect(sip.getByRole('button', { name: 'Add SIP account' })).toBeFocused();
});
