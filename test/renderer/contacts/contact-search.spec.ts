/** Search as you type: names, addresses and numbers; case, accents, a typo and number separators do not matter; directory order kept. */
import { expect, test } from '@playwright/test';
import type { DirectoryContact } from '../../../common/contact-schema.ts';
import { ContactSearch, foldForSearch } from '../../../renderer/contacts/contact-search.ts';

function contact(id: string, name: string, addresses: Array<[DirectoryContact['addresses'][number]['kind'], string]>, extra: Partial<DirectoryContact> = {}): DirectoryContact {
  return {
    id,
    name,
    addresses: addresses.map(([kind, value]) => ({ kind, value, online: kind === 'app' ? false : null })),
    favourite: false,
    notes: '',
    postDial: '',
    sequences: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    online: false,
    ...extra,
  };
}

const contacts = [
  contact('fav00001', 'Zoë Ångström', [['tel', '+49301234567']], { favourite: true }),
  contact('onl00001', 'Bob Online', [['app', 'Bob']], { online: true }),
  contact('mul00001', 'Jürgen Müller', [['sip', 'sip:juergen@pbx.example.org'], ['tel', '+4915123456789']]),
  contact('eri00001', 'Erika Mustermann', [['tel', '+12025550123']]),
];

test('accents and case are folded', () => {
  expect(foldForSearch('Zoë ÅNGSTRÖM')).toBe('zoe angstrom');
});

test('by name prefix, accents and case aside, in directory order', () => {
  const search = new ContactSearch();
  search.update(contacts);
  expect(search.search('mu').map((c) => c.name)).toEqual(['Jürgen Müller', 'Erika Mustermann']);
  expect(search.search('ANGSTROM').map((c) => c.name)).toEqual(['Zoë Ångström']);
  expect(search.search('jurgen mu').map((c) => c.name)).toEqual(['Jürgen Müller']);
  expect(search.search('').map((c) => c.name)).toEqual(contacts.map((c) => c.name));
});

test('by address and by number, with or without separators; a typo in a longer word is forgiven', () => {
  const search = new ContactSearch();
  search.update(contacts);
  expect(search.search('pbx.example').map((c) => c.name)).toEqual(['Jürgen Müller']);
  expect(search.search('bob').map((c) => c.name)).toEqual(['Bob Online']);
  expect(search.search('1234').map((c) => c.name)).toEqual(['Zoë Ångström', 'Jürgen Müller']);
  expect(search.search('202 555').map((c) => c.name)).toEqual(['Erika Mustermann']);
  expect(search.search('mustremann').map((c) => c.name)).toEqual(['Erika Mustermann']);
  expect(search.search('nobody')).toEqual([]);
});
