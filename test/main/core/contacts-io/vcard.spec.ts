/** vCard in and out: 3.0 and 4.0 round trips, cards other apps write, a 2.1 card with quoted-printable, malformed cards. */
import { expect, test } from '@playwright/test';
import { ContactDetails } from '../../../../common/contact-schema.ts';
import { parseVcards, toVcards } from '../../../../main/core/contacts-io/vcard.ts';

const contact = {
  name: 'Zoë Ångström-Müller',
  addresses: [
    { kind: 'tel' as const, value: '+49301234567', label: 'work' },
    { kind: 'tel' as const, value: '+12025550123', label: 'cell' },
    { kind: 'sip' as const, value: 'sip:zoe@pbx.example.org' },
    { kind: 'app' as const, value: 'Zoe' },
  ],
  notes: 'Front desk; ask for extension 12,\nthen wait.',
  favourite: true,
};

for (const version of ['3.0', '4.0'] as const) {
  test(`a contact with accents, several numbers, a SIP address and an app name survives vCard ${version}`, () => {
    const text = toVcards([contact], version);
    expect(text).toContain(`VERSION:${version}`);
    const { cards, skipped } = parseVcards(text);
    expect(skipped).toEqual([]);
    expect(cards).toEqual([contact]);
    // What we write is what the contact schema takes.
    expect(ContactDetails.safeParse(cards[0]).success).toBe(true);
  });
}

test('long values are folded at 75 octets and read back whole', () => {
  const long = { ...contact, notes: 'x'.repeat(300) };
  const text = toVcards([long], '4.0');
  expect(text.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
  expect(parseVcards(text).cards[0]!.notes).toBe('x'.repeat(300));
});

test('cards as other apps write them: Apple (3.0, item labels), Google (TYPE lists), Thunderbird (4.0 tel: URIs)', () => {
  const text = [
    'BEGIN:VCARD',
    'VERSION:3.0',
    'N:Doe;John;;;',
    'FN:John Doe',
    'TEL;type=CELL;type=VOICE;type=pref:+1 (555) 010-9999',
    'item1.IMPP;X-SERVICE-TYPE=SIP:sip:john@voip.example.com',
    'END:VCARD',
    'BEGIN:VCARD',
    'VERSION:4.0',
    'FN:Erika Mustermann',
    'TEL;VALUE=uri;TYPE="voice,home":tel:+49-30-1234567',
    'END:VCARD',
    '',
  ].join('\r\n');
  const { cards, skipped } = parseVcards(text);
  expect(skipped).toEqual([]);
  expect(cards).toEqual([
    { name: 'John Doe', addresses: [{ kind: 'tel', value: '+1 (555) 010-9999', label: 'cell' }, { kind: 'sip', value: 'sip:john@voip.example.com' }] },
    { name: 'Erika Mustermann', addresses: [{ kind: 'tel', value: '+49-30-1234567', label: 'home' }] },
  ]);
});

test('a vCard 2.1 card with quoted-printable, soft line breaks and a charset', () => {
  const text = [
    'BEGIN:VCARD',
    'VERSION:2.1',
    'N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen',
    'FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=BCller',
    'TEL;WORK;VOICE:+49 89 123456',
    'NOTE;ENCODING=QUOTED-PRINTABLE:Erste Zeile=0D=0Azweite Zeile, sehr lang und =',
    'umgebrochen',
    'END:VCARD',
  ].join('\r\n');
  const { cards, skipped } = parseVcards(text);
  expect(skipped).toEqual([]);
  expect(cards).toEqual([
    { name: 'Jürgen Müller', addresses: [{ kind: 'tel', value: '+49 89 123456', label: 'work' }], notes: 'Erste Zeile\nzweite Zeile, sehr lang und umgebrochen' },
  ]);
});

test('malformed cards are skipped with the reason, the good ones kept', () => {
  const text = [
    'BEGIN:VCARD\r\nVERSION:3.0\r\nTEL:+15550100\r\nEND:VCARD',
    'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Nobody Reachable\r\nEMAIL:nobody@example.org\r\nEND:VCARD',
    'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good One\r\nTEL:+15550101\r\nEND:VCARD',
    'BEGIN:VCARD\r\nthis is not a property\r\nEND:VCARD',
  ].join('\r\n');
  const { cards, skipped } = parseVcards(text);
  expect(cards.map((c) => c.name)).toEqual(['Good One']);
  expect(skipped.map((s) => s.card)).toEqual([1, 2, 4]);
  expect(skipped[0]!.reason).toContain('no name');
  expect(skipped[1]!.reason).toContain('Nobody Reachable has no phone number, SIP address or app name');
});
