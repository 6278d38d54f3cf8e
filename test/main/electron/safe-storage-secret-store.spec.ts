/**
 * The app's SecretStore over Electron's safeStorage, run against the
 * stand-in's safeStorage (which really encrypts, with a key only it holds).
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { SECRETS_FILE_NAME, SecretStoreUnavailableError } from '../../../main/core/secret-store.ts';
import {
  createSafeStorageSecretStore,
  NO_SAFE_STORAGE,
  WEAK_LINUX_STORAGE,
} from '../../../main/electron/safe-storage-secret-store.ts';
import { createCapturingLogger } from '../../support/capturing-logger.ts';
import { createElectronStandIn, type StandInOptions } from '../../support/electron-stand-in.ts';
import { expect, test } from '../../support/temp-dir.ts';

const PASSWORD = 'hunter2-but-longer';

function setup(userDataDir: string, options: StandInOptions = {}, platform: NodeJS.Platform = 'linux') {
  const standIn = createElectronStandIn(options);
  const logger = createCapturingLogger();
  const store = createSafeStorageSecretStore({ safeStorage: standIn.safeStorage, userDataDir, log: logger.log, platform });
  return { standIn, store, ...logger };
}

test('secrets go through safeStorage: the file holds only encrypted bytes, and they round-trip', async ({ tempDir }) => {
  const { standIn, store, lines } = setup(tempDir);
  await store.set('account-password wss://example.com/', PASSWORD);

  const file = await readFile(path.join(tempDir, SECRETS_FILE_NAME));
  expect(file.includes(PASSWORD)).toBe(false);
  expect(file.includes(Buffer.from(PASSWORD).toString('base64'))).toBe(false);
  expect(JSON.parse(file.toString())).toEqual({ version: 1, secrets: { 'account-password wss://example.com/': expect.any(String) } });
  expect(JSON.stringify(lines)).not.toContain(PASSWORD);
  expect(standIn.calls.map((c) => c.api)).toContain('safeStorage.encryptString');

  expect(await store.get('account-password wss://example.com/')).toBe(PASSWORD);
  expect(standIn.calls.map((c) => c.api)).toContain('safeStorage.decryptString');
  // Another machine's (or user's) safeStorage cannot read them.
  expect(await setup(tempDir).store.get('account-password wss://example.com/')).toBeNull();
});

test('refuses to store when encryption is not available, with a clear reason, and writes nothing', async ({ tempDir }) => {
  const { store } = setup(tempDir, { encryptionAvailable: false });
  const saving = store.set('account-password wss://example.com/', PASSWORD);
  await expect(saving).rejects.toThrow(SecretStoreUnavailableError);
  await expect(store.set('x', PASSWORD)).rejects.toThrow(NO_SAFE_STORAGE);
  expect(await readdir(tempDir)).toEqual([]);
});

test("Linux's basic_text backend is called weak, in words; a keyring is not; other systems never are", async ({ tempDir }) => {
  const weak = setup(tempDir, { storageBackend: 'basic_text' });
  await weak.store.set('a', PASSWORD);
  expect(weak.store.weakness()).toBe(WEAK_LINUX_STORAGE);
  expect(weak.warnings().map((w) => w.msg)).toEqual([expect.stringMatching(/basic_text/)]);

  expect(setup(tempDir, { storageBackend: 'gnome_libsecret' }).store.weakness()).toBeNull();
  expect(setup(tempDir, { storageBackend: 'basic_text' }, 'darwin').store.weakness()).toBeNull();
});
