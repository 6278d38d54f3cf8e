/**
 * The telephone keypad: which keys exist, the letters printed under them, and
 * the two frequencies each key's tone is made of (ITU-T Q.23).
 */
import { DTMF_TONES } from '../../../common/signaling-protocol.ts';

const ROWS = [697, 770, 852, 941] as const;
const COLUMNS = [1209, 1336, 1477, 1633] as const;

/** Keys in reading order, 4 columns wide including A–D. */
const LAYOUT = ['123A', '456B', '789C', '*0#D'] as const;

const LETTERS: Readonly<Record<string, string>> = {
  '2': 'ABC',
  '3': 'DEF',
  '4': 'GHI',
  '5': 'JKL',
  '6': 'MNO',
  '7': 'PQRS',
  '8': 'TUV',
  '9': 'WXYZ',
  '0': '+',
};

export interface DtmfKey {
  readonly key: string;
  readonly letters: string;
  /** [row, column] in Hz. */
  readonly frequencies: readonly [number, number];
}

export const DTMF_KEYS: readonly DtmfKey[] = LAYOUT.flatMap((row, r) =>
  [...row].map((key, c) => ({ key, letters: LETTERS[key] ?? '', frequencies: [ROWS[r]!, COLUMNS[c]!] as const })),
);

const BY_KEY = new Map(DTMF_KEYS.map((k) => [k.key, k]));

export function dtmfKey(key: string): DtmfKey | undefined {
  return BY_KEY.get(key);
}

/** The keys shown: the 4×3 pad, or 4×4 with A–D. */
export function visibleKeys(extended: boolean): DtmfKey[] {
  return extended ? [...DTMF_KEYS] : DTMF_KEYS.filter((k) => !'ABCD'.includes(k.key));
}

/**
 * The key a keyboard press means, or null. Digits, `*` and `#` from the main
 * keyboard, the numpad's digits and `*` whether Num Lock is on or not (with it
 * off the browser reports End, ArrowDown…, but a user on a call means digits),
 * A–D only when shown. Presses with Ctrl, Alt or Meta are shortcuts, not keys.
 */
export function keyFromKeyboard(
  event: Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'altKey' | 'metaKey'>,
  extended: boolean,
): string | null {
  if (event.ctrlKey || event.altKey || event.metaKey) return null;
  const numpad = /^Numpad(\d)$/.exec(event.code)?.[1] ?? (event.code === 'NumpadMultiply' ? '*' : null);
  if (numpad) return numpad;
  const key = event.key.length === 1 ? event.key.toUpperCase() : '';
  if (!key || !DTMF_TONES.includes(key)) return null;
  if (!extended && 'ABCD'.includes(key)) return null;
  return key;
}

/**
 * The keys and pauses in pasted text, e.g. "PIN: 1234#" → "1234#", "1,,2" kept.
 * Spaces, dashes and other separators people paste are dropped.
 */
export function tonesFromText(text: string, extended: boolean): string {
  const allowed = extended ? `${DTMF_TONES},` : '0123456789*#,';
  return [...text.toUpperCase()].filter((c) => allowed.includes(c)).join('');
}
