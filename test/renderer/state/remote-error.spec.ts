/** Errors from main as the user reads them: without Electron's "Error invoking remote method" prefix. */
import { expect, test } from '@playwright/test';
import { remoteErrorText } from '../../../renderer/state/remote-error.ts';

test("Electron's prefix is taken off, with or without the inner Error:", () => {
  expect(remoteErrorText(new Error("Error invoking remote method 'saveNetwork': Error: At most 8 servers"))).toBe('At most 8 servers');
  expect(remoteErrorText(new Error("Error invoking remote method 'saveSipAccount': TypeError: bad"))).toBe('TypeError: bad');
});

test('other errors and values are said as they are', () => {
  expect(remoteErrorText(new Error('There is no SIP account sip-1'))).toBe('There is no SIP account sip-1');
  expect(remoteErrorText('plain words')).toBe('plain words');
});
