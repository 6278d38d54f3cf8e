/**
 * The accounts file of a deployed server: who may sign in with a password,
 * under which name. A JSON file with a version, readable by its owner only,
 * replaced atomically on every change, and read again by a running server
 * when it changed on disk (so `user add` needs no restart).
 *
 *   { "version": 1, "accounts": [ { "name": "Alice", "service": false, "password": { scrypt… }, "created": "…" } ] }
 */
import { readFile, stat, mkdir } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { UserName, checkNewName, nameKey, normaliseName } from '../common/signaling-protocol.ts';
import { PasswordHash, hashPassword, verifyAgainstNothing, verifyPassword } from './password-hash.ts';

export const ACCOUNTS_FILE_VERSION = 1;
export const MIN_PASSWORD_LENGTH = 8;

const AccountRecord = z.object({
  name: UserName,
  /** A program (an IVR, a bot) rather than a person: not rate limited. */
  service: z.boolean().default(false),
  password: PasswordHash,
  created: z.string().optional(),
});
export type AccountRecord = z.infer<typeof AccountRecord>;

const AccountsFile = z.object({
  version: z.literal(ACCOUNTS_FILE_VERSION),
  accounts: z.array(AccountRecord),
});

export interface Account {
  name: string;
  service: boolean;
}

/** Why a name cannot be an account's name, or null. */
export function accountNameProblem(name: string): string | null {
  const normal = normaliseName(name);
  const parsed = UserName.safeParse(normal);
  if (!parsed.success) return parsed.error.issues.map((issue) => issue.message).join('; ');
  return checkNewName(normal);
}

export class AccountStore {
  private records = new Map<string, AccountRecord>();
  private loadedMtimeMs = -1;
  private reloading: Promise<void> | null = null;

  private constructor(readonly file: string) {}

  /** Opens the file; a missing file is an empty store (it is created on the first `add`). */
  static async open(file: string): Promise<AccountStore> {
    const store = new AccountStore(path.resolve(file));
    await store.load();
    return store;
  }

  /** Reads the file again if it changed since it was last read. */
  async reloadIfChanged(): Promise<void> {
    this.reloading ??= (async () => {
      try {
        const mtimeMs = await stat(this.file).then((s) => s.mtimeMs, () => -1);
        if (mtimeMs !== this.loadedMtimeMs) await this.load();
      } finally {
        this.reloading = null;
      }
    })();
    return this.reloading;
  }

  has(name: string): boolean {
    return this.records.has(nameKey(name));
  }

  get(name: string): Account | undefined {
    const record = this.records.get(nameKey(name));
    return record && { name: record.name, service: record.service };
  }

  list(): Account[] {
    return [...this.records.values()].map((record) => ({ name: record.name, service: record.service }));
  }

  /** The account, when the password is right; null for a wrong password or an unknown name alike. */
  async verify(name: string, password: string): Promise<Account | null> {
    const record = this.records.get(nameKey(name));
    if (!record) return verifyAgainstNothing(password).then(() => null);
    return (await verifyPassword(password, record.password)) ? { name: record.name, service: record.service } : null;
  }

  async add(name: string, password: string, options: { service?: boolean } = {}): Promise<Account> {
    const problem = accountNameProblem(name);
    if (problem) throw new Error(`Invalid name "${name}": ${problem}`);
    if (password.length < MIN_PASSWORD_LENGTH) throw new Error(`A password needs at least ${MIN_PASSWORD_LENGTH} characters`);
    await this.load();
    const normal = normaliseName(name);
    if (this.records.has(nameKey(normal))) throw new Error(`An account named "${this.records.get(nameKey(normal))!.name}" already exists`);
    const record: AccountRecord = {
      name: normal,
      service: options.service ?? false,
      password: await hashPassword(password),
      created: new Date().toISOString(),
    };
    this.records.set(nameKey(normal), record);
    await this.save();
    return { name: record.name, service: record.service };
  }

  /** Whether there was such an account. */
  async remove(name: string): Promise<boolean> {
    await this.load();
    if (!this.records.delete(nameKey(name))) return false;
    await this.save();
    return true;
  }

  private async load(): Promise<void> {
    let text: string;
    let mtimeMs: number;
    try {
      mtimeMs = (await stat(this.file)).mtimeMs;
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      this.records = new Map();
      this.loadedMtimeMs = -1;
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new Error(`The accounts file ${this.file} is not valid JSON`);
    }
    const version = (raw as { version?: unknown } | null)?.version;
    if (version !== ACCOUNTS_FILE_VERSION) {
      throw new Error(`The accounts file ${this.file} has version ${JSON.stringify(version)}; this server reads version ${ACCOUNTS_FILE_VERSION}`);
    }
    const parsed = AccountsFile.safeParse(raw);
    if (!parsed.success) {
      const where = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
      throw new Error(`The accounts file ${this.file} is invalid: ${where}`);
    }
    const records = new Map<string, AccountRecord>();
    for (const record of parsed.data.accounts) records.set(nameKey(record.name), { ...record, name: normaliseName(record.name) });
    this.records = records;
    this.loadedMtimeMs = mtimeMs;
  }

  private async save(): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const content = { version: ACCOUNTS_FILE_VERSION, accounts: [...this.records.values()] };
    await writeFileAtomic(this.file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
    this.loadedMtimeMs = (await stat(this.file)).mtimeMs;
  }
}
