/**
 * A deployed server as its users meet it: wss with a certificate, accounts
 * with passwords kept in the keychain, a name that belongs to its account,
 * and a name that belongs to its session across a server restart.
 */
import type { Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AccountStore } from '../../server/accounts.ts';
import { startSignalingServer, type SignalingServer } from '../../server/signaling-server.ts';
import { expect, test, openSettings } from '../support/browser-fixtures.ts';
import { freePort } from '../support/free-port.ts';
import { selfSignedCertificate } from '../support/scripted-signaling-server.ts';

let folder: string;
let certificate: { key: string; cert: string };
const servers: SignalingServer[] = [];

test.beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'softphone-accounts-'));
  certificate = selfSignedCertificate(folder, 'server', 'IP:127.0.0.1');
});

test.afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  await rm(folder, { recursive: true, force: true });
});

async function accountsServer(options: { allowGuests?: boolean } = {}): Promise<SignalingServer> {
  const accounts = await AccountStore.open(path.join(folder, 'accounts.json'));
  await accounts.add('Alice', 'correct horse battery');
  const server = await startSignalingServer({ host: '127.0.0.1', port: 0, tls: certificate, auth: { mode: 'accounts', accounts, allowGuests: options.allowGuests } });
  servers.push(server);
  return server;
}

async function openAccount(page: Page) {
  const dialog = await openSettings(page);
  const account = dialog.getByRole('region', { name: 'Account', exact: true });
  return { dialog, account, server: account.getByLabel('Server address'), name: account.getByLabel('Name', { exact: true }), password: account.getByLabel('Password', { exact: true }) };
}

test('wss and a password: a wrong one is said in words; the right one signs in and is kept in the keychain, never in a file', async ({ openSoftphone }) => {
  const server = await accountsServer();
  expect(server.url).toMatch(/^wss:\/\//);
  const alice = await openSoftphone({ tlsCa: certificate.cert });
  const form = await openAccount(alice.page);
  await form.server.fill(server.url);
  await form.name.fill('Alice');
  await form.password.fill('wrong password');
  await form.account.getByRole('button', { name: 'Test connection' }).click();
  await expect(form.account.getByRole('status')).toHaveText(/wrong name or password/i);

  await form.password.fill('correct horse battery');
  await form.account.getByRole('button', { name: 'Test connection' }).click();
  await expect(form.account.getByRole('status')).toHaveText(/Connected as Alice/);
  await form.account.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(form.password).toHaveValue('');
  await expect(form.password).toHaveAccessibleDescription('Saved in your system keychain. Leave empty to keep it.');
  await form.dialog.getByRole('button', { name: 'Close' }).click();
  await expect(alice.page.getByRole('banner').getByRole('status')).toHaveText('Online as Alice');

  // Only encrypted blobs on disk: neither settings nor the secrets file holds the password.
  for (const file of ['settings.json', 'secrets.json']) {
    const text = await readFile(path.join(alice.userDataDir, file), 'utf8').catch(() => '');
    expect(text, file).not.toContain('correct horse battery');
  }

  // Forgetting it: the next sign-in is refused in words, and the keyboard stays in the password field.
  const again = await openAccount(alice.page);
  await again.account.getByRole('button', { name: 'Forget password' }).click();
  await expect(again.account.getByRole('status')).toHaveText('The password was removed from your system keychain.');
  await expect(again.password).toBeFocused();
});

test('a certificate the app does not trust is named as the problem, not "unreachable"', async ({ openSoftphone }) => {
  const server = await accountsServer();
  const alice = await openSoftphone({ serverUrl: server.url });
  await expect(alice.page.getByRole('banner')).toContainText(/certificate is not trusted/i);
});

test('on a server with accounts and guests, a guest cannot take an account’s name', async ({ openSoftphone }) => {
  const server = await accountsServer({ allowGuests: true });
  const guest = await openSoftphone({ tlsCa: certificate.cert });
  const form = await openAccount(guest.page);
  await form.server.fill(server.url);
  await form.name.fill('Alice');
  await form.account.getByRole('button', { name: 'Test connection' }).click();
  await expect(form.account.getByRole('status')).toHaveText(/The name "Alice" belongs to someone else/);
});

test('after a server restart Bob is Bob again, though someone else asked for "Bob" first', async ({ openSoftphone, localKeyFile }) => {
  const port = await freePort();
  const sessionSecret = randomBytes(32);
  const open = () => startSignalingServer({ host: '127.0.0.1', port, sessionSecret, heartbeatIntervalMs: 1000 });
  let server = await open();
  const bob = await openSoftphone({ serverUrl: server.url, signInAs: 'Bob' });

  await server.close();
  await expect(bob.page.getByRole('banner')).toContainText('Offline');
  server = await open();
  servers.push(server);
  // A newcomer grabs the name while Bob's app is still waiting to reconnect...
  const squatter = await openSoftphone({ serverUrl: server.url, localKeyFile, signInAs: 'Bob' });
  // ...but Bob's session proves the name is his: he gets it back, the newcomer is renamed and told.
  await expect(bob.page.getByRole('banner').getByRole('status')).toHaveText('Online as Bob');
  await expect(squatter.page.getByRole('banner').getByRole('status')).toHaveText(/Online as Bob\d/);
  await expect(squatter.page.getByRole('log', { name: 'Notices' })).toContainText('"Bob" is already in use');
});
