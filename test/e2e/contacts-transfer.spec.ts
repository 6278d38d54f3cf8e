/** Import a vCard file and export the contacts again, as a user does with the file picker and a download. */
import { readFile } from 'node:fs/promises';
import { expect, test } from '../support/browser-fixtures.ts';

const VCARD = [
  'BEGIN:VCARD',
  'VERSION:3.0',
  'FN:Erika Mustermann',
  'TEL;TYPE=WORK:+49 30 1234567',
  'IMPP:sip:erika@pbx.example.org',
  'END:VCARD',
  'BEGIN:VCARD',
  'VERSION:2.1',
  'FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=BCller',
  'TEL;CELL:+49 151 23456789',
  'END:VCARD',
  'BEGIN:VCARD',
  'VERSION:3.0',
  'FN:Only Email',
  'EMAIL:only@example.org',
  'END:VCARD',
  '',
].join('\r\n');

test('a vCard file is imported with a report of what was skipped and why; the contacts export again as vCard and CSV', async ({ openSoftphone }) => {
  const { page } = await openSoftphone({ signInAs: 'Alice' });
  await page.getByLabel('Contacts file to import').setInputFiles({ name: 'contacts.vcf', mimeType: 'text/vcard', buffer: Buffer.from(VCARD) });

  await expect(page.getByText('Imported: 2 added, 0 merged into existing contacts, 1 skipped.')).toBeVisible();
  await expect(page.getByRole('list', { name: 'Skipped' })).toHaveText('card 3: Only Email has no phone number, SIP address or app name');
  const contacts = page.getByRole('list', { name: 'Contacts' });
  await expect(contacts).toContainText('Erika Mustermann');
  await expect(contacts).toContainText('Jürgen Müller');

  // The same file again merges nothing new: everyone is already there.
  await page.getByLabel('Contacts file to import').setInputFiles({ name: 'contacts.vcf', mimeType: 'text/vcard', buffer: Buffer.from(VCARD) });
  await expect(page.getByText('Imported: 0 added, 0 merged into existing contacts, 3 skipped.')).toBeVisible();

  for (const [format, fileName, expected] of [
    ['vCard 4.0', /^contacts-\d{4}-\d\d-\d\d\.vcf$/, ['VERSION:4.0', 'FN:Jürgen Müller', 'IMPP:sip:erika@pbx.example.org', 'TEL;VALUE=uri;TYPE=work:tel:+49301234567']],
    ['CSV', /^contacts-\d{4}-\d\d-\d\d\.csv$/, ['Name,Phone numbers,SIP addresses', 'Erika Mustermann,+49301234567,sip:erika@pbx.example.org']],
  ] as const) {
    await page.getByLabel('Export format').selectOption({ label: format });
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export contacts' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(fileName);
    const text = await readFile((await file.path())!, 'utf8');
    for (const line of expected) expect(text).toContain(line);
  }
});

test('a file that is neither vCard nor CSV is refused in words', async ({ openSoftphone }) => {
  const { page } = await openSoftphone({ signInAs: 'Alice' });
  await page.getByLabel('Contacts file to import').setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.from([0xff, 0xd8]) });
  await expect(page.getByText('photo.jpg is not a vCard (.vcf) or CSV (.csv) file.')).toBeVisible();
});
