/**
 * The user's saved contacts, in `<userData>/contacts.json`.
 *
 * Names are unique and compared exactly (case-sensitive), as the signaling
 * server treats "alice" and "Alice" as different users.
 */
import path from 'node:path';
import { z } from 'zod';
import type { Logger } from '../../common/logger.ts';
import { UserName } from '../../common/signaling-protocol.ts';
import { DtmfSequence, PostDial } from '../../common/dial-string.ts';
import type { ContactDetails } from '../../common/ipc-contract.ts';
import type { SavedEntry } from './directory.ts';
import { createJsonFileStore, type Recovery } from './json-file-store.ts';

const SavedContact = z.object({
  name: UserName,
  addedAt: z.iso.datetime(),
  // Added after version 1 shipped; optional with defaults, so old files still load.
  postDial: PostDial,
  sequences: z.array(DtmfSequence).default([]),
});

export const ContactsDocument = z.object({
  version: z.literal(1),
  contacts: z.array(SavedContact).refine(
    (contacts) => new Set(contacts.map((c) => c.name)).size === contacts.length,
    'Contact names must be unique',
  ),
});
export type ContactsDocument = z.infer<typeof ContactsDocument>;

export const CONTACTS_FILE_NAME = 'contacts.json';

export interface ContactsStoreOptions {
  userDataDir: string;
  log: Logger;
  /** Injected so tests can pin `addedAt`. */
  now?: () => Date;
}

export interface ContactsStore {
  /** Reads the file; must be called (once) before anything else. */
  load(): Promise<{ names: string[]; recovered: Recovery | null }>;
  /** Saved names, in the order they were added. */
  list(): string[];
  /** Saves `name`; false when it was already saved. */
  add(name: string): Promise<boolean>;
  /** Forgets `name`; false when it was not saved. */
  remove(name: string): Promise<boolean>;
  /** Saved contacts with their post-dial digits and key sequences. */
  entries(): SavedEntry[];
  /** Changes a saved contact's details; false when `name` is not saved. */
  update(name: string, details: ContactDetails): Promise<boolean>;
}

export function createContactsStore(options: ContactsStoreOptions): ContactsStore {
  const now = options.now ?? (() => new Date());
  const file = createJsonFileStore({
    filePath: path.join(options.userDataDir, CONTACTS_FILE_NAME),
    schema: ContactsDocument,
    defaults: (): ContactsDocument => ({ version: 1, contacts: [] }),
    log: options.log,
  });
  let document: ContactsDocument | null = null;

  function loaded(): ContactsDocument {
    if (!document) throw new Error('Contacts store used before load()');
    return document;
  }

  // The in-memory list changes synchronously, so overlapping calls each see
  // the previous one's effect; the file store writes them in call order.
  function commit(next: ContactsDocument): Promise<void> {
    document = next;
    return file.save(next);
  }

  return {
    async load() {
      const { value, recovered } = await file.load();
      document = value;
      return { names: value.contacts.map((c) => c.name), recovered };
    },

    list: () => loaded().contacts.map((c) => c.name),

    async add(rawName) {
      const name = UserName.parse(rawName);
      const current = loaded();
      if (current.contacts.some((c) => c.name === name)) return false;
      await commit({ ...current, contacts: [...current.contacts, { name, addedAt: now().toISOString(), postDial: '', sequences: [] }] });
      return true;
    },

    async remove(rawName) {
      const name = UserName.parse(rawName);
      const current = loaded();
      if (!current.contacts.some((c) => c.name === name)) return false;
      await commit({ ...current, contacts: current.contacts.filter((c) => c.name !== name) });
      return true;
    },

    entries: () => loaded().contacts.map(({ name, postDial, sequences }) => ({ name, postDial, sequences: [...sequences] })),

    async update(rawName, details) {
      const name = UserName.parse(rawName);
      const current = loaded();
      if (!current.contacts.some((c) => c.name === name)) return false;
      const contacts = current.contacts.map((c) => (c.name === name ? ContactsDocument.shape.contacts.element.parse({ ...c, ...details }) : c));
      await commit({ ...current, contacts });
      return true;
    },
  };
}
