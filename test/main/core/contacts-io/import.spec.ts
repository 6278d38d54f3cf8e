/** An import into the real contacts store: what is added, merged into an existing contact, and skipped with its reason, in one save. */
import { readFile } from 'node:fs/promises';
import pino from 'pino';
import { createContactsStore } from '../../../../main/core/contacts-store.ts';
import { parseVcards } from '../../../../main/core/contacts-io/vcard.ts';
import { expect, test } from '../../../support/temp-dir.ts';

test('new cards are added, a known name gains its new numbers, duplicates and bad numbers are skipped with reasons', async ({ tempDir }) => {
  const store = createContactsStore({ userDataDir: tempDir, log: pino({ level: 'silent' }) });
  await store.load();
  await store.add({ name: 'Jürgen Müller', addresses: [{ kind: 'tel', value: '+49 89 123456' }] });

  const { cards } = parseVcards(
    [
      'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:jurgen muller\r\nTEL:+49 89 123456\r\nTEL;TYPE=CELL:+49 151 23456789\r\nEND:VCARD',
      'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Erika Mustermann\r\nTEL:+49 30 1234567\r\nIMPP:sip:erika@pbx.example.org\r\nEND:VCARD',
      'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Erika Mustermann\r\nTEL:+49 30 1234567\r\nEND:VCARD',
      'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bad Number\r\nTEL:+999 1\r\nEND:VCARD',
    ].join('\r\n'),
  );
  const report = await store.importMany(cards);
  expect(report.added).toBe(1);
  expect(report.merged).toBe(1);
  expect(report.skipped.map((s) => s.name)).toEqual(['Erika Mustermann', 'Bad Number']);
  expect(report.skipped[0]!.reason).toBe('already in your contacts with these addresses');
  expect(report.skipped[1]!.reason).toMatch(/not a valid international number/);

  const jurgen = store.list().find((c) => c.name === 'Jürgen Müller')!;
  expect(jurgen.addresses.map((a) => [a.value, a.label])).toEqual([
    ['+4989123456', undefined],
    ['+4915123456789', 'cell'],
  ]);
  // Saved once, and what is on disk is what is in memory.
  const onDisk = JSON.parse(await readFile(store.filePath, 'utf8')) as { contacts: unknown[] };
  expect(onDisk.contacts).toEqual(JSON.parse(JSON.stringify(store.list())));
});
