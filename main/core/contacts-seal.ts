/**
 * The seal on a contacts file the store wrote: the SHA-256 of its contacts
 * exactly as written, with the format and the rules they were checked under.
 *
 * Checking 10,000 contacts against their schema takes longer than reading
 * them, and the window waits for it at every start. A file whose seal matches
 * holds what this app checked before writing it, byte for byte, so it is read
 * without checking each contact again. Anything else (a hand edit, another
 * format, an older app, a file cut short) breaks the seal and is checked in
 * full, as before. The seal is not a security boundary: whoever can write the
 * file can reseal it, and what main sends onwards is still checked at the IPC
 * boundary (ContactView).
 */
import { createHash } from 'node:crypto';

/**
 * Bump when what makes a contact valid changes (a tighter limit, a new rule),
 * so files sealed under the old rules are checked under the new ones once.
 */
export const CONTACT_RULES_REVISION = 1;

const digest = (version: number, contactsJson: string) =>
  createHash('sha256').update(`contacts v${version} rules ${CONTACT_RULES_REVISION}\n`).update(contactsJson).digest('hex');

/** The whole file: version, seal, and the contacts as `contactsJson` has them. */
export function sealedDocument(version: number, contactsJson: string): string {
  return `{"version":${version},"seal":"${digest(version, contactsJson)}","contacts":${contactsJson}}\n`;
}

const SEALED = /^\{"version":(\d+),"seal":"([0-9a-f]{64})","contacts":/;
const END = '}\n';

/** The contacts of a file sealed for `version` whose seal matches; null for any other file. */
export function unsealedContacts(text: string, version: number): unknown[] | null {
  const head = SEALED.exec(text);
  if (!head || Number(head[1]) !== version || !text.endsWith(END)) return null;
  const contactsJson = text.slice(head[0].length, text.length - END.length);
  if (digest(version, contactsJson) !== head[2]) return null;
  try {
    const contacts: unknown = JSON.parse(contactsJson);
    return Array.isArray(contacts) ? contacts : null;
  } catch {
    return null;
  }
}
