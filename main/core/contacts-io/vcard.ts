/**
 * Contacts to and from vCard (3.0 and 4.0 with ical.js, which also folds,
 * unfolds and escapes; 2.1 cards are read after their quoted-printable
 * values are decoded and their bare parameters typed, which ical.js does not do).
 *
 * Where a contact's addresses go:
 * - phone numbers: TEL;
 * - SIP addresses: IMPP with a sip: URI (what Apple, Google and Thunderbird
 *   write), also read from X-SIP and from a TEL holding a sip: URI;
 * - app user names: X-SOFTPHONE-APP, which other apps keep and ignore.
 */
import ICAL from 'ical.js';
import { toTranslate } from '../../../common/i18n/schema-words.ts';
import type { ContactAddressInput, ContactDetails } from '../../../common/contact-schema.ts';

// ical.js folds after 75 octets and then adds the leading space: 74 keeps every line within RFC 6350's 75.
ICAL.foldLength = 74;

export type VcardVersion = '3.0' | '4.0';

export interface ParsedCards {
  cards: ContactDetails[];
  /** Cards that could not be read, numbered from 1 in the file, and why. */
  skipped: Array<{ card: number; reason: string }>;
}

/** The most cards one import reads; a bigger file is refused by the caller before this. */
export const MAX_IMPORTED_CARDS = 20_000;

export function parseVcards(text: string): ParsedCards {
  const blocks = [...unfoldLegacy(text).matchAll(/BEGIN:VCARD\r?\n[\s\S]*?END:VCARD/gi)].map((m) => m[0]);
  const cards: ContactDetails[] = [];
  const skipped: ParsedCards['skipped'] = [];
  blocks.slice(0, MAX_IMPORTED_CARDS).forEach((block, index) => {
    try {
      cards.push(cardOf(new ICAL.Component(ICAL.parse(decodeQuotedPrintable(block)) as unknown[])));
    } catch (error) {
      skipped.push({ card: index + 1, reason: error instanceof Error ? error.message : String(error) });
    }
  });
  return { cards, skipped };
}

function cardOf(card: ICAL.Component): ContactDetails {
  const text = (name: string) => {
    const value = card.getFirstPropertyValue(name);
    return typeof value === 'string' ? value.trim() : '';
  };
  const addresses: ContactAddressInput[] = [];
  for (const property of card.getAllProperties('tel')) {
    const value = String(property.getFirstValue() ?? '').trim();
    if (!value) continue;
    const label = typeLabel(property);
    if (/^sips?:/i.test(value)) addresses.push({ kind: 'sip', value, ...(label ? { label } : {}) });
    else addresses.push({ kind: 'tel', value: value.replace(/^tel:/i, ''), ...(label ? { label } : {}) });
  }
  for (const name of ['impp', 'x-sip']) {
    for (const property of card.getAllProperties(name)) {
      const value = String(property.getFirstValue() ?? '').trim();
      if (/^sips?:/i.test(value) || (name === 'x-sip' && value.includes('@'))) addresses.push({ kind: 'sip', value: /^sips?:/i.test(value) ? value : `sip:${value}` });
    }
  }
  for (const property of card.getAllProperties('x-softphone-app')) {
    const value = String(property.getFirstValue() ?? '').trim();
    if (value) addresses.push({ kind: 'app', value });
  }
  const structured = card.getFirstPropertyValue('n');
  const fromParts = Array.isArray(structured) ? [structured[1], structured[0]].flat().filter(Boolean).join(' ').trim() : '';
  const name = text('fn') || fromParts || text('org');
  if (!name) throw new Error(toTranslate('the card has no name (FN, N or ORG)'));
  if (addresses.length === 0) throw new Error(toTranslate('{{name}} has no phone number, SIP address or app name', { name }));
  const notes = text('note');
  const favourite = card.getAllProperties('x-softphone-favourite').some((p) => String(p.getFirstValue()).toLowerCase() === 'true');
  return { name, addresses, ...(notes ? { notes } : {}), ...(favourite ? { favourite } : {}) };
}

/** "work", "cell", "home" from TYPE=…, the label people expect to see. */
function typeLabel(property: ICAL.Property): string | undefined {
  const type = property.getParameter('type');
  const types = (Array.isArray(type) ? type : type ? [type] : []).map((t) => String(t).toLowerCase()).filter((t) => !['voice', 'pref', 'internet'].includes(t));
  return types[0];
}

