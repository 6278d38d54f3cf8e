/** Phone numbers in contacts: international numbers normalised to E.164 by libphonenumber-js, extensions kept as dialed. */
import { expect, test } from '@playwright/test';
import { formatPhoneNumber, normalisePhoneNumber } from '../../common/phone-number.ts';

const accepted: Array<[string, string, string]> = [
  // typed, stored, shown
  ['+49 30 1234 5678', '+493012345678', '+49 30 12345678'],
  ['+1 (650) 253-0000', '+16502530000', '+1 650 253 0000'],
  ['+44 20 7946 0958', '+442079460958', '+44 20 7946 0958'],
  ['0049 30 1234567', '+49301234567', '+49 30 1234567'],
  ['1001', '1001', '1001'],
  ['*86', '*86', '*86'],
  ['#31#', '#31#', '#31#'],
  ['**21*1234#', '**21*1234#', '**21*1234#'],
  ['(030) 12 34 56', '030123456', '030123456'],
  ['001', '001', '001'],
];
for (const [typed, stored, shown] of accepted) {
  test(`"${typed}" is kept as ${stored} and shown as ${shown}`, () => {
    expect(normalisePhoneNumber(typed)).toEqual({ ok: true, value: stored });
    expect(formatPhoneNumber(stored)).toBe(shown);
  });
}

const refused: Array<[string, RegExp]> = [
  ['', /^Enter a phone number or an extension$/],
  ['   ', /^Enter a phone number or an extension$/],
  ['call me', /only digits, spaces and \+ \( \) - \. \/ \* #/],
  ['1-800-FLOWERS', /only digits/],
  ['+1 555', /^\+1 555 is not a valid international number: check the country code and the number of digits$/],
  ['+49*30', /only digits after the \+/],
  ['12+34', /A \+ can only come first/],
  ['1'.repeat(33), /at most 32 digits and keys/],
  ['1'.repeat(65), /at most 64 characters/],
];
for (const [typed, message] of refused) {
  test(`"${typed.length > 20 ? `${typed.length} ones` : typed}" is refused in words`, () => {
    const result = normalisePhoneNumber(typed);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(message);
  });
}

test('with a default country, a national number becomes international', () => {
  expect(normalisePhoneNumber('030 1234567', { defaultCountry: 'DE' })).toEqual({ ok: true, value: '+49301234567' });
  // An extension stays an extension even then.
  expect(normalisePhoneNumber('1001', { defaultCountry: 'DE' })).toEqual({ ok: true, value: '1001' });
});
