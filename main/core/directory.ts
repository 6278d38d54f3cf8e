/** Saved contacts merged with who is online: what the contact list shows. */
import type { Directory, DirectoryEntry } from '../../common/ipc-contract.ts';

const byName = (a: DirectoryEntry, b: DirectoryEntry) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' });

export function mergeDirectory(saved: readonly string[], online: readonly string[], self: string | null): Directory {
  const onlineSet = new Set(online);
  const savedSet = new Set(saved);
  const entries: DirectoryEntry[] = [
    ...saved.map((name) => ({ name, saved: true, online: onlineSet.has(name) })),
    ...online.filter((name) => !savedSet.has(name)).map((name) => ({ name, saved: false, online: true })),
  ];
  return { entries: entries.filter((e) => e.name !== self).sort(byName) };
}
