/** The contact schemas: limits on every string and list, and messages in words a form can show next to its field. */
import { expect, test } from '@playwright/test';
import type { z } from 'zod';
import { Contact, ContactDetails, ContactPatch, ContactRestore, fieldErrors } from '../../common/contact-schema.ts';
import { savedContact } from '../support/contact-fixtures.ts';

const details = (extra: Record<string, unknown> = {}) => ({ name: 'Bob', addresses: [{ kind: 'app', value: 'Bob' }], ...extra });

function errorsOf(schema: z.ZodType, value: unknown): Record<string, string> {
  const result = schema.safeParse(value);
  expect(result.success).toBe(false);
  return Object.fromEntries(fieldErrors(result.error!));
}

test('a name in any script is trimmed and kept; empty, too long or with control characters is refused in words', () => {
  for (const name of ['Zoë Ångström', '山田 太郎', 'Αλέξανδρος', 'محمد', 'Dr. Bob 🚀']) {
    expect(ContactDetails.parse(details({ name: ` ${name} ` })).name).toBe(name);
  }
  // One normal form, so the same name typed two ways is one name.
  expect(ContactDetails.parse(details({ name: 'Zoe\u0308' })).name).toBe('Zoë');
  expect(errorsOf(ContactDetails, details({ name: '   ' }))).toEqual({ name: 'A contact needs a name' });
  expect(errorsOf(ContactDetails, details({ name: 'x'.repeat(65) }))).toEqual({ name: 'A name can be at most 64 characters' });
  expect(errorsOf(ContactDetails, details({ name: 'Bob\nSmith' }))).toEqual({ name: 'A name cannot contain control characters or line breaks' });
  expect(errorsOf(ContactDetails, details({ name: 'Bob\u202Eevil' }))).toEqual({ name: 'A name cannot contain control characters or line breaks' });
  expect(errorsOf(ContactDetails, details({ name: 42 }))).toEqual({ name: 'A name must be text' });
});

test('addresses: app names, SIP addresses and numbers, each checked and normalised; 1 to 16; no repeats', () => {
  const parsed = ContactDetails.parse(
    details({
      addresses: [
        { kind: 'app', value: ' Bob ' },
        { kind: 'sip', value: 'bob@pbx.example.org', label: 'Desk' },
        { kind: 'tel', value: '+49 30 1234567', label: '' },
        { kind: 'tel', value: '*86' },
      ],
    }),
  );
  expect(parsed.addresses).toEqual([
    { kind: 'app', value: 'Bob' },
    { kind: 'sip', value: 'sip:bob@pbx.example.org', label: 'Desk' },
    { kind: 'tel', value: '+49301234567' },
    { kind: 'tel', value: '*86' },
  ]);

  expect(errorsOf(ContactDetails, details({ addresses: [] }))).toEqual({
    addresses: 'A contact needs at least one address: an app user, a SIP address or a phone number',
  });
  expect(errorsOf(ContactDetails, details({ addresses: Array.from({ length: 17 }, (_, i) => ({ kind: 'tel', value: `10${i}` })) }))).toEqual({
    addresses: 'A contact can have at most 16 addresses',
  });
  expect(
    errorsOf(
      ContactDetails,
      details({
        addresses: [
          { kind: 'fax', value: '1' },
          { kind: 'sip', value: 'bob' },
          { kind: 'tel', value: 'abc' },
          { kind: 'app', value: '' },
          { kind: 'app', value: 'Bob', label: 'L'.repeat(33) },
        ],
      }),
    ),
  ).toEqual({
    'addresses.0.kind': 'Choose app user, SIP address or phone number',
    'addresses.1.value': 'A SIP address looks like sip:alice@pbx.example.org',
    'addresses.2.value': 'A phone number can have only digits, spaces and + ( ) - . / * #',
    'addresses.3.value': 'A name cannot be empty',
    'addresses.4.label': 'A label can be at most 32 characters',
  });
  // The same place twice, however it is written.
  expect(
    errorsOf(ContactDetails, details({ addresses: [{ kind: 'sip', value: 'sip:Bob@PBX.example.org' }, { kind: 'sip', value: 'bob@pbx.example.org' }, { kind: 'tel', value: '+49 30 1234567' }, { kind: 'tel', value: '0049301234567' }] })),
  ).toEqual({ 'addresses.1.value': 'This address is already in the list', 'addresses.3.value': 'This address is already in the list' });
});

