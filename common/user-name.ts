/**
 * What makes a user name safe to show and to route by: one normal form
 * (NFKC, single spaces), one comparison key (case-folded), and a refusal of
 * names that could pass for someone else's: invisible characters and letters
 * from several scripts mixed ("Bоb" with a Cyrillic о).
 *
 * Used by the server (names it hands out) and by clients (to say what is
 * wrong before asking the server). Runs in Node and in the renderer.
 */
import { toTranslate } from './i18n/schema-words.ts';

/** Characters that show as nothing, or could hide in a name, beyond Cc/Cf. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\p{Co}\p{Cn}\p{Cs}]/u;

/**
 * Scripts a letter may belong to. A name may mix these only in the
 * combinations writing systems really use (UTS #39 "highly restrictive").
 */
const SCRIPTS = [
  'Latin', 'Greek', 'Cyrillic', 'Armenian', 'Hebrew', 'Arabic', 'Syriac', 'Thaana', 'Devanagari', 'Bengali',
  'Gurmukhi', 'Gujarati', 'Oriya', 'Tamil', 'Telugu', 'Kannada', 'Malayalam', 'Sinhala', 'Thai', 'Lao',
  'Tibetan', 'Myanmar', 'Georgian', 'Hangul', 'Ethiopic', 'Cherokee', 'Khmer', 'Mongolian', 'Hiragana',
  'Katakana', 'Bopomofo', 'Han',
] as const;
type Script = (typeof SCRIPTS)[number];
const SCRIPT_PATTERNS = SCRIPTS.map((script) => [script, new RegExp(`\\p{Script_Extensions=${script}}`, 'u')] as const);

/** Mixtures that are one writing system, not a disguise. */
const ALLOWED_MIXES: ReadonlySet<Script>[] = [
  new Set(['Latin', 'Han', 'Hiragana', 'Katakana']),
  new Set(['Latin', 'Han', 'Bopomofo']),
  new Set(['Latin', 'Han', 'Hangul']),
];

/** The form a name is shown and stored in: NFKC, trimmed, inner runs of spaces made one. */
export function normaliseName(name: string): string {
  return name.normalize('NFKC').replace(/\s+/gu, ' ').trim();
}

/** Two names with the same key are the same name: "Bob", "bob" and "ＢＯＢ" included. */
export function nameKey(name: string): string {
  return normaliseName(name).toLowerCase().normalize('NFKC');
}

function scriptsOf(character: string): Script[] {
  return SCRIPT_PATTERNS.filter(([, pattern]) => pattern.test(character)).map(([script]) => script);
}

/** Whether one name's letters come from one writing system (or an allowed mix), as UTS #39 resolves it. */
function isSingleWritingSystem(name: string): boolean {
  const letterScripts: Script[][] = [];
  for (const character of name) {
    if (!/[\p{L}\p{M}]/u.test(character)) continue;
    const scripts = scriptsOf(character);
    if (scripts.length > 0) letterScripts.push(scripts);
  }
  if (letterScripts.length === 0) return true;
  // One script every letter may belong to (a letter shared by several scripts keeps them all).
  const common = letterScripts.reduce((shared, scripts) => shared.filter((s) => scripts.includes(s)));
  if (common.length > 0) return true;
  return ALLOWED_MIXES.some((mix) => letterScripts.every((scripts) => scripts.some((s) => mix.has(s))));
}

/**
 * Null when `name` may be taken; otherwise why not, in words for the user.
 * Expects the name after normaliseName().
 */
export function checkNewName(name: string): string | null {
  if (name.length === 0) return toTranslate('A name cannot be empty');
  if (INVISIBLE.test(name)) return toTranslate('A name cannot contain invisible or control characters');
  if (!isSingleWritingSystem(name)) return toTranslate('A name cannot mix letters of different scripts (they can pass for other letters)');
  return null;
}
