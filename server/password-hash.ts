/**
 * Password hashes with node's scrypt: a random salt per password, and the
 * cost parameters stored beside the hash so they can be raised later without
 * invalidating older hashes.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';

export const PasswordHash = z.object({
  algorithm: z.literal('scrypt'),
  /** CPU/memory cost (a power of two). */
  N: z.number().int().min(2).max(2 ** 22),
  r: z.number().int().min(1).max(64),
  p: z.number().int().min(1).max(16),
  keyLength: z.number().int().min(16).max(128),
  salt: z.string().min(16),
  hash: z.string().min(16),
});
export type PasswordHash = z.infer<typeof PasswordHash>;

/** 32 MiB and roughly 50–100 ms per hash on a small server. */
const DEFAULT_COST = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_BYTES = 16;

function derive(password: string, salt: Buffer, keyLength: number, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  // scrypt needs 128 * N * r bytes; allow exactly what the stored parameters ask for.
  const options: ScryptOptions = { ...cost, maxmem: 128 * cost.N * cost.r * 2 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<PasswordHash> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_LENGTH, DEFAULT_COST);
  return { algorithm: 'scrypt', ...DEFAULT_COST, keyLength: KEY_LENGTH, salt: salt.toString('base64'), hash: key.toString('base64') };
}

export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const key = await derive(password, Buffer.from(stored.salt, 'base64'), stored.keyLength, stored);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

let dummy: Promise<PasswordHash> | null = null;

/**
 * Spends as long as checking a real password, for an account that does not
 * exist: the answer's timing must not tell which names have accounts.
 */
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummy ??= hashPassword(randomBytes(12).toString('base64'));
  await verifyPassword(password, await dummy);
  return false;
}
