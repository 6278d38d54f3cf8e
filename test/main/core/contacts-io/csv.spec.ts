/** CSV in and out: our own columns round trip; Google's and Outlook's columns are read. */
import { expect, test } from '@playwright/test';
import { parseCsv, toCsv } from '../../../../main/core/contacts-io/csv.ts';
import { translatorFor } from '../../../../common/i18n/index.ts';
import { translateMarked } from '../../../../common/i18n/schema-words.ts';

test('a round trip keeps accents, several numbers, commas, quotes and line breaks', () => {
  const contacts = [
    {
      name: 'Zoë "Zo" Ångström, PhD',
      addresses: [
        { kind: 'tel', value: '+49301234567' },
        { kind: 'tel', value: '+12025550123' },
        { kind: 'sip', value: 'sip:zoe@pbx.example.org' },
        { kind: 'app', value: 'Zoe' },
      ],
      notes: 'Line one\nline two, with a comma',
      favourite: true,
    },
  ];
  const text = toCsv(contacts);
  expect(text.startsWith('\uFEFFName,Phone numbers,SIP addresses,App users,Favourite,Notes\r\n')).toBe(true);
  expect(parseCsv(text)).toEqual({ cards: [{ ...contacts[0] }], skipped: [] });
});

test('Google Contacts and Outlook exports are read; rows without a name or an address are skipped with the row number', () => {
  const google = ['Name,Given Name,Family Name,Phone 1 - Type,Phone 1 - Value,Phone 2 - Value,Notes', 'Jürgen Müller,Jürgen,Müller,Mobile,+49 151 2345678 ::: +49 30 111,+49 89 999,Met at FOSDEM', ',,,,+1 202 555 0100,,', 'No Number,,,,,,'].join('\n');
  const { cards, skipped } = parseCsv(google);
  expect(cards).toEqual([
    {
      name: 'Jürgen Müller',
      addresses: [
        { kind: 'tel', value: '+49 151 2345678' },
        { kind: 'tel', value: '+49 30 111' },
        { kind: 'tel', value: '+49 89 999' },
      ],
      notes: 'Met at FOSDEM',
    },
  ]);
  expect(skipped).toEqual([
    { card: 3, reason: 'the row has no name' },
    { card: 4, reason: 'No Number has no phone number, SIP address or app name' },
  ]);

  const outlook = ['"First Name","Last Name","Business Phone","Mobile Phone"', '"Erika","Mustermann","+49 30 1234567",""'].join('\r\n');
  expect(parseCsv(outlook).cards).toEqual([{ name: 'Erika Mustermann', addresses: [{ kind: 'tel', value: '+49 30 1234567' }] }]);
  expect(parseCsv('Phone\n+123\n').skipped[0]!.reason).toBe('the file has no Name (or First Name and Last Name) column');
});

test('why a row or a file was skipped can be said in German, the name in it kept', () => {
  const german = translatorFor('de');
  const noNameColumn = parseCsv('Phone\n+49301234567\n');
  expect(translateMarked(noNameColumn.skipped[0]!.reason, german)).toBe('die Datei hat keine Spalte „Name“ (oder „First Name“ und „Last Name“)');
  const rows = parseCsv('Name,Phone\n,+49301234567\nJürgen,\n');
  expect(rows.skipped.map((s) => translateMarked(s.reason, german))).toEqual(['die Zeile hat keinen Namen', 'Jürgen hat keine Telefonnummer, SIP-Adresse und keinen App-Namen']);
});
