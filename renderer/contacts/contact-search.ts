/**
 * Search as you type across contacts' names, addresses and numbers, with
 * MiniSearch: words match by prefix ("mu" finds Müller), case and accents do
 * not matter, a typo in a longer word is forgiven, and digits match anywhere
 * in a number whatever its separators ("1234" finds +49 30 1234567). Results
 * keep the directory's order (favourites, then online, then by name).
 */
import MiniSearch from 'minisearch';
import type { DirectoryContact } from '../../common/contact-schema.ts';

/** Lower case without accents: "Ångström" → "angstrom". */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const digitsOf = (text: string) => text.replace(/\D/g, '');

interface Indexed {
  id: string;
  name: string;
  addresses: string;
}

export class ContactSearch {
  private readonly index = new MiniSearch<Indexed>({
    fields: ['name', 'addresses'],
    processTerm: (term) => foldForSearch(term),
    tokenize: (text) => text.split(/[\s@:.,;()_\-+/]+/).filter(Boolean),
    searchOptions: { prefix: true, fuzzy: (term) => (term.length > 4 ? 0.2 : 0), boost: { name: 2 }, combineWith: 'AND' },
  });
  private contacts: readonly DirectoryContact[] = [];
  /** Each contact's digits, for numbers typed without their separators. */
  private digits = new Map<string, string>();

  /** Re-indexes only when the list itself changed (the store hands a new array then). */
  update(contacts: readonly DirectoryContact[]): void {
    if (contacts === this.contacts) return;
    this.contacts = contacts;
    this.index.removeAll();
    this.index.addAll(contacts.map((c) => ({ id: c.id, name: c.name, addresses: c.addresses.map((a) => a.value).join(' ') })));
    this.digits = new Map(contacts.map((c) => [c.id, c.addresses.filter((a) => a.kind === 'tel').map((a) => digitsOf(a.value)).join(' ')]));
  }

  /** The contacts matching `query`, in directory order; all of them for an empty query. */
  search(query: string): readonly DirectoryContact[] {
    const text = query.trim();
    if (!text) return this.contacts;
    const ids = new Set(this.index.search(text).map((r) => r.id as string));
    const digits = digitsOf(text);
    if (digits.length >= 3 && digits.length === text.replace(/[\s\-+().]/g, '').length) {
      for (const [id, numbers] of this.digits) if (numbers.includes(digits)) ids.add(id);
    }
    return this.contacts.filter((c) => ids.has(c.id));
  }
}
