/**
 * Secrets (account passwords, session tokens, TURN credentials) live behind
 * this interface, never in settings.json. The Electron app gives the core a
 * store backed by `safeStorage` (main/electron/safe-storage-secret-store.ts);
 * tests and the browser harness use the in-memory store below, or the file
 * store with a cipher of their own.
 *
 * The file store keeps only encrypted blobs, in one JSON file written
 * atomically, readable by this user only. Nothing here logs a secret: log
 * lines name the secret, never its value.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import type { Logger } from '../../common/logger.ts';

export interface SecretStore {
  /** The secret, or null when none is stored (or it can no longer be decrypted). */
  get(name: string): Promise<string | null>;
  /** Throws SecretStoreUnavailableError, in words, when secrets cannot be kept safely here. */
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
  /** A caveat about how well secrets are protected on this machine, in words; null if none. */
  weakness(): string | null;
}

/** This machine offers no safe way to keep secrets; the message says so in words. */
export class SecretStoreUnavailableError extends Error {
  override name = 'SecretStoreUnavailableError';
}

/** How the file store turns a secret into bytes on disk and back. */
export interface SecretCipher {
  isAvailable(): boolean;
  /** Why secrets cannot be kept, for when isAvailable() is false. */
  unavailableReason(): string;
  encrypt(plainText: string): Buffer;
  decrypt(encrypted: Buffer): string;
  weakness(): string | null;
}

export const SECRETS_FILE_NAME = 'secrets.json';
const MAX_NAME_LENGTH = 4096;
const MAX_VALUE_LENGTH = 16 * 1024;

const SecretsFile = z.object({
  version: z.literal(1),
  /** name → base64 of the encrypted bytes. */
  secrets: z.record(z.string(), z.string()),
});
type SecretsFile = z.infer<typeof SecretsFile>;

function checkName(name: string): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH) {
    throw new Error(`A secret's name must be 1–${MAX_NAME_LENGTH} characters`);
  }
}

function checkValue(value: string): void {
  if (typeof value !== 'string' || value.length > MAX_VALUE_LENGTH) {
    throw new Error(`A secret can be at most ${MAX_VALUE_LENGTH} characters`);
  }
}

export interface FileSecretStoreOptions {
  filePath: string;
  cipher: SecretCipher;
  log: Logger;
}

export function createFileSecretStore(options: FileSecretStoreOptions): SecretStore {
  const { filePath, cipher, log } = options;
  let loaded: Promise<Map<string, string>> | null = null;

  // One operation at a time, so writes land in call order.
  let queue: Promise<unknown> = Promise.resolve();
  function serialized<R>(operation: () => Promise<R>): Promise<R> {
    const run = queue.then(operation, operation);
    queue = run.catch(() => undefined);
    return run;
  }

  async function read(): Promise<Map<string, string>> {
    let text: string;
    try {
      text = await readFile(filePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw new Error(`Cannot read the saved secrets (${(error as Error).message})`, { cause: error });
    }
    try {
      return new Map(Object.entries(SecretsFile.parse(JSON.parse(text)).secrets));
    } catch {
      // Encrypted blobs cannot be repaired; the user enters the passwords again.
      log.warn({ filePath }, 'The secrets file is unreadable; starting without saved secrets');
      return new Map();
    }
  }

  const blobs = () => (loaded ??= read());

  async function write(entries: Map<string, string>): Promise<void> {
    const document: SecretsFile = { version: 1, secrets: Object.fromEntries(entries) };
    await mkdir(path.dirname(filePath), { recursive: true, mode: 0o700 });
    await writeFileAtomic(filePath, `${JSON.stringify(document, null, 2)}\n`, { mode: 0o600 });
  }

  return {
    async get(name) {
      checkName(name);
      return serialized(async () => {
        const blob = (await blobs()).get(name);
        if (blob === undefined) return null;
        if (!cipher.isAvailable()) {
          log.warn({ secret: name }, 'A saved secret cannot be read: encryption is not available');
          return null;
        }
        try {
          return cipher.decrypt(Buffer.from(blob, 'base64'));
        } catch {
          log.warn({ secret: name }, 'A saved secret could not be decrypted (the system keyring may have changed)');
          return null;
        }
      });
    },

    async set(name, value) {
      checkName(name);
      checkValue(value);
      return serialized(async () => {
        if (!cipher.isAvailable()) throw new SecretStoreUnavailableError(cipher.unavailableReason());
        const entries = new Map(await blobs());
        entries.set(name, cipher.encrypt(value).toString('base64'));
        await write(entries);
        loaded = Promise.resolve(entries);
      });
    },

    async delete(name) {
      checkName(name);
      return serialized(async () => {
        const current = await blobs();
        if (!current.has(name)) return;
        const entries = new Map(current);
        entries.delete(name);
        await write(entries);
        loaded = Promise.resolve(entries);
      });
    },

    weakness: () => cipher.weakness(),
  };
}

/**
 * Secrets in memory only, gone when the process ends. For tests, and for
 * hosts with nowhere safe to keep them.
 */
export function createMemorySecretStore(initial: Record<string, string> = {}): SecretStore & { names(): string[] } {
  const secrets = new Map(Object.entries(initial));
  return {
    async get(name) {
      checkName(name);
      return secrets.get(name) ?? null;
    },
    async set(name, value) {
      checkName(name);
      checkValue(value);
      secrets.set(name, value);
    },
    async delete(name) {
      checkName(name);
      secrets.delete(name);
    },
    weakness: () => null,
    names: () => [...secrets.keys()].sort(),
  };
}
