/**
 * Contacts to and from CSV with papaparse (quoting, commas and line breaks in
 * values, a byte-order mark). Our own columns on export; on import also the
 * columns Google Contacts and Outlook write (First Name, Last Name, "Phone 1 -
 * Value", Mobile Phone, Business Phone, Notes…). Several values in one cell
 * are separated by " ::: " (Google's separator) or by a line break.
 */
import Papa from 'papaparse';
import { toTranslate } from '../../../common/i18n/schema-words.ts';
import type { ContactAddressInput, ContactDetails } from '../../../common/contact-schema.ts';
import { MAX_IMPORTED_CARDS, type ParsedCards } from './vcard.ts';

const COLUMNS = ['Name', 'Phone numbers', 'SIP addresses', 'App users', 'Favourite', 'Notes'] as const;
const SEPARATOR = /\s*:::\s*|\r?\n/;

export function toCsv(contacts: ReadonlyArray<{ name: string; addresses: ReadonlyArray<{ kind: string; value: string }>; notes: string; favourite: boolean }>): string {
  const values = (contact: (typeof contacts)[number], kind: string) =>
    contact.addresses
      .filter((a) => a.kind === kind)
      .map((a) => a.value)
      .join(' ::: ');
  const rows = contacts.map((c) => [c.name, values(c, 'tel'), values(c, 'sip'), values(c, 'app'), c.favourite ? 'yes' : '', c.notes]);
  // A byte-order mark, so spreadsheet programs read the accents as UTF-8.
  return `\uFEFF${Papa.unparse({ fields: [...COLUMNS], data: rows }, { newline: '\r\n' })}\r\n`;
}

export function parseCsv(text: string): ParsedCards {
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: 'greedy' });
  const cards: ContactDetails[] = [];
  const skipped: ParsedCards['skipped'] = [];
  const headers = parsed.meta.fields ?? [];
  const pick = (test: RegExp) => headers.filter((h) => test.test(h));
  const nameColumns = pick(/^(name|full name|display name)$/i);
  const firstColumns = pick(/^(first name|given name)$/i);
  const lastColumns = pick(/^(last name|family name)$/i);
  const phoneColumns = pick(/phone|mobile|^tel|fax/i).filter((h) => !/type|label/i.test(h));
  const sipColumns = pick(/sip/i);
  const appColumns = pick(/^app users?$/i);
  const noteColumns = pick(/^notes?$/i);
  if (nameColumns.length + firstColumns.length + lastColumns.length === 0) {
    return { cards, skipped: [{ card: 0, reason: toTranslate('the file has no Name (or First Name and Last Name) column') }] };
  }
  parsed.data.slice(0, MAX_IMPORTED_CARDS).forEach((row, index) => {
    const cell = (columns: string[]) => columns.flatMap((c) => (row[c] ?? '').split(SEPARATOR)).map((v) => v.trim()).filter(Boolean);
    const name = cell(nameColumns)[0] ?? [...cell(firstColumns), ...cell(lastColumns)].join(' ');
    const addresses: ContactAddressInput[] = [
      ...cell(phoneColumns).map((value) => ({ kind: 'tel' as const, value })),
      ...cell(sipColumns).map((value) => ({ kind: 'sip' as const, value })),
      ...cell(appColumns).map((value) => ({ kind: 'app' as const, value })),
    ];
    // Rows are numbered as a spreadsheet shows them: the header is row 1.
    if (!name) return skipped.push({ card: index + 2, reason: toTranslate('the row has no name') });
    if (addresses.length === 0) return skipped.push({ card: index + 2, reason: toTranslate('{{name}} has no phone number, SIP address or app name', { name }) });
    const notes = cell(noteColumns).join('\n');
    const favourite = /^(yes|true|1|x)$/i.test((row.Favourite ?? '').trim());
    cards.push({ name, addresses, ...(notes ? { notes } : {}), ...(favourite ? { favourite } : {}) });
  });
  for (const error of parsed.errors.slice(0, 20)) skipped.push({ card: (error.row ?? -1) + 2, reason: error.message });
  return { cards, skipped };
}
