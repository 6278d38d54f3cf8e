/**
 * Saving SIP accounts: settings on disk keep no password, the secret store
 * does; bad input changes nothing; an account whose server cannot be reached
 * says so in words and keeps trying.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import type { SipAccountState } from '../../../../common/sip-account-schema.ts';
import { CallSwitchboard } from '../../../../main/core/calls/call-switchboard.ts';
import { createMemorySecretStore } from '../../../../main/core/secret-store.ts';
import { createSettingsStore, SETTINGS_FILE_NAME } from '../../../../main/core/settings-store.ts';
import { sipPasswordSecret, SipAccounts } from '../../../../main/core/sip/sip-accounts.ts';
import { createServer } from 'node:https';
import { WebSocketServer } from 'ws';
import { freePort } from '../../../support/free-port.ts';
import { hasOpenssl, selfSignedCertificate } from '../../../support/scripted-signaling-server.ts';
import { expect, test } from '../../../support/temp-dir.ts';

const quiet = pino({ level: 'silent' });

async function setup(userDataDir: string) {
  const settings = createSettingsStore({ userDataDir, log: quiet });
  await settings.load();
  const secrets = createMemorySecretStore();
  const states: SipAccountState[][] = [];
  const accountsOptions = {
    settings,
    secrets,
    storeSecret: (name: string, value: string) => secrets.set(name, value),
    switchboard: new CallSwitchboard(() => {}),
    onStates: (list: SipAccountState[]) => states.push(list),
    log: quiet,
    accountOptions: { reconnectBackoff: { initialMs: 50, maxMs: 100, floorMs: 10 } },
  };
  const accounts = new SipAccounts(accountsOptions);
  return { settings, secrets, states, accounts, accountsOptions, settingsFile: path.join(userDataDir, SETTINGS_FILE_NAME) };
}

test('a saved account keeps its password in the secret store only, and an unreachable server is said in words', async ({ tempDir }) => {
  const { secrets, accounts, settingsFile } = await setup(tempDir);
  const websocketUrl = `ws://127.0.0.1:${await freePort()}/ws`;
  try {
    const saved = await accounts.save({ address: 'alice@pbx.example.org', password: 'pa55-word', websocketUrl, keys: 'sip-info' });
    const account = saved.sipAccounts[0]!;
    expect(account).toMatchObject({ address: 'sip:alice@pbx.example.org', hasPassword: true, keys: 'sip-info', enabled: true });
    expect(await secrets.get(sipPasswordSecret(account.id))).toBe('pa55-word');
    expect(await readFile(settingsFile, 'utf8')).not.toContain('pa55-word');

    await expect.poll(() => accounts.list()[0]).toMatchObject({ status: 'failed', message: expect.stringContaining('not reachable (connection refused)') });

    // Edited without a password: the saved one is kept; with null it is forgotten.
    expect((await accounts.save({ id: account.id, address: account.address, websocketUrl, displayName: 'Alice' })).sipAccounts[0]).toMatchObject({ displayName: 'Alice', hasPassword: true });
    expect((await accounts.save({ id: account.id, address: account.address, websocketUrl, password: null })).sipAccounts[0]!.hasPassword).toBe(false);
    expect(await secrets.get(sipPasswordSecret(account.id))).toBeNull();
  } finally {
    await accounts.stop();
  }
});

test('bad input is refused with words and nothing is saved', async ({ tempDir }) => {
  const { settings, accounts, secrets } = await setup(tempDir);
  await expect(accounts.save({ address: 'not an address', websocketUrl: 'wss://pbx.example.org/ws', password: 'x' })).rejects.toThrow('A SIP address looks like sip:alice@pbx.example.org');
  await expect(accounts.save({ address: 'sip:alice@pbx.example.org', websocketUrl: 'https://pbx.example.org/ws', password: 'x' })).rejects.toThrow('A server address starts with ws:// or wss://');
  await expect(accounts.save({ id: 'sip-nothere', address: 'sip:alice@pbx.example.org', websocketUrl: 'wss://pbx.example.org/ws' })).rejects.toThrow('There is no SIP account sip-nothere');
  expect(settings.get().sipAccounts).toEqual([]);
  expect(secrets.names()).toEqual([]);
});

test('a switched-off account is kept but not registered; removing one forgets its password', async ({ tempDir }) => {
  const { accounts, secrets, settings } = await setup(tempDir);
  const saved = await accounts.save({ address: 'sip:bob@pbx.example.org', websocketUrl: 'wss://pbx.example.org/ws', password: 'secret', enabled: false });
  const id = saved.sipAccounts[0]!.id;
  expect(accounts.list()).toEqual([{ id, status: 'off', message: null }]);
  await accounts.remove(id);
  expect(settings.get().sipAccounts).toEqual([]);
  expect(await secrets.get(sipPasswordSecret(id))).toBeNull();
  await expect(accounts.remove(id)).rejects.toThrow(`There is no SIP account ${id}`);
});

test('a SIP server whose certificate is not trusted says so, and one that does not speak SIP over WebSocket too', async ({ tempDir }) => {
  test.skip(!hasOpenssl(), 'the openssl command is not installed');
  const { key, cert } = selfSignedCertificate(tempDir, 'pbx', 'IP:127.0.0.1');
  const https = createServer({ key, cert });
  // Accepts WebSockets but not the "sip" subprotocol, like a web server in the wrong place.
  const sockets = new WebSocketServer({ server: https, handleProtocols: () => false });
  await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
  const port = (https.address() as { port: number }).port;
  const { accounts } = await setup(tempDir);
  try {
    await accounts.save({ address: 'sip:alice@127.0.0.1', websocketUrl: `wss://127.0.0.1:${port}/ws`, password: 'x' });
    await expect.poll(() => accounts.list()[0]?.message).toContain("certificate is not trusted");
  } finally {
    await accounts.stop();
  }
  const trusting = new SipAccounts({ ...(await setup(path.join(tempDir, 'second'))).accountsOptions, ca: cert });
  try {
    await trusting.save({ address: 'sip:alice@127.0.0.1', websocketUrl: `wss://127.0.0.1:${port}/ws`, password: 'x' });
    await expect.poll(() => trusting.list()[0]?.message).toContain('does not speak SIP over WebSocket');
  } finally {
    await trusting.stop();
    sockets.close();
    https.close();
  }
});
