/** The seal on the contacts file: only a file exactly as the app wrote it, for this format and these rules, is read unchecked. */
import { expect, test } from '@playwright/test';
import { sealedDocument, unsealedContacts } from '../../../main/core/contacts-seal.ts';

const contacts = [{ id: 'contact-0001', name: 'Zoë', addresses: [{ kind: 'tel', value: '+49301234567' }] }];
const json = JSON.stringify(contacts, null, 1);

test('a sealed document is JSON with its version, and gives its contacts back', () => {
  const text = sealedDocument(2, json);
  expect(JSON.parse(text)).toEqual({ version: 2, seal: expect.stringMatching(/^[0-9a-f]{64}$/), contacts });
  expect(unsealedContacts(text, 2)).toEqual(contacts);
});

test('any change, another version, a cut or an unsealed file is not trusted', () => {
  const text = sealedDocument(2, json);
  expect(unsealedContacts(text.replace('Zoë', 'Zoe'), 2)).toBeNull();
  expect(unsealedContacts(text.replace('"version":2', '"version":3'), 3)).toBeNull();
  expect(unsealedContacts(text, 3)).toBeNull();
  expect(unsealedContacts(text.slice(0, -5), 2)).toBeNull();
  expect(unsealedContacts(`${JSON.stringify({ version: 2, contacts }, null, 1)}\n`, 2)).toBeNull();
  expect(unsealedContacts(sealedDocument(2, '{"not":"a list"}'), 2)).toBeNull();
});
