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
import { copyFile, mkdir, readFile, unlink } from 'node:fs/promises';
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
function asideName(filePath: string, at: Date, attempt: number): string {
  const { dir, name, ext } = path.parse(filePath);
  const stamp = at.toISOString().replace(/[:.]/g, '-');
  const suffix = attempt === 0 ? '' : `-${attempt}`;
  return path.join(dir, `${name}.corrupt-${stamp}${suffix}${ext}`);
}

/**
 * Copy-then-unlink rather than rename: rename silently replaces an existing
 * target on POSIX, and COPYFILE_EXCL is the portable way to be sure an
 * earlier recovered copy is never overwritten.
 */
async function moveAside(filePath: string): Promise<string> {
  const at = new Date();
  for (let attempt = 0; ; attempt++) {
    const target = asideName(filePath, at, attempt);
    try {
      await copyFile(filePath, target, fsConstants.COPYFILE_EXCL);
    } catch (error) {
      if (isAlreadyThere(error)) continue;
      throw error;
    }
    await unlink(filePath);
    return target;
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
