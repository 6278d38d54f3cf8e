/**
 * The user's saved contacts, in `<userData>/contacts.json`.
 *
 * The file carries a schema version. Version 1 kept unique app user names with
 * their keys; version 2 (written now) keeps contacts with an id, a display
 * name and 1–16 addresses (common/contact-schema.ts). Older files are migrated
 * on load (the old file is kept as a backup first); a file from a newer app is
 * left untouched and the list stays read-only, with the reason.
 *
 * Nothing the user saved is lost: an entry that does not check out is put in
 * `contacts.rejected-<time>.json` next to the file, with why, and the good ones
 * load; a file that is not JSON is moved aside (json-file-store.ts); a path
 * that is a folder, a file far too big or one that cannot be read leaves the
 * list empty and read-only with the reason, never a failed start. Temp files a
 * killed save left are removed on load.
 *
 * A change is written before it is made in memory: when the write fails (a
 * read-only folder, a full disk) memory keeps what the disk has and the caller
 * gets a ContactsError of kind 'save-failed' in words.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import {
  addressKey,
  Contact,
  ContactDetails,
  ContactId,
  ContactPatch,
  ContactRestore,
  MAX_ADDRESSES,
  MAX_CONTACTS,
} from '../../common/contact-schema.ts';
import { DtmfSequence, PostDial } from '../../common/dial-string.ts';
import { toTranslate } from '../../common/i18n/schema-words.ts';
import type { Logger } from '../../common/logger.ts';
import { UserName } from '../../common/signaling-protocol.ts';
import { sealedDocument, unsealedContacts } from './contacts-seal.ts';
import { migrateDocument, type DocumentObject, type Migration, type RejectedEntry } from './document-migrations.ts';
import {
  describeFileError,
  describeZodError,
  moveAside,
  removeStaleTempFiles,
  writeAside,
  type Recovery,
} from './json-file-store.ts';

export const CONTACTS_FILE_NAME = 'contacts.json';
export const CONTACTS_SCHEMA_VERSION = 2;
/** Far more than 50,000 contacts take; a bigger file is not read (it would stall the start). */
export const DEFAULT_MAX_CONTACTS_FILE_BYTES = 50 * 1024 * 1024;

/** A version 1 entry, read leniently: fields added during version 1 have defaults. */
const V1Contact = z.object({
  name: UserName,
  addedAt: z.iso.datetime(),
  postDial: PostDial,
  sequences: z.array(DtmfSequence).max(20).default([]),
});

function entriesOf(document: DocumentObject): unknown[] | null {
  return Array.isArray(document.contacts) ? document.contacts : null;
}

/** Version 1 → 2: each name becomes a contact with that name and one app address; its keys come along. */
const v1ToV2 = (newId: () => string): Migration => ({
  from: 1,
  to: 2,
  up(document) {
    const rejected: RejectedEntry[] = [];
    const contacts: unknown[] = [];
    (entriesOf(document) ?? []).forEach((entry, index) => {
      const parsed = V1Contact.safeParse(entry);
      if (!parsed.success) {
        rejected.push({ index, reason: describeZodError(parsed.error), entry });
        return;
      }
      const { name, addedAt, postDial, sequences } = parsed.data;
      contacts.push({
        id: newId(),
        name,
        addresses: [{ kind: 'app', value: name }],
        favourite: false,
        notes: '',
        postDial,
        sequences,
        createdAt: addedAt,
        updatedAt: addedAt,
      });
    });
    return { document: { contacts }, rejected };
  },
});

/** Every step from an old schema version to the next, in order. */
const migrations = (newId: () => string): readonly Migration[] => [v1ToV2(newId)];

export type ContactsErrorKind = 'not-found' | 'exists' | 'unavailable' | 'save-failed' | 'invalid';

/** A contacts operation that did not happen, with why in words. */
export class ContactsError extends Error {
  constructor(
    readonly kind: ContactsErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'ContactsError';
  }
}

/** What loading found, for the user: each non-null field is worth a notice. */
export interface ContactsLoadReport {
  contacts: Contact[];
  /** The file was not JSON (or not a contacts file at all): moved aside, the list starts empty. */
  recovered: Recovery | null;
  /** Migrated from this schema version; the file as it was is kept at `backup`. */
  migrated: { from: number; backup: string } | null;
  /** Entries that did not check out, kept in `file` with their reasons; the rest loaded. */
  rejected: { file: string; entries: Array<Pick<RejectedEntry, 'index' | 'reason'>> } | null;
  /** The list is read-only for this run: why (a folder, too big, unreadable, from a newer app). */
  unavailable: string | null;
  /** Loaded, but the cleaned or migrated list could not be written back: why. Changes will try again. */
  notWritten: string | null;
  /** Temp files a killed save had left, now removed. */
  staleTempFiles: string[];
}

