/**
 * One JSON document on disk, validated on the way in and on the way out.
 *
 * Writes are atomic (write-file-atomic: temp file + rename), so a crash leaves
 * either the old or the new document, never half of one. A document that
 * cannot be read back (bad JSON, wrong shape) is moved aside, never deleted or
 * overwritten, and `load()` says where, so the app can tell the user and the
 * user can still recover what was in it.
 */
import { constants as fsConstants } from 'node:fs';
import { copyFile, lstat, mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { z } from 'zod';
import type { Logger } from '../../common/logger.ts';

export interface JsonFileStoreOptions<T> {
  filePath: string;
  /** Must accept its own output: what `save` writes is the schema's output. */
  schema: z.ZodType<T>;
  /** The document to use while the file does not exist (or was moved aside). */
  defaults: () => T;
  log: Logger;
}

/** Where an unreadable document was moved, and why it could not be used. */
export interface Recovery {
  movedTo: string;
  reason: string;
}

export interface LoadResult<T> {
  value: T;
  recovered: Recovery | null;
}

export interface JsonFileStore<T> {
  load(): Promise<LoadResult<T>>;
  save(value: T): Promise<void>;
}

export function describeZodError(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(document)'}: ${issue.message}`).join('; ');
}

function isMissingFile(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

function isAlreadyThere(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'EEXIST';
}

/** `contacts.json` → `contacts.corrupt-2026-11-22T10-00-00-000Z.json` (colons are not allowed on Windows). */
function asideName(filePath: string, tag: string, at: Date, attempt: number): string {
  const { dir, name, ext } = path.parse(filePath);
  const stamp = at.toISOString().replace(/[:.]/g, '-');
  const suffix = attempt === 0 ? '' : `-${attempt}`;
  return path.join(dir, `${name}.${tag}-${stamp}${suffix}${ext}`);
}

/**
 * Copy-then-unlink rather than rename: rename silently replaces an existing
 * target on POSIX, and COPYFILE_EXCL is the portable way to be sure an
 * earlier recovered copy is never overwritten. With `keep`, the original stays
 * (a backup copy).
 */
export async function moveAside(filePath: string, tag = 'corrupt', keep = false): Promise<string> {
  const at = new Date();
  for (let attempt = 0; ; attempt++) {
    const target = asideName(filePath, tag, at, attempt);
    try {
      await copyFile(filePath, target, fsConstants.COPYFILE_EXCL);
    } catch (error) {
      if (isAlreadyThere(error)) continue;
      throw error;
    }
    if (!keep) await unlink(filePath);
    return target;
  }
}

/** Writes `text` to a new file next to `filePath` (`<name>.<tag>-<time>.json`), never over an existing one. */
export async function writeAside(filePath: string, tag: string, text: string): Promise<string> {
  const at = new Date();
  for (let attempt = 0; ; attempt++) {
    const target = asideName(filePath, tag, at, attempt);
    let handle;
    try {
      handle = await open(target, 'wx');
    } catch (error) {
      if (isAlreadyThere(error)) continue;
      throw error;
    }
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    return target;
  }
}

/** write-file-atomic writes `<file>.<32-bit number>` and renames it over `<file>`; a kill in between leaves one behind. */
export function isTempFileOf(filePath: string, candidate: string): boolean {
  const base = path.basename(filePath);
  return candidate.startsWith(`${base}.`) && /^\d{1,10}$/.test(candidate.slice(base.length + 1));
}

/**
 * Removes temp files an earlier run left when it was killed mid-save. Call it
 * before this process saves anything (its own temp files are in flight then).
 * Returns the paths removed.
 */
export async function removeStaleTempFiles(filePath: string): Promise<string[]> {
  const dir = path.dirname(filePath);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!isTempFileOf(filePath, name)) continue;
    const candidate = path.join(dir, name);
    try {
      if (!(await lstat(candidate)).isFile()) continue;
      await unlink(candidate);
      removed.push(candidate);
    } catch {
      // Gone already, or not ours to remove: either way nothing to do.
    }
  }
  return removed;
}

/** The words for a failed read or write, for a notice: what happened, not an errno. */
export function describeFileError(error: unknown, filePath: string): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const folder = path.dirname(filePath);
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `the app may not write in ${folder} (permission denied)`;
    case 'EROFS':
      return `${folder} is on a read-only disk`;
    case 'ENOSPC':
      return 'the disk is full';
    case 'EDQUOT':
      return 'your disk quota is used up';
    case 'EISDIR':
      return `${filePath} is a folder, not a file`;
    case 'ENOTDIR':
      return `a file is in the way of the folder ${folder}`;
    case 'EMFILE':
    case 'ENFILE':
      return 'too many files are open';
    case 'EIO':
      return 'the disk reported an error';
    default:
      return (error as Error | null)?.message ?? String(error);
  }
}

type ParsedDocument<T> = { ok: true; value: T } | { ok: false; reason: string };

function parseDocument<T>(text: string, schema: z.ZodType<T>): ParsedDocument<T> {
  let raw: unknown;
  try {
    // A byte-order mark (added by some Windows editors) is not corruption.
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { ok: false, reason: `not valid JSON (${(error as Error).message})` };
  }
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, reason: `unexpected content (${describeZodError(result.error)})` };
}

export function createJsonFileStore<T>(options: JsonFileStoreOptions<T>): JsonFileStore<T> {
  const { filePath, schema, defaults, log } = options;

  // Every disk operation runs after the previous one settled, so saves land in
  // call order (the last call wins) and a load never sees a half-done move.
  let queue: Promise<unknown> = Promise.resolve();
  function serialized<R>(operation: () => Promise<R>): Promise<R> {
    const run = queue.then(operation, operation);
    queue = run.catch(() => undefined);
    return run;
  }

  async function readAndValidate(): Promise<LoadResult<T>> {
    const stale = await removeStaleTempFiles(filePath);
    if (stale.length) log.info({ filePath, stale }, 'removed temp files a killed save left behind');
    let text: string;
    try {
      text = await readFile(filePath, 'utf8');
    } catch (error) {
      if (isMissingFile(error)) return { value: defaults(), recovered: null };
      // Permission problems and the like are not corruption: moving the file
      // would not help, and the caller must hear about it.
      throw new Error(`Cannot read ${filePath}: ${(error as Error).message}`, { cause: error });
    }

    const parsed = parseDocument(text, schema);
    if (parsed.ok) return { value: parsed.value, recovered: null };

    const movedTo = await moveAside(filePath);
    const recovered = { movedTo, reason: parsed.reason };
    log.warn({ filePath, ...recovered }, 'Unreadable file moved aside; starting from defaults');
    return { value: defaults(), recovered };
  }

  async function write(text: string): Promise<void> {
    await mkdir(path.dirname(filePath), { recursive: true });
    await writeFileAtomic(filePath, text, { encoding: 'utf8' });
  }

  return {
    load: () => serialized(readAndValidate),

    save(value: T): Promise<void> {
      // Validate and serialise now, so a caller mutating `value` afterwards
      // cannot change what this call writes, and nothing invalid is queued.
      const result = schema.safeParse(value);
      if (!result.success) {
        const error = new Error(`Refusing to save ${filePath}: ${describeZodError(result.error)}`);
        log.error({ filePath, err: error }, 'Invalid document not saved');
        return Promise.reject(error);
      }
      const text = `${JSON.stringify(result.data, null, 2)}\n`;
      return serialized(() => write(text));
    },
  };
}
