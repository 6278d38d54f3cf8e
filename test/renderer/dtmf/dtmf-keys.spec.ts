import { expect, test } from '@playwright/test';
import { DTMF_KEYS, dtmfKey, keyFromKeyboard, tonesFromText, visibleKeys } from '../../../renderer/call/dtmf/dtmf-keys.ts';

const press = (key: string, modifiers: Partial<Record<'ctrlKey' | 'altKey' | 'metaKey', boolean>> = {}, code = '') => ({
  key,
  code,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  ...modifiers,
});

test('every key has the standard row and column frequencies', () => {
  expect(DTMF_KEYS).toHaveLength(16);
  expect(dtmfKey('1')!.frequencies).toEqual([697, 1209]);
  expect(dtmfKey('5')!.frequencies).toEqual([770, 1336]);
  expect(dtmfKey('9')!.frequencies).toEqual([852, 1477]);
  expect(dtmfKey('*')!.frequencies).toEqual([941, 1209]);
  expect(dtmfKey('0')!.frequencies).toEqual([941, 1336]);
  expect(dtmfKey('#')!.frequencies).toEqual([941, 1477]);
  expect(dtmfKey('D')!.frequencies).toEqual([941, 1633]);
});

test('the pad reads like a phone, with letters under the digits, A-D only when asked', () => {
  expect(visibleKeys(false).map((k) => k.key).join('')).toBe('123456789*0#');
  expect(visibleKeys(true).map((k) => k.key).join('')).toBe('123A456B789C*0#D');
  expect(dtmfKey('2')!.letters).toBe('ABC');
  expect(dtmfKey('7')!.letters).toBe('PQRS');
  expect(dtmfKey('1')!.letters).toBe('');
});

test('keyboard: digits, * and # (main keys or numpad) send; shortcuts and other keys do not', () => {
  for (const key of [...'0123456789*#']) expect(keyFromKeyboard(press(key), false)).toBe(key);
  expect(keyFromKeyboard(press('a'), false)).toBeNull();
  expect(keyFromKeyboard(press('a'), true)).toBe('A');
  expect(keyFromKeyboard(press('1', { ctrlKey: true }), false)).toBeNull();
  expect(keyFromKeyboard(press('Enter'), false)).toBeNull();
  expect(keyFromKeyboard(press('e'), true)).toBeNull();
  // The numpad with Num Lock on and off.
  expect(keyFromKeyboard(press('7', {}, 'Numpad7'), false)).toBe('7');
  expect(keyFromKeyboard(press('Home', {}, 'Numpad7'), false)).toBe('7');
  expect(keyFromKeyboard(press('*', {}, 'NumpadMultiply'), false)).toBe('*');
  expect(keyFromKeyboard(press('Enter', {}, 'NumpadEnter'), false)).toBeNull();
});

test('pasted text keeps keys and pauses, drops separators', () => {
  expect(tonesFromText('1234#', false)).toBe('1234#');
  expect(tonesFromText('PIN: 12 34 #', false)).toBe('1234#');
  expect(tonesFromText('1,,2-3', false)).toBe('1,,23');
  expect(tonesFromText('*9 abcd', true)).toBe('*9ABCD');
  expect(tonesFromText('hello', false)).toBe('');
});