export interface ContactsStoreOptions {
  userDataDir: string;
  log: Logger;
  /** Injected so tests can pin createdAt/updatedAt. */
  now?: () => Date;
  /** Injected so tests can pin ids. */
  newId?: () => string;
  /** Bigger files are not read (default 50 MiB). */
  maxFileBytes?: number;
  /** How a document is written atomically; tests inject failures (a full disk). */
  writeAtomically?: (filePath: string, text: string) => Promise<void>;
}

export interface ContactsStore {
  readonly filePath: string;
  /** Reads the file; must be called (once) before anything else. */
  load(): Promise<ContactsLoadReport>;
  /** Saved contacts, in the order they were added. */
  list(): Contact[];
  get(id: string): Contact | undefined;
  /** Why the list is read-only for this run, or null. */
  unavailable(): string | null;
  add(details: ContactDetails): Promise<Contact>;
  update(id: string, patch: ContactPatch): Promise<Contact>;
  /** Forgets a contact; returns it (for undo). */
  remove(id: string): Promise<Contact>;
  /** Puts a removed contact back, same id. */
  restore(contact: z.input<typeof ContactRestore>): Promise<Contact>;
  /**
   * Many contacts at once (an import), in one save: a card whose name is
   * already a contact adds the addresses that contact lacks.
   */
  importMany(cards: readonly ContactDetails[]): Promise<ImportReport>;
}

export interface ImportReport {
  added: number;
  merged: number;
  skipped: Array<{ name: string; reason: string }>;
}

/** Names compared as people read them: case and accents do not make another person. */
const sameName = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'base' }) === 0;

async function defaultWrite(filePath: string, text: string): Promise<void> {
  await mkdir(path.dirname(filePath), { recursive: true });
  await writeFileAtomic(filePath, text, { encoding: 'utf8' });
}

function sizeInWords(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round(bytes / 1024 / 1024)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/** Every contact written was checked first, so the file is sealed (contacts-seal.ts). */
function serialise(contacts: readonly Contact[]): string {
  return sealedDocument(CONTACTS_SCHEMA_VERSION, JSON.stringify(contacts, null, 1));
}

function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ContactsError('invalid', describeZodError(parsed.error));
  return parsed.data;
}

/** Keeps the entries that check out; the others (and repeated ids) are returned with why. */
function splitEntries(entries: readonly unknown[]): { contacts: Contact[]; rejected: RejectedEntry[] } {
  const contacts: Contact[] = [];
  const rejected: RejectedEntry[] = [];
  const ids = new Set<string>();
  entries.forEach((entry, index) => {
    const parsed = Contact.safeParse(entry);
    if (!parsed.success) {
      rejected.push({ index, reason: describeZodError(parsed.error), entry });
    } else if (ids.has(parsed.data.id)) {
      rejected.push({ index, reason: `id ${parsed.data.id} is used by an earlier contact`, entry });
    } else if (contacts.length >= MAX_CONTACTS) {
      rejected.push({ index, reason: `more than ${MAX_CONTACTS} contacts`, entry });
    } else {
      ids.add(parsed.data.id);
      contacts.push(parsed.data);
    }
  });
  return { contacts, rejected };
}

