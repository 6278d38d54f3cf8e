/** Search as you type: names, addresses and numbers; case, accents, a typo and number separators do not matter; directory order kept. */
import { expect, test } from '@playwright/test';
import type { DirectoryContact } from '../../../common/directory.ts';
import { ContactSearch, foldForSearch, type IdleScheduler } from '../../../renderer/contacts/contact-search.ts';

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

/** Idle periods as Node has them: a timer, with no time to spare, so the index is built one step per period. */
const nodeIdle: IdleScheduler = (work) => void setTimeout(() => work({ didTimeout: false, timeRemaining: () => 0 }));

test('accents and case are folded', () => {
  expect(foldForSearch('Zoë ÅNGSTRÖM')).toBe('zoe angstrom');
});

test('by name prefix, accents and case aside, in directory order', () => {
  const search = new ContactSearch(nodeIdle);
  search.update(contacts);
  expect(search.search('mu', contacts).map((c) => c.name)).toEqual(['Jürgen Müller', 'Erika Mustermann']);
  expect(search.search('ANGSTROM', contacts).map((c) => c.name)).toEqual(['Zoë Ångström']);
  expect(search.search('jurgen mu', contacts).map((c) => c.name)).toEqual(['Jürgen Müller']);
  expect(search.search('', contacts).map((c) => c.name)).toEqual(contacts.map((c) => c.name));
});

test('by address and by number, with or without separators; a typo in a longer word is forgiven', () => {
  const search = new ContactSearch(nodeIdle);
  search.update(contacts);
  expect(search.search('pbx.example', contacts).map((c) => c.name)).toEqual(['Jürgen Müller']);
  expect(search.search('bob', contacts).map((c) => c.name)).toEqual(['Bob Online']);
  expect(search.search('1234', contacts).map((c) => c.name)).toEqual(['Zoë Ångström', 'Jürgen Müller']);
  expect(search.search('202 555', contacts).map((c) => c.name)).toEqual(['Erika Mustermann']);
  expect(search.search('mustremann', contacts).map((c) => c.name)).toEqual(['Erika Mustermann']);
  expect(search.search('nobody', contacts)).toEqual([]);
});

test('the index built in idle steps answers as one built at once; a newer list replaces an older one still being indexed', async () => {
  const many = Array.from({ length: 240 }, (_, i) => contact(`many${String(i).padStart(5, '0')}`, `Person ${i}`, [['tel', `+4930555${String(1000 + i)}`]]));
  const search = new ContactSearch(nodeIdle);
  search.update(many);
  const older = search.ready();
  search.update(contacts);
  await older;
  await search.ready();
  expect(search.search('person', contacts)).toEqual([]);
  expect(search.search('mu', contacts).map((c) => c.name)).toEqual(['Jürgen Müller', 'Erika Mustermann']);

  search.update(many);
  await search.ready();
  expect(search.search('person 239', many).map((c) => c.id)).toEqual(['many00239']);
  expect(search.search('5551239', many).map((c) => c.id)).toEqual(['many00239']);
});
