/**
 * What the contact list shows: saved contacts merged with who is online.
 *
 * Main sends the contacts (sorted by name) only when they change, and who is
 * online whenever presence changes; the renderer merges the two here. So a
 * user coming online costs a pass over the list, not a resend and re-sort of
 * 10,000 contacts. Pure, so the ordering and presence rules are tested
 * without a server.
 */
import type { Contact, ContactAddress } from './contact-schema.ts';
import { nameKey } from './user-name.ts';

/** An address with its presence: true/false for app users, null where the app cannot know (SIP, phone). */
export type DirectoryAddress = ContactAddress & { online: boolean | null };

/** A contact as the contact list shows it: online when one of its app addresses is. */
export type DirectoryContact = Omit<Contact, 'addresses'> & { addresses: DirectoryAddress[]; online: boolean };

/** Someone online who is not one of the contacts. */
export interface OnlineUser {
  name: string;
}

/** Contacts (favourites first, then online, then by name), and everyone else online by name; yourself excluded. */
export interface Directory {
  contacts: DirectoryContact[];
  others: OnlineUser[];
}

/** Locale-aware, ignoring case and accents: "émile" sorts with "Emile". */
const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** By name, ties by id so the order is stable: the order main sends contacts in. */
export function sortContactsByName<C extends Pick<Contact, 'id' | 'name'>>(contacts: readonly C[]): C[] {
  return [...contacts].sort((a, b) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * `sortedContacts` as sortContactsByName left them; `online` is the server's
 * user list; `self` the name we are signed in as. App addresses match online
 * users by name key (the server keeps names unique by it). Favourites and
 * online contacts move to the front keeping their name order, so the merge is
 * one pass, not a sort.
 */
export function mergeDirectory(sortedContacts: readonly Contact[], online: readonly string[], self: string | null): Directory {
  const selfKey = self === null ? null : nameKey(self);
  const onlineKeys = new Set(online.map(nameKey));
  const known = new Set<string>();
  // Favourite and online, favourite, online, the rest: each keeps the name order.
  const groups: DirectoryContact[][] = [[], [], [], []];
  for (const contact of sortedContacts) {
    let reachable = false;
    const addresses = contact.addresses.map((address): DirectoryAddress => {
      if (address.kind !== 'app') return { ...address, online: null };
      const key = nameKey(address.value);
      known.add(key);
      const isOnline = onlineKeys.has(key);
      reachable ||= isOnline;
      return { ...address, online: isOnline };
    });
    groups[(contact.favourite ? 0 : 2) + (reachable ? 0 : 1)]!.push({ ...contact, addresses, online: reachable });
  }
  const others = online
    .filter((name) => !known.has(nameKey(name)) && nameKey(name) !== selfKey)
    .sort((a, b) => collator.compare(a, b))
    .map((name) => ({ name }));
  return { contacts: groups.flat(), others };
}
