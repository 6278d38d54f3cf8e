import { expect, test } from '@playwright/test';
import { dialSteps, parseDialString } from '../../common/dial-string.ts';

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