test('notes, keys and sequences have limits in words; unknown fields are refused', () => {
  expect(errorsOf(ContactDetails, details({ notes: 'n'.repeat(2001) }))).toEqual({ notes: 'Notes can be at most 2000 characters' });
  expect(ContactDetails.parse(details({ notes: 'line one\nline two' })).notes).toBe('line one\nline two');
  expect(errorsOf(ContactDetails, details({ postDial: ',,1x' }))).toEqual({ postDial: 'Use only 0-9, *, #, A-D and , (pause)' });
  expect(errorsOf(ContactDetails, details({ postDial: '1'.repeat(257) }))).toEqual({ postDial: 'Keys can be at most 256 presses and pauses' });
  expect(errorsOf(ContactDetails, details({ sequences: Array.from({ length: 21 }, () => ({ label: 'PIN', tones: '1' })) }))).toEqual({
    sequences: 'A contact can keep at most 20 key sequences',
  });
  expect(errorsOf(ContactDetails, details({ sequences: [{ label: ' ', tones: '' }] }))).toEqual({
    'sequences.0.label': 'A sequence needs a name',
    'sequences.0.tones': 'A sequence needs at least one key',
  });
  expect(errorsOf(ContactDetails, details({ favourite: 'yes' }))).toEqual({ favourite: 'Favourite is yes or no' });
  expect(errorsOf(ContactDetails, details({ id: 'chosen-by-renderer' }))).toEqual({ '': 'Unrecognized key: "id"' });
});

test('no message anywhere is raw validator text', () => {
  const attempts = [
    details({ name: '' }),
    details({ addresses: [{ kind: 'sip', value: '' }] }),
    details({ addresses: [{ kind: 'tel', value: '' }] }),
    details({ sequences: [{ label: 'x'.repeat(41), tones: '1'.repeat(257) }] }),
    details({ notes: 5 }),
  ];
  for (const attempt of attempts) {
    for (const message of Object.values(errorsOf(ContactDetails, attempt))) expect(message).not.toMatch(/Too small|Too big|Invalid input|expected/);
  }
});

test('a patch names only what changes; a restored contact must be a whole contact, exactly', () => {
  expect(ContactPatch.parse({ name: 'Robert' })).toEqual({ name: 'Robert' });
  expect(ContactPatch.parse({})).toEqual({});
  expect(ContactDetails.parse(details())).toEqual(details());
  const contact = {
    id: '0b5e7d0c-1f4a-4c1e-9c43-5d7b8a9e2f10',
    name: 'Bob',
    addresses: [{ kind: 'app', value: 'Bob' }],
    favourite: true,
    notes: '',
    postDial: '',
    sequences: [],
    createdAt: '2026-11-22T10:00:00.000Z',
    updatedAt: '2026-11-22T10:00:00.000Z',
  };
  expect(ContactRestore.parse(contact)).toEqual(contact);
  expect(errorsOf(ContactRestore, { ...contact, id: '../../etc' })).toEqual({ id: 'This is not a contact id' });
  expect(errorsOf(ContactRestore, { ...contact, createdAt: 'yesterday' })).toEqual({ createdAt: 'A time must be an ISO 8601 date and time' });
  // Stored contacts from a newer app may carry fields this one does not know: they are dropped, not refused.
  expect(Contact.parse({ ...contact, ringtone: 'bells' })).toEqual(contact);
});

test('a number read back from the contacts file keeps its saved form; one edited by hand is normalised; what a user types is checked in full', () => {
  const stored = (value: string) => savedContact('contact-0001', 'Bob', { addresses: [{ kind: 'tel', value }] });
  // Saved as E.164 by an app whose number metadata said it was valid: kept, whatever today's metadata says.
  expect(Contact.parse(stored('+99912345')).addresses).toEqual([{ kind: 'tel', value: '+99912345' }]);
  expect(Contact.parse(stored('*86#')).addresses).toEqual([{ kind: 'tel', value: '*86#' }]);
  // Edited by hand: normalised as if typed.
  expect(Contact.parse(stored('+49 30 1234567')).addresses).toEqual([{ kind: 'tel', value: '+49301234567' }]);
  expect(errorsOf(Contact, stored('call me'))).toEqual({ 'addresses.0.value': 'A phone number can have only digits, spaces and + ( ) - . / * #' });
  // Typed, or handed back by the page: the full check.
  expect(errorsOf(ContactDetails, details({ addresses: [{ kind: 'tel', value: '+99912345' }] }))).toEqual({
    'addresses.0.value': '+99912345 is not a valid international number: check the country code and the number of digits',
  });
  expect(errorsOf(ContactRestore, stored('+99912345'))).toEqual({
    'addresses.0.value': '+99912345 is not a valid international number: check the country code and the number of digits',
  });
});
