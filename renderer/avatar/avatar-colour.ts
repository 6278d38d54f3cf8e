/**
 * Which of the theme's avatar colours (`--sp-avatar-1` … in page.css) a name
 * gets: always the same for the same name, whatever its case or spacing, so
 * a person keeps their colour across the contact list, the history and calls.
 */

/** How many avatar colours the theme defines; page.css and this must agree (a test checks). */
export const AVATAR_COLOURS = 8;

/** 1 … AVATAR_COLOURS. */
export function avatarColourOf(name: string): number {
  const key = name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
  // FNV-1a: cheap, and spreads names that differ by one letter across the colours.
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return ((hash >>> 0) % AVATAR_COLOURS) + 1;
}
