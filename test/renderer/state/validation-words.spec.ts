/** What a failed check says to the user: words, never zod's "Too small: expected string to have >=1 characters". */
import { expect, test } from '@playwright/test';
import { z } from 'zod';
import { DtmfSequence } from '../../../common/dial-string.ts';
import { plainWords } from '../../../renderer/state/validation-words.ts';

const say = (schema: z.ZodType, value: unknown) => {
  const result = schema.safeParse(value, { error: plainWords });
  return result.success ? null : result.error.issues[0]!.message;
};

test('checks without their own words say what is wrong in plain language', () => {
  expect(say(z.string().min(1), '')).toBe('This cannot be empty');
  expect(say(z.string().min(3), 'ab')).toBe('Use at least 3 characters');
  expect(say(z.string().max(4), 'abcdef')).toBe('Use at most 4 characters');
  expect(say(z.number().int().max(6000), 7000)).toBe('Use at most 6000');
  expect(say(z.array(z.string()).max(2), ['a', 'b', 'c'])).toBe('There can be at most 2');
  expect(say(z.string(), undefined)).toBe('This is needed');
  expect(say(z.enum(['rfc4733', 'signaling']), 'x')).toBe('Choose one of: rfc4733, signaling');
  expect(say(z.string().regex(/^\d+$/), 'x')).toBe('This has characters that cannot be used here');
});

test('a schema’s own words win, and a contact’s key sequence has its own', () => {
  expect(say(z.string().min(1, 'Say whom to call'), '')).toBe('Say whom to call');
  expect(say(DtmfSequence, { label: ' ', tones: '12' })).toBe('A sequence needs a name');
  expect(say(DtmfSequence, { label: 'PIN', tones: '' })).toBe('A sequence needs at least one key');
  for (const value of [{ label: '', tones: '' }, { label: 'x'.repeat(41), tones: '1' }]) {
    expect(say(DtmfSequence, value)).not.toMatch(/Too (small|big)|expected/);
  }
});
