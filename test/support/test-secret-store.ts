/**
 * A SecretStore for tests and the browser harness, where Electron's
 * safeStorage does not exist: the real file store, with AES-256-GCM under a
 * key that lives only in this test process (so a profile reopened in the same
 * run finds its secrets, and nothing on disk is readable). NOT for the app.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Logger } from '../../common/logger.ts';
import { createFileSecretStore, SECRETS_FILE_NAME, type SecretCipher, type SecretStore } from '../../main/core/secret-store.ts';

const processKey = randomBytes(32);

export const testCipher: SecretCipher = {
  isAvailable: () => true,
  unavailableReason: () => 'unreachable',
  encrypt(plainText) {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', processKey, iv);
    const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  },
  decrypt(encrypted) {
    const decipher = createDecipheriv('aes-256-gcm', processKey, encrypted.subarray(0, 12));
    decipher.setAuthTag(encrypted.subarray(12, 28));
    return Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]).toString('utf8');
  },
  weakness: () => null,
};

/** Secrets of one test profile, kept encrypted in `<userDataDir>/secrets.json`. */
export function createTestSecretStore(userDataDir: string, log: Logger): SecretStore {
  return createFileSecretStore({ filePath: path.join(userDataDir, SECRETS_FILE_NAME), cipher: testCipher, log });
}
