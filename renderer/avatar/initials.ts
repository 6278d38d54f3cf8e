/**
 * The letters an avatar shows for a name: the first letters of the first and
 * the last name ("Dr. Anna-Lena Müller" → "AM"), one for a single name, one
 * character for names written in Chinese, Japanese or Korean (where one
 * character is already a syllable or a word), the first emoji of a name that
 * is only emoji, and nothing for a number or anything else without letters
 * (the avatar then shows a generic person).
 */

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Titles people put before a name; not who they are ("Dr. Anna Berg" is AB, not DB). */
const TITLES = new Set(['dr', 'prof', 'mr', 'mrs', 'ms', 'mx', 'sir', 'dame', 'herr', 'frau', 'hr', 'fr', 'dipl-ing', 'ing', 'mag']);

/** Scripts without capitals where one character is a syllable or a word: one is enough, two would read as a word. */
const SYLLABIC = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** `user@host`, `sip:user@host`, `sips:user`, `tel:+4930…`: the part that names someone. */
const ADDRESS = /^(?:(?:sips?|tel):)?([^@\s]+)@\S+$|^(?:sips?|tel):(\S+)$/i;

export function initialsOf(name: string): string {
  let text = name.normalize('NFC').trim();
  const address = ADDRESS.exec(text);
  // An address's user part: dots and underscores part its words ("anna.berg@pbx" → "AB").
  if (address) text = (address[1] ?? address[2]!).replace(/[._]+/g, ' ');
  // "Müller, Anna", as address books export names: the given name comes first.
  const reversed = /^([^,]+),\s*([^,]+)$/.exec(text);
  if (reversed) text = `${reversed[2]} ${reversed[1]}`;
  // "Bob (work)": what is in brackets says which Bob, it is not his name.
  text = text.replace(/\([^)]*\)|\[[^\]]*\]/g, ' ');

  const words = text.split(/\s+/u).filter((word) => /\p{L}/u.test(word));
  const names = words.filter((word) => !TITLES.has(word.toLowerCase().replace(/\./g, '')));
  const chosen = names.length > 0 ? names : words;
  if (chosen.length === 0) return firstPictograph(text);
  const first = firstLetter(chosen[0]!);
  if (SYLLABIC.test(first) || chosen.length === 1) return capital(first);
  const last = firstLetter(chosen.at(-1)!);
  return SYLLABIC.test(last) ? capital(first) : capital(first) + capital(last);
}

/** The first character of a word that is a letter, with its accents ("'Anna" → "A", "E\u0301mile" → "É"). */
function firstLetter(word: string): string {
  for (const { segment } of graphemes.segment(word)) if (/^\p{L}/u.test(segment)) return segment;
  return '';
}

/** Upper case where that is still one character ("ß" would become "SS"). */
function capital(letter: string): string {
  const upper = letter.toLocaleUpperCase();
  return [...graphemes.segment(upper)].length === 1 ? upper : letter;
}

function firstPictograph(text: string): string {
  for (const { segment } of graphemes.segment(text)) if (/\p{Extended_Pictographic}/u.test(segment)) return segment;
  return '';
}