export function createContactsStore(options: ContactsStoreOptions): ContactsStore {
  const { log } = options;
  const now = options.now ?? (() => new Date());
  const newId = options.newId ?? (() => randomUUID());
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_CONTACTS_FILE_BYTES;
  const write = options.writeAtomically ?? defaultWrite;
  const filePath = path.join(options.userDataDir, CONTACTS_FILE_NAME);
  const fileName = CONTACTS_FILE_NAME;

  let contacts: Contact[] | null = null;
  let unavailable: string | null = null;

  function loaded(): Contact[] {
    if (!contacts) throw new Error('Contacts store used before load()');
    return contacts;
  }

  // Changes run one after another, each from the list the previous one left,
  // and the list in memory changes only once its file is written.
  let queue: Promise<unknown> = Promise.resolve();
  function change<R>(apply: (current: Contact[]) => { next: Contact[]; result: R }): Promise<R> {
    const run = queue.then(async () => {
      const current = loaded();
      if (unavailable !== null) throw new ContactsError('unavailable', toTranslate('Contacts cannot be changed: {{reason}}', { reason: unavailable }));
      const { next, result } = apply(current);
      try {
        await write(filePath, serialise(next));
      } catch (error) {
        log.error({ filePath, err: error }, 'contacts not saved');
        throw new ContactsError('save-failed', toTranslate('Your contacts could not be saved ({{reason}}), so the change was not made.', { reason: describeFileError(error, filePath) }));
      }
      contacts = next;
      return result;
    });
    queue = run.catch(() => undefined);
    return run;
  }

  function find(current: Contact[], id: string): Contact {
    const contact = current.find((c) => c.id === id);
    if (!contact) throw new ContactsError('not-found', toTranslate('This contact is no longer in your list'));
    return contact;
  }

  async function load(): Promise<ContactsLoadReport> {
    const report: ContactsLoadReport = {
      contacts: [],
      recovered: null,
      migrated: null,
      rejected: null,
      unavailable: null,
      notWritten: null,
      staleTempFiles: [],
    };
    const lock = (reason: string) => {
      unavailable = reason;
      report.unavailable = reason;
      contacts = [];
      log.warn({ filePath, reason }, 'contacts are read-only for this run');
      return report;
    };

    report.staleTempFiles = await removeStaleTempFiles(filePath);

    let text: string;
    try {
      const info = await stat(filePath);
      if (info.isDirectory()) return lock(`${filePath} is a folder, not a file. Move or rename it, then restart the app.`);
      if (!info.isFile()) return lock(`${filePath} is not a regular file. Move it away, then restart the app.`);
      if (info.size > maxFileBytes) {
        return lock(`${fileName} is ${sizeInWords(info.size)}, far bigger than a contacts file gets, so it was not read and was left as it is. Move it away, then restart the app.`);
      }
      text = await readFile(filePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        contacts = [];
        return report;
      }
      return lock(`${fileName} could not be read (${describeFileError(error, filePath)}).`);
    }

    // A file as this app wrote it needs no second check of each contact: the window waits for this.
    const sealed = unsealedContacts(text, CONTACTS_SCHEMA_VERSION);
    if (sealed) {
      contacts = sealed as Contact[];
      report.contacts = contacts;
      return report;
    }

    let raw: unknown;
    try {
      raw = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (error) {
      return moveAsideAndStartEmpty(report, `not valid JSON (${(error as Error).message})`);
    }
    const outcome = migrateDocument(raw, CONTACTS_SCHEMA_VERSION, migrations(newId));
    if (outcome.status === 'newer') {
      return lock(
        `${fileName} was written by a newer version of Softphone (contacts format ${outcome.version}; this version reads up to ${CONTACTS_SCHEMA_VERSION}). It was left as it is; update Softphone to use it.`,
      );
    }
    if (outcome.status === 'unreadable') return moveAsideAndStartEmpty(report, `unexpected content (${outcome.reason})`);
    const entries = entriesOf(outcome.document);
    if (!entries) return moveAsideAndStartEmpty(report, 'unexpected content (the file has no list of contacts)');

    const split = splitEntries(entries);
    const rejected = [...outcome.rejected, ...split.rejected];
    contacts = split.contacts;
    report.contacts = split.contacts;

    const mustRewrite = outcome.status === 'migrated' || rejected.length > 0;
    if (!mustRewrite) {
      // Checked in full this once: written back sealed, so the next start need not check again.
      // Only a saving in time, so a folder that refuses it is logged, not reported.
      await write(filePath, serialise(split.contacts)).catch((error: unknown) => log.warn({ filePath, err: error }, 'contacts checked, but could not be sealed'));
      return report;
    }
    try {
      // Keep what the file held before writing over it: a backup of an old version, the refused entries.
      if (outcome.status === 'migrated') {
        report.migrated = { from: outcome.from, backup: await moveAside(filePath, `v${outcome.from}-backup`, true) };
      }
      if (rejected.length) {
        const file = await writeAside(filePath, 'rejected', `${JSON.stringify({ from: fileName, entries: rejected }, null, 1)}\n`);
        report.rejected = { file, entries: rejected.map(({ index, reason }) => ({ index, reason })) };
      }
      await write(filePath, serialise(split.contacts));
    } catch (error) {
      report.notWritten = describeFileError(error, filePath);
      log.warn({ filePath, err: error }, 'loaded contacts could not be written back');
      if (rejected.length && !report.rejected) {
        // The refused entries could not be kept aside: do not drop them from the file either.
        return lock(`${fileName} has entries this app cannot read, and they could not be kept aside (${report.notWritten}). It was left as it is.`);
      }
    }
    if (report.rejected) log.warn({ filePath, rejected: report.rejected }, 'contacts that did not check out were kept aside');
    return report;
  }

  async function moveAsideAndStartEmpty(report: ContactsLoadReport, reason: string): Promise<ContactsLoadReport> {
    try {
      const movedTo = await moveAside(filePath);
      report.recovered = { movedTo, reason };
      log.warn({ filePath, movedTo, reason }, 'Unreadable file moved aside; starting from defaults');
      contacts = [];
      return report;
    } catch (error) {
      unavailable = `${fileName} cannot be read (${reason}) and could not be moved aside (${describeFileError(error, filePath)}). It was left as it is.`;
      report.unavailable = unavailable;
      contacts = [];
      return report;
    }
  }

  return {
    filePath,
    load,
    list: () => [...loaded()],
    get: (id) => loaded().find((c) => c.id === id),
    unavailable: () => unavailable,

    add(details) {
      return change((current) => {
        const input = parseOrThrow(ContactDetails, details);
        if (current.length >= MAX_CONTACTS) throw new ContactsError('invalid', toTranslate('You can keep at most {{max}} contacts', { max: MAX_CONTACTS }));
        const at = now().toISOString();
        const contact = parseOrThrow(Contact, {
          favourite: false,
          notes: '',
          postDial: '',
          sequences: [],
          ...input,
          id: newId(),
          createdAt: at,
          updatedAt: at,
        });
        return { next: [...current, contact], result: contact };
      });
    },

    update(id, patch) {
      return change((current) => {
        const changes = parseOrThrow(ContactPatch, patch);
        const before = find(current, parseOrThrow(ContactId, id));
        const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
        const contact = parseOrThrow(Contact, { ...before, ...defined, updatedAt: now().toISOString() });
        return { next: current.map((c) => (c.id === contact.id ? contact : c)), result: contact };
      });
    },

    remove(id) {
      return change((current) => {
        const contact = find(current, parseOrThrow(ContactId, id));
        return { next: current.filter((c) => c !== contact), result: contact };
      });
    },

    importMany(cards) {
      return change((current) => {
        const next = [...current];
        const report: ImportReport = { added: 0, merged: 0, skipped: [] };
        const at = now().toISOString();
        for (const card of cards) {
          const name = typeof card.name === 'string' ? card.name : '';
          let input: ReturnType<typeof ContactDetails.parse>;
          try {
            input = parseOrThrow(ContactDetails, card);
          } catch (error) {
            report.skipped.push({ name, reason: (error as Error).message });
            continue;
          }
          const index = next.findIndex((c) => sameName(c.name, input.name));
          if (index >= 0) {
            const existing = next[index]!;
            const known = new Set(existing.addresses.map(addressKey));
            const fresh = input.addresses.filter((a) => !known.has(addressKey(a)));
            if (fresh.length === 0) {
              report.skipped.push({ name: input.name, reason: 'already in your contacts with these addresses' });
              continue;
            }
            if (existing.addresses.length + fresh.length > MAX_ADDRESSES) {
              report.skipped.push({ name: input.name, reason: `${existing.name} would have more than ${MAX_ADDRESSES} addresses` });
              continue;
            }
            next[index] = parseOrThrow(Contact, { ...existing, addresses: [...existing.addresses, ...fresh], updatedAt: at });
            report.merged++;
          } else if (next.length >= MAX_CONTACTS) {
            report.skipped.push({ name: input.name, reason: `you can keep at most ${MAX_CONTACTS} contacts` });
          } else {
            next.push(parseOrThrow(Contact, { favourite: false, notes: '', postDial: '', sequences: [], ...input, id: newId(), createdAt: at, updatedAt: at }));
            report.added++;
          }
        }
        return { next, result: report };
      });
    },

    restore(input) {
      return change((current) => {
        const contact = parseOrThrow(ContactRestore, input);
        if (current.some((c) => c.id === contact.id)) throw new ContactsError('exists', toTranslate('{{name}} is already in your contacts', { name: contact.name }));
        if (current.length >= MAX_CONTACTS) throw new ContactsError('invalid', toTranslate('You can keep at most {{max}} contacts', { max: MAX_CONTACTS }));
        return { next: [...current, contact], result: contact };
      });
    },
  };
}
