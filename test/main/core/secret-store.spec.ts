import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  createFileSecretStore,
  createMemorySecretStore,
  SECRETS_FILE_NAME,
  SecretStoreUnavailableError,
  type SecretCipher,
} from '../../../main/core/secret-store.ts';
import { createCapturingLogger } from '../../support/capturing-logger.ts';
import { testCipher } from '../../support/test-secret-store.ts';
import { expect, test } from '../../support/temp-dir.ts';

const SECRET = 'correct horse battery staple';

function open(dir: string, cipher: SecretCipher = testCipher) {
  const logger = createCapturingLogger();
  return { store: createFileSecretStore({ filePath: path.join(dir, SECRETS_FILE_NAME), cipher, log: logger.log }), ...logger };
}

test('a secret round-trips, survives reopening, and never reaches the disk or the log in plain text', async ({ tempDir }) => {
  const { store, lines } = open(tempDir);
  expect(await store.get('account-password wss://example.com/')).toBeNull();

  await store.set('account-password wss://example.com/', SECRET);
  expect(await store.get('account-password wss://example.com/')).toBe(SECRET);

  const reopened = open(tempDir).store;
  expect(await reopened.get('account-password wss://example.com/')).toBe(SECRET);

  const onDisk = await readFile(path.join(tempDir, SECRETS_FILE_NAME));
  expect(onDisk.includes(SECRET)).toBe(false);
  expect(onDisk.includes(Buffer.from(SECRET).toString('base64'))).toBe(false);
  expect(JSON.stringify(lines)).not.toContain(SECRET);
  if (process.platform !== 'win32') expect((await stat(path.join(tempDir, SECRETS_FILE_NAME))).mode & 0o077).toBe(0);
});

test('delete forgets a secret; other secrets stay', async ({ tempDir }) => {
  const { store } = open(tempDir);
  await store.set('a', 'one');
  await store.set('b', 'two');
  await store.delete('a');
  await store.delete('never-there');
  expect(await store.get('a')).toBeNull();
  expect(await open(tempDir).store.get('b')).toBe('two');
});

test('writes are atomic: no temp files are left behind, and the last write wins', async ({ tempDir }) => {
  const { store } = open(tempDir);
  await Promise.all(Array.from({ length: 10 }, (_, i) => store.set('token', `value-${i}`)));
  expect(await open(tempDir).store.get('token')).toBe('value-9');
  expect(await readdir(tempDir)).toEqual([SECRETS_FILE_NAME]);
});

test('refuses to store when encryption is not available, in words, and writes nothing', async ({ tempDir }) => {
  const unavailable: SecretCipher = { ...testCipher, isAvailable: () => false, unavailableReason: () => 'No keyring on this computer' };
  const { store } = open(tempDir, unavailable);
  await expect(store.set('a', SECRET)).rejects.toThrow(SecretStoreUnavailableError);
  await expect(store.set('a', SECRET)).rejects.toThrow('No keyring on this computer');
  expect(await readdir(tempDir)).toEqual([]);
  expect(await store.get('a')).toBeNull();
});

test('a secret that can no longer be decrypted reads as missing, and says so by name only', async ({ tempDir }) => {
  await open(tempDir).store.set('session wss://example.com/', SECRET);
  const otherKeyring: SecretCipher = {
    ...testCipher,
    decrypt: () => {
      throw new Error('bad decrypt');
    },
  };
  const { store, warnings } = open(tempDir, otherKeyring);
  expect(await store.get('session wss://example.com/')).toBeNull();
  expect(warnings().map((w) => w.secret)).toEqual(['session wss://example.com/']);
});

test('an unreadable secrets file means no saved secrets, not a crash', async ({ tempDir }) => {
  await writeFile(path.join(tempDir, SECRETS_FILE_NAME), '{ not json');
  const { store } = open(tempDir);
  expect(await store.get('a')).toBeNull();
  await store.set('a', 'fresh');
  expect(await open(tempDir).store.get('a')).toBe('fresh');
});

test('names and values are bounded', async ({ tempDir }) => {
  const { store } = open(tempDir);
  await expect(store.set('', 'x')).rejects.toThrow(/name/);
  await expect(store.set('a', 'x'.repeat(20_000))).rejects.toThrow(/at most/);
});

test('the in-memory store keeps secrets for the life of the process', async () => {
  const store = createMemorySecretStore({ preset: 'p' });
  expect(await store.get('preset')).toBe('p');
  await store.set('a', 'one');
  await store.delete('preset');
  expect(store.names()).toEqual(['a']);
  expect(store.weakness()).toBeNull();
});
