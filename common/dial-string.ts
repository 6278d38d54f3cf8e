/**
 * Dial strings with post-dial digits, as on a phone: `Demo IVR,,1,,2#` calls
 * "Demo IVR", waits for the answer, then sends the tail — each `,` is a pause,
 * everything else is a key press.
 */
import { z } from 'zod';
import { DTMF_TONES } from './signaling-protocol.ts';
import { toTranslate } from './i18n/schema-words.ts';

const TAIL_PATTERN = /^[0-9A-D*#,]*$/;

const KEYS_ONLY = toTranslate('Use only 0-9, *, #, A-D and , (pause)');

/** The key presses and pauses sent after a call is answered; may be empty. */
export const PostDial = z
  .string({ error: 'Keys must be text' })
  .max(256, toTranslate('Keys can be at most 256 presses and pauses'))
  .regex(TAIL_PATTERN, KEYS_ONLY)
  .default('');

/** A named key sequence a contact keeps, e.g. { label: 'Conference PIN', tones: '4711#' }. */
export const DtmfSequence = z.object({
  label: z.string({ error: 'A sequence name must be text' }).trim().min(1, toTranslate('A sequence needs a name')).max(40, toTranslate('A sequence name can be at most 40 characters')),
  tones: z
    .string({ error: 'Keys must be text' })
    .min(1, toTranslate('A sequence needs at least one key'))
    .max(256, toTranslate('A sequence can be at most 256 presses and pauses'))
    .regex(TAIL_PATTERN, KEYS_ONLY),
});
export type DtmfSequence = z.infer<typeof DtmfSequence>;

export interface DialString {
  target: string;
  /** Starts with the `,` that separated it, or is empty. */
  postDial: string;
}

/**
 * Split what the user typed into who to call and what to send after.
 * The tail starts at the first comma after which only keys and commas
 * follow, so a name with a comma in it ("Smith, Jo") still works.
 */
export function parseDialString(input: string): DialString {
  const text = input.trim();
  for (let i = 0; i < text.length; i++) {
    if (text[i] === ',' && TAIL_PATTERN.test(text.slice(i))) {
      return { target: text.slice(0, i).trim(), postDial: text.slice(i) };
    }
  }
  return { target: text, postDial: '' };
}

/** Where keys after the name seem meant: two commas, or a comma before a digit, * or #. */
const MEANT_AS_KEYS = /,\s*(?=,|[0-9*#])/;

/**
 * A dial string ready to call, or why not in words: "Bob,,1x" is refused
 * (its tail is meant as keys, and x is not a key) instead of calling someone
 * named "Bob,,1x". A comma followed by words ("Smith, Jo") stays a name.
 */
export function checkDialString(input: string): { ok: true; dial: DialString } | { ok: false; message: string } {
  const dial = parseDialString(input);
  if (dial.postDial) return { ok: true, dial };
  const text = input.trim();
  const start = text.search(MEANT_AS_KEYS);
  if (start < 0) return { ok: true, dial };
  const tail = text.slice(start);
  const bad = [...tail].find((c) => !/[0-9A-D*#,]/.test(c)) ?? '';
  const before = text.slice(0, start).trim();
  return {
    ok: false,
    message: bad.trim()
      ? toTranslate('After "{{before}}", the keys to send once answered may be 0-9, *, #, A-D and commas for pauses: "{{key}}" is not a key.', { before, key: bad })
      : toTranslate('After "{{before}}", the keys to send once answered may be 0-9, *, #, A-D and commas for pauses: a space is not a key.', { before }),
  };
}

export type DialStep = { kind: 'tones'; tones: string } | { kind: 'pause'; count: number };

/** `,,12,#` → pause×2, tones "12", pause×1, tones "#". */
export function dialSteps(tail: string): DialStep[] {
  const steps: DialStep[] = [];
  for (const run of tail.match(/,+|[^,]+/g) ?? []) {
    if (run.startsWith(',')) steps.push({ kind: 'pause', count: run.length });
    else if ([...run].every((c) => DTMF_TONES.includes(c))) steps.push({ kind: 'tones', tones: run });
    else throw new Error(`Not a key sequence: "${run}"`);
  }
  return steps;
}
