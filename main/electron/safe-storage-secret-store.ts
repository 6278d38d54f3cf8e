/**
 * The app's SecretStore: Electron's `safeStorage` encrypts each secret with a
 * key the operating system guards (Keychain on macOS, DPAPI on Windows, the
 * Secret Service or KWallet on Linux), and only the encrypted bytes go to
 * `<userData>/secrets.json`. Must be used after app 'ready' (safeStorage
 * works only then).
 */
import path from 'node:path';
import type { SafeStorage } from 'electron';
import type { Logger } from '../../common/logger.ts';
import { toTranslate } from '../../common/i18n/schema-words.ts';
import { createFileSecretStore, SECRETS_FILE_NAME, type SecretCipher, type SecretStore } from '../core/secret-store.ts';

export type SafeStorageApi = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'>;

export const NO_SAFE_STORAGE = toTranslate(
  'This computer offers no safe place for passwords (no system keychain or keyring is available), so it was not saved. Install or unlock a keyring (for example GNOME Keyring or KWallet) and save it again.',
);

export const WEAK_LINUX_STORAGE = toTranslate(
  'No system keyring was found, so saved passwords are protected only by a key built into the app: anyone who can read your files can read them. Install or unlock a keyring (for example GNOME Keyring or KWallet) to protect them.',
);

export function safeStorageCipher(safeStorage: SafeStorageApi, platform: NodeJS.Platform = process.platform): SecretCipher {
  return {
    isAvailable: () => safeStorage.isEncryptionAvailable(),
    unavailableReason: () => NO_SAFE_STORAGE,
    encrypt: (plainText) => safeStorage.encryptString(plainText),
    decrypt: (encrypted) => safeStorage.decryptString(encrypted),
    weakness: () => (platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text' ? WEAK_LINUX_STORAGE : null),
  };
}

export interface SafeStorageSecretStoreOptions {
  safeStorage: SafeStorageApi;
  userDataDir: string;
  log: Logger;
  platform?: NodeJS.Platform;
}

export function createSafeStorageSecretStore(options: SafeStorageSecretStoreOptions): SecretStore {
  const cipher = safeStorageCipher(options.safeStorage, options.platform);
  const store = createFileSecretStore({ filePath: path.join(options.userDataDir, SECRETS_FILE_NAME), cipher, log: options.log });
  let warned = false;
  return {
    ...store,
    async set(name, value) {
      await store.set(name, value);
      const weakness = cipher.weakness();
      if (weakness && !warned) {
        warned = true;
        options.log.warn('Secrets are stored with the basic_text backend: no system keyring protects them');
      }
    },
  };
}