export function toVcards(contacts: ReadonlyArray<{ name: string; addresses: ReadonlyArray<{ kind: string; value: string; label?: string | undefined }>; notes: string; favourite: boolean }>, version: VcardVersion): string {
  return contacts
    .map((contact) => {
      const card = new ICAL.Component('vcard');
      card.addPropertyWithValue('version', version);
      card.addPropertyWithValue('fn', contact.name);
      // N is required in 3.0; without a structured name, the whole name goes in the family-name part.
      if (version === '3.0') card.addPropertyWithValue('n', [contact.name, '', '', '', '']);
      for (const address of contact.addresses) {
        if (address.kind === 'tel') {
          const property = card.addPropertyWithValue('tel', version === '4.0' ? `tel:${address.value}` : address.value);
          if (version === '4.0') property.setParameter('value', 'uri');
          if (address.label) property.setParameter('type', address.label);
        } else if (address.kind === 'sip') {
          const property = card.addPropertyWithValue('impp', address.value);
          if (address.label) property.setParameter('type', address.label);
        } else {
          card.addPropertyWithValue('x-softphone-app', address.value);
        }
      }
      if (contact.notes) card.addPropertyWithValue('note', contact.notes);
      if (contact.favourite) card.addPropertyWithValue('x-softphone-favourite', 'true');
      return card.toString().replace(/\r?\n/g, '\r\n');
    })
    .join('\r\n')
    .concat('\r\n');
}

/**
 * vCard 2.1 continues a quoted-printable value after a soft line break ("="
 * at the end of the line) on a line that does not start with white space:
 * join those lines, and only those (a base64 photo also has lines ending in "=").
 */
function unfoldLegacy(text: string): string {
  const out: string[] = [];
  let joining = false;
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (joining) out[out.length - 1] = out[out.length - 1]!.slice(0, -1) + line;
    else out.push(line);
    const current = out[out.length - 1]!;
    joining = /ENCODING=QUOTED-PRINTABLE/i.test(current.slice(0, current.indexOf(':') + 1)) && current.endsWith('=');
  }
  return out.join('\n');
}

/** vCard 2.1's bare parameters (`TEL;CELL;VOICE:`) as 3.0 writes them (`TEL;TYPE=CELL;TYPE=VOICE:`). */
function typedBareParameters(line: string): string {
  const colon = line.indexOf(':');
  if (colon < 0) return line;
  const [name, ...params] = line.slice(0, colon).split(';');
  if (params.every((p) => p.includes('='))) return line;
  return [name, ...params.map((p) => (p.includes('=') ? p : `TYPE=${p}`))].join(';') + line.slice(colon);
}

/** Decodes ENCODING=QUOTED-PRINTABLE values (vCard 2.1) as UTF-8 (or the card's CHARSET), and drops those parameters. */
function decodeQuotedPrintable(block: string): string {
  return block
    .split('\n')
    .map((line) => {
      line = typedBareParameters(line);
      const match = /^([^:]*?);(?:[^:;]*;)*?ENCODING=QUOTED-PRINTABLE[^:]*:(.*)$/i.exec(line);
      if (!match) return line.replace(/^VERSION:2\.1$/i, 'VERSION:3.0');
      const charset = /CHARSET=([^;:]+)/i.exec(line)?.[1] ?? 'utf-8';
      const params = line
        .slice(0, line.indexOf(':'))
        .split(';')
        .filter((p) => !/^(ENCODING|CHARSET)=/i.test(p))
        .join(';');
      const bytes = Uint8Array.from(match[2]!.replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), (c) => c.charCodeAt(0));
      const decoded = new TextDecoder(charset.toLowerCase()).decode(bytes);
      // 2.1 did not escape text; 3.0 does: a comma or semicolon in a NOTE would split it. N keeps its ; between parts.
      const structured = /^(N|ADR)$/i.test(params.split(';')[0]!);
      const escaped = decoded.replace(/\\/g, '\\\\').replace(structured ? /,/g : /[,;]/g, (c) => `\\${c}`);
      return `${params}:${escaped.replace(/\r?\n/g, '\\n')}`;
    })
    .join('\n');
}
