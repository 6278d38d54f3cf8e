/** Saved contacts merged with who is online: what the contact list shows. */
import type { Directory, DirectoryEntry } from '../../common/ipc-contract.ts';

/** A saved contact as the directory shows it. */
export type SavedEntry = Pick<DirectoryEntry, 'name' | 'postDial' | 'sequences'>;

const byName = (a: DirectoryEntry, b: DirectoryEntry) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' });

export function mergeDirectory(saved: readonly SavedEntry[], online: readonly string[], self: string | null): Directory {
  const onlineSet = new Set(online);
  const savedSet = new Set(saved.map((c) => c.name));
  const entries: DirectoryEntry[] = [
    ...saved.map((contact) => ({ ...contact, sequences: [...contact.sequences], saved: true, online: onlineSet.has(contact.name) })),
    ...online
      .filter((name) => !savedSet.has(name))
      .map((name) => ({ name, saved: false, online: true, postDial: '', sequences: [] })),
  ];
  return { entries: entries.filter((e) => e.name !== self).sort(byName) };
}
