/**
 * Secrets the deployed server reads from files (never from the command line,
 * where `ps` shows them): the session-token secret, made on first start, and
 * the TURN server's shared secret.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

const SESSION_SECRET_BYTES = 32;

async function readText(file: string, what: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw new Error(`Cannot read the ${what} ${file}: ${(error as Error).message}`);
  }
}

/** Warns (through `warn`) when a secret file can be read by other users. */
async function checkPrivate(file: string, what: string, warn: (message: string) => void): Promise<void> {
  if (process.platform === 'win32') return;
  const { mode } = await stat(file);
  if ((mode & 0o077) !== 0) warn(`The ${what} ${file} is readable by other users (mode ${(mode & 0o777).toString(8)}); chmod 600 it`);
}

/** Reads the session secret, or creates the file (mode 0600) with a random one. */
export async function loadOrCreateSessionSecret(file: string, warn: (message: string) => void = () => {}): Promise<Buffer> {
  const text = await readText(file, 'session secret file');
  if (text === null) {
    await mkdir(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
    const secret = randomBytes(SESSION_SECRET_BYTES);
    await writeFileAtomic(file, `${secret.toString('base64')}\n`, { mode: 0o600 });
    return secret;
  }
  const secret = Buffer.from(text.trim(), 'base64');
  if (secret.length < 16) throw new Error(`The session secret file ${file} does not hold a base64 secret of at least 16 bytes`);
  await checkPrivate(file, 'session secret file', warn);
  return secret;
}

/** Reads a shared secret given as text (e.g. coturn's static-auth-secret), trimmed. */
export async function readSecretFile(file: string, what: string, warn: (message: string) => void = () => {}): Promise<string> {
  const text = await readText(file, what);
  if (text === null) throw new Error(`The ${what} ${file} does not exist`);
  const secret = text.trim();
  if (secret.length === 0) throw new Error(`The ${what} ${file} is empty`);
  await checkPrivate(file, what, warn);
  return secret;
}
