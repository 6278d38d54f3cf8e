import { expect, test } from '@playwright/test';
import { checkDialString, dialSteps, parseDialString } from '../../common/dial-string.ts';

test('a dial string splits into who to call and the keys to send after the answer', () => {
  expect(parseDialString('Demo IVR,,1,,2#')).toEqual({ target: 'Demo IVR', postDial: ',,1,,2#' });
  expect(parseDialString('  Bob  ')).toEqual({ target: 'Bob', postDial: '' });
  expect(parseDialString('ivr,*9#A')).toEqual({ target: 'ivr', postDial: ',*9#A' });
});

test('a comma inside a name stays in the name', () => {
  expect(parseDialString('Smith, Jo,,42#')).toEqual({ target: 'Smith, Jo', postDial: ',,42#' });
  expect(parseDialString('Smith, Jo')).toEqual({ target: 'Smith, Jo', postDial: '' });
});

test('the tail becomes pauses and runs of keys', () => {
  expect(dialSteps(',,1,,2#')).toEqual([
    { kind: 'pause', count: 2 },
    { kind: 'tones', tones: '1' },
    { kind: 'pause', count: 2 },
    { kind: 'tones', tones: '2#' },
  ]);
  expect(dialSteps('')).toEqual([]);
  expect(() => dialSteps(',1x')).toThrow(/Not a key sequence/);
});

test('a tail meant as keys with something that is not a key is refused in words, before calling', () => {
  const refused = checkDialString('Bob,,1x');
  expect(refused).toEqual({ ok: false, message: expect.stringContaining('"x" is not a key') });
  expect(!refused.ok && refused.message).toMatch(/^After "Bob", the keys to send once answered may be 0-9, \*, #, A-D and commas for pauses/);
  expect(checkDialString('Demo IVR, 1').ok).toBe(false);
  expect(checkDialString('Demo IVR,,2,1,3')).toEqual({ ok: true, dial: { target: 'Demo IVR', postDial: ',,2,1,3' } });
  expect(checkDialString('Smith, Jo')).toEqual({ ok: true, dial: { target: 'Smith, Jo', postDial: '' } });
  expect(checkDialString('Bob')).toEqual({ ok: true, dial: { target: 'Bob', postDial: '' } });
});
