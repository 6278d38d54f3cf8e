/**
 * Saved contacts merged with who is online: what the contact list shows.
 * Pure, so the ordering and presence rules are tested without a server.
 */
import type { Contact, Directory, DirectoryContact } from '../../common/contact-schema.ts';
import { nameKey } from '../../common/user-name.ts';

/** Locale-aware, ignoring case and accents: "émile" sorts with "Emile". */
const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** Favourites first, then contacts someone can reach now, then by name; ties by id so the order is stable. */
function byListOrder(a: DirectoryContact, b: DirectoryContact): number {
  if (a.favourite !== b.favourite) return a.favourite ? -1 : 1;
  if (a.online !== b.online) return a.online ? -1 : 1;
  return collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * `online` is the server's user list; `self` the name we are signed in as.
 * App addresses match online users by name key (the server keeps names unique
 * by it); SIP addresses and numbers have no presence here (null).
 */
export function mergeDirectory(contacts: readonly Contact[], online: readonly string[], self: string | null): Directory {
  const selfKey = self === null ? null : nameKey(self);
  const onlineKeys = new Set(online.map(nameKey));
  const known = new Set<string>();
  const merged = contacts.map((contact): DirectoryContact => {
    const addresses = contact.addresses.map((address) => {
      if (address.kind !== 'app') return { ...address, online: null };
      const key = nameKey(address.value);
      known.add(key);
      return { ...address, online: onlineKeys.has(key) };
    });
    return {
      ...contact,
      sequences: contact.sequences.map((s) => ({ ...s })),
      addresses,
      online: addresses.some((a) => a.online === true),
    };
  });
  const others = online
    .filter((name) => !known.has(nameKey(name)) && nameKey(name) !== selfKey)
    .sort((a, b) => collator.compare(a, b))
    .map((name) => ({ name }));
  return { contacts: merged.sort(byListOrder), others };
}
