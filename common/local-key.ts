/**
 * The per-user key of the embedded signaling server. Every app instance of
 * one OS user (each profile) and the demo IVR it hosts read the same key
 * file; the server and each client prove to each other that they know it,
 * without sending it: a program that grabbed port 8765 first learns nothing
 * it can use, and a web page or another user's program cannot sign in.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

const KEY_BYTES = 32;

export type ProofRole = 'client' | 'server';

/** A random challenge or nonce for the sign-in handshake. */
export function randomChallenge(): string {
  return randomBytes(24).toString('base64url');
}

/** HMAC-SHA256 over who is proving and both sides' challenges, so a proof cannot be replayed or reflected. */
export function keyProof(key: Buffer, role: ProofRole, challenge: string, nonce: string): string {
  return createHmac('sha256', key).update(`softphone-local-key\n${role}\n${challenge}\n${nonce}`).digest('base64url');
}

export function isValidProof(key: Buffer, role: ProofRole, challenge: string, nonce: string, proof: string): boolean {
  const expected = Buffer.from(keyProof(key, role, challenge, nonce));
  const given = Buffer.from(proof);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Reads the key, or makes one (readable by this user only) when the file is
 * missing or unusable. Two instances starting at once may both write; the
 * atomic rename means each reads back whole key, and the one read last is
 * the one both keep, since they read again after writing.
 */
export async function loadOrCreateLocalKey(file: string): Promise<Buffer> {
  const existing = await readKey(file);
  if (existing) return existing;
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600 });
  const written = await readKey(file);
  if (!written) throw new Error(`Could not create the local server key at ${file}`);
  return written;
}

async function readKey(file: string): Promise<Buffer | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const key = Buffer.from(text.trim(), 'base64');
  return key.length === KEY_BYTES ? key : null;
}
