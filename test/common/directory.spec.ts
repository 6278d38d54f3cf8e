/** The contact list's content (merged in the renderer from what main sends): contacts with presence, favourites first, then online, then by name; everyone else online. */
import { expect, test } from '@playwright/test';
import type { Contact } from '../../common/contact-schema.ts';
import { mergeDirectory, sortContactsByName } from '../../common/directory.ts';
import { savedContact } from '../support/contact-fixtures.ts';

let serial = 0;
function contact(name: string, addresses: Contact['addresses'], extra: Partial<Contact> = {}): Contact {
  serial += 1;
  return savedContact(`contact-${String(serial).padStart(4, '0')}`, name, { addresses, ...extra });
}
const app = (value: string) => ({ kind: 'app' as const, value });

test('app addresses carry presence (matched as the server matches names); SIP and phone have none', () => {
  const bob = contact('Bob Smith', [app('bob'), { kind: 'sip', value: 'sip:bob@pbx.example.org' }, { kind: 'tel', value: '+493012345678', label: 'Mobile' }]);

  const { contacts } = mergeDirectory([bob], ['Bob'], 'Alice');

  expect(contacts).toEqual([
    {
      ...bob,
      online: true,
      addresses: [
        { kind: 'app', value: 'bob', online: true },
        { kind: 'sip', value: 'sip:bob@pbx.example.org', online: null },
        { kind: 'tel', value: '+493012345678', label: 'Mobile', online: null },
      ],
    },
  ]);
});

test('favourites first, then online, then by name: locale-aware, ignoring case and accents', () => {
  const list = [
    contact('zoë', [app('Zoe')]),
    contact('Émile', [app('Emile')]),
    contact('adam', [app('Adam')]),
    contact('Eve', [{ kind: 'tel', value: '1001' }], { favourite: true }),
    contact('Bea', [app('Bea')], { favourite: true }),
    contact('Ed', [app('Ed')]),
    contact('eMILE', [app('Emile2')]),
    contact('User 10', [app('U10')]),
    contact('User 9', [app('U9')]),
  ];

  const { contacts } = mergeDirectory(sortContactsByName(list), ['Ed', 'Bea', 'Zoe'], null);

  expect(contacts.map((c) => c.name)).toEqual(['Bea', 'Eve', 'Ed', 'zoë', 'adam', 'Émile', 'eMILE', 'User 9', 'User 10']);
});

test('everyone online who is not a contact is listed by name, without yourself', () => {
  const { others } = mergeDirectory([contact('Robert', [app('Bob')])], ['carol', 'BOB', 'Alice', 'Dave', 'Ängel'], 'alice');

  expect(others).toEqual([{ name: 'Ängel' }, { name: 'carol' }, { name: 'Dave' }]);
});

test('nobody online: every contact is offline, and the contacts given are left as they were', () => {
  const bob = contact('Bob', [app('Bob')], { sequences: [{ label: 'PIN', tones: '1#' }] });
  const before = structuredClone(bob);
  const directory = mergeDirectory([bob], [], null);

  expect(directory).toEqual({ contacts: [{ ...bob, online: false, addresses: [{ kind: 'app', value: 'Bob', online: false }] }], others: [] });
  expect(bob).toEqual(before);
});

test('sorting by name does not change the list it is given', () => {
  const list = [contact('b', [app('B')]), contact('a', [app('A')])];
  expect(sortContactsByName(list).map((c) => c.name)).toEqual(['a', 'b']);
  expect(list.map((c) => c.name)).toEqual(['b', 'a']);
});
