/** Notices about loading and saving contacts reach a German user in German, the file names and reasons kept. */
import { translateMarked } from '../../../common/i18n/schema-words.ts';
import { english, translatorFor } from '../../../common/i18n/index.ts';
import { ContactsError, createContactsStore, type ContactsLoadReport } from '../../../main/core/contacts-store.ts';
import { contactsLoadNotices } from '../../../main/core/softphone-core.ts';
import { createCapturingLogger } from '../../support/capturing-logger.ts';
import { expect, test } from '../../support/temp-dir.ts';

const report = (change: Partial<ContactsLoadReport>): ContactsLoadReport =>
  ({ contacts: [], recovered: null, migrated: null, rejected: null, unavailable: null, notWritten: null, ...change }) as ContactsLoadReport;

test('load notices in German', () => {
  const german = translatorFor('de');
  const recovered = report({ recovered: { movedTo: '/p/contacts.corrupt-1.json', reason: 'not valid JSON (Unexpected end)' } });
  expect(contactsLoadNotices(recovered, german)).toEqual([
    {
      level: 'warning',
      text: 'Ihre Kontaktdatei konnte nicht gelesen werden (not valid JSON (Unexpected end)). Sie wurde als contacts.corrupt-1.json aufbewahrt, nichts wurde gelöscht; es geht mit einer neuen weiter.',
    },
  ]);
  const one = report({ rejected: { file: '/p/contacts.rejected-1.json', entries: [{ index: 2, reason: 'name: too long' }] } });
  expect(contactsLoadNotices(one, german)[0]!.text).toBe(
    'Ein Kontakt in Ihrer Kontaktdatei konnte nicht gelesen werden (Eintrag 3: name: too long). Er wurde in contacts.rejected-1.json aufbewahrt; die anderen wurden geladen.',
  );
  expect(contactsLoadNotices(one, english)[0]!.text).toBe(
    'One contact in your contacts file could not be read (entry 3: name: too long). It was kept in contacts.rejected-1.json; the others loaded.',
  );
  expect(contactsLoadNotices(report({ unavailable: 'a folder' }), german)[0]!.text).toBe('Ihre Kontakte sind nicht verfügbar: a folder');
});

test("the contacts store's refusals, made in English, are found again in German", async ({ tempDir }) => {
  const store = createContactsStore({ userDataDir: tempDir, log: createCapturingLogger().log });
  await store.load();
  const error = await store.update('nobody-here-1234', { name: 'X' }).then(
    () => null,
    (refused: unknown) => refused,
  );
  expect(error).toBeInstanceOf(ContactsError);
  expect((error as ContactsError).message).toBe('This contact is no longer in your list');
  expect(translateMarked((error as ContactsError).message, translatorFor('de'))).toBe('Dieser Kontakt ist nicht mehr in Ihrer Liste');
});
