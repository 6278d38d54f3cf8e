/**
 * Search as you type across contacts' names, addresses and numbers, with
 * MiniSearch: words match by prefix ("mu" finds Müller), case and accents do
 * not matter, a typo in a longer word is forgiven, and digits match anywhere
 * in a number whatever its separators ("1234" finds +49 30 1234567). Results
 * keep the order of the list they are taken from (the directory's:
 * favourites, then online, then by name).
 *
 * The index follows the saved contacts, not the directory, so someone coming
 * online does not re-index 10,000 contacts.
 */
import MiniSearch from 'minisearch';
import type { Contact } from '../../common/contact-schema.ts';

/** What search reads of a contact. */
type Searchable = Pick<Contact, 'id' | 'name' | 'addresses'>;

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

const newIndex = () =>
  new MiniSearch<Indexed>({
    fields: ['name', 'addresses'],
    processTerm: (term) => foldForSearch(term),
    tokenize: (text) => text.split(/[\s@:.,;()_\-+/]+/).filter(Boolean),
    // A typo in a longer word is forgiven, not in digits: "10079" near "10078" is another number
    // (and fuzzy digits against every number cost a tenth of a second).
    searchOptions: { prefix: true, fuzzy: (term) => (term.length > 4 && !/^\d+$/.test(term) ? 0.2 : 0), boost: { name: 2 }, combineWith: 'AND' },
  });

const indexed = (c: Searchable): Indexed => ({ id: c.id, name: c.name, addresses: c.addresses.map((a) => a.value).join(' ') });

/** Contacts indexed per step: 10,000 take ~200 ms, which in one go would freeze the window. */
const STEP = 50;

/** Runs work in an idle period: the browser's requestIdleCallback, or a stand-in where there is none. */
export type IdleScheduler = (work: (deadline: Pick<IdleDeadline, 'didTimeout' | 'timeRemaining'>) => void) => void;

const browserIdle: IdleScheduler = (work) => requestIdleCallback(work, { timeout: 1000 });

/**
 * Indexes `documents` into `index` in idle periods, a few steps at a time,
 * so frames (the list's first paint, scrolling) come first. Resolves false if
 * `stillWanted` says the work was superseded.
 */
function indexWhenIdle(index: MiniSearch<Indexed>, contacts: readonly Searchable[], whenIdle: IdleScheduler, stillWanted: () => boolean): Promise<boolean> {
  let next = 0;
  return new Promise((resolve) => {
    const work: Parameters<IdleScheduler>[0] = (deadline) => {
      if (!stillWanted()) return resolve(false);
      do {
        index.addAll(contacts.slice(next, next + STEP).map(indexed));
        next += STEP;
      } while (next < contacts.length && (deadline.timeRemaining() > 1 || deadline.didTimeout));
      if (next < contacts.length) whenIdle(work);
      else resolve(true);
    };
    whenIdle(work);
  });
}

export class ContactSearch {
  private contacts: readonly Searchable[] = [];
  /** The index of `contacts`, once built; null while it is being built. */
  private index: MiniSearch<Indexed> | null = newIndex();
  /** Each contact's digits, for numbers typed without their separators. */
  private digits = new Map<string, string>();
  private building: Promise<void> = Promise.resolve();

  constructor(private readonly whenIdle: IdleScheduler = browserIdle) {}

  /**
   * Takes the saved contacts and indexes them in idle time, so a long list's
   * first paint and scrolling never wait for the index. A search before it is
   * done builds it at once. Re-indexes only when the list itself changed (the
   * store hands a new array then).
   */
  update(contacts: readonly Searchable[]): void {
    if (contacts === this.contacts) return;
    this.contacts = contacts;
    this.index = null;
    const next = newIndex();
    const wanted = () => this.contacts === contacts && this.index === null;
    this.building = indexWhenIdle(next, contacts, this.whenIdle, wanted).then((done) => {
      if (!done || !wanted()) return;
      this.install(next, contacts);
      this.whenIdle(() => this.warmUp());
    });
  }

  /** Resolves when the index of the latest list is built. */
  ready(): Promise<void> {
    return this.building;
  }

  /** The contacts of `list` matching `query`, in the list's order; the whole list for an empty query. */
  search<C extends { id: string }>(query: string, list: readonly C[]): readonly C[] {
    const text = query.trim();
    if (!text) return list;
    if (this.index === null) {
      const now = newIndex();
      now.addAll(this.contacts.map(indexed));
      this.install(now, this.contacts);
    }
    const ids = new Set(this.index!.search(text).map((r) => r.id as string));
    const digits = digitsOf(text);
    if (digits.length >= 3 && digits.length === text.replace(/[\s\-+().]/g, '').length) {
      for (const [id, numbers] of this.digits) if (numbers.includes(digits)) ids.add(id);
    }
    return list.filter((c) => ids.has(c.id));
  }

  /**
   * Searches once by name and once by number, results unused, so the
   * browser has compiled the search before the user's first keystroke:
   * otherwise that first one, the one people notice, takes twice as long.
   */
  private warmUp(): void {
    if (this.index === null) return;
    this.search('an', this.contacts);
    this.search('100', this.contacts);
  }

  private install(index: MiniSearch<Indexed>, contacts: readonly Searchable[]): void {
    this.index = index;
    this.digits = new Map(contacts.map((c) => [c.id, c.addresses.filter((a) => a.kind === 'tel').map((a) => digitsOf(a.value)).join(' ')]));
  }
}
