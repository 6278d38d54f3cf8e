/** What the account and network fields accept, and what they say when they do not. */
import { expect, test } from '@playwright/test';
import { checkIceServerUrl, checkName, checkServerAddress, iceScheme, isUnencrypted } from '../../../renderer/settings/address-validation.ts';

test('an empty server address is the built-in server', () => {
  expect(checkServerAddress('')).toEqual({ ok: true, value: null });
  expect(checkServerAddress('   ')).toEqual({ ok: true, value: null });
});

test('ws:// and wss:// addresses are taken as typed, trimmed', () => {
  expect(checkServerAddress(' wss://phone.example.com ')).toEqual({ ok: true, value: 'wss://phone.example.com' });
  expect(checkServerAddress('ws://127.0.0.1:8765')).toEqual({ ok: true, value: 'ws://127.0.0.1:8765' });
  expect(checkServerAddress('wss://phone.example.com:443/signal')).toEqual({ ok: true, value: 'wss://phone.example.com:443/signal' });
});

test('other addresses are refused with a message that says what to type', () => {
  for (const text of ['phone.example.com', 'https://phone.example.com', 'http://x']) {
    const checked = checkServerAddress(text);
    expect(checked.ok, text).toBe(false);
    if (!checked.ok) expect(checked.message).toContain('wss://');
  }
  expect(checkServerAddress('wss://')).toMatchObject({ ok: false });
  expect(checkServerAddress('wss://alice:secret@phone.example.com')).toEqual({ ok: false, message: 'Put the name and password in their own fields, not in the address.' });
});

test('a password over ws:// to another machine is unencrypted; to this machine, or over wss://, it is not', () => {
  expect(isUnencrypted('ws://phone.example.com')).toBe(true);
  expect(isUnencrypted('ws://127.0.0.1:8765')).toBe(false);
  expect(isUnencrypted('ws://localhost:8765')).toBe(false);
  expect(isUnencrypted('wss://phone.example.com')).toBe(false);
  expect(isUnencrypted(null)).toBe(false);
});

test('names follow the protocol’s rules', () => {
  expect(checkName(' Alice ')).toEqual({ ok: true, value: 'Alice' });
  expect(checkName('')).toEqual({ ok: false, message: 'A name cannot be empty.' });
  expect(checkName('x'.repeat(33))).toEqual({ ok: false, message: 'A name can be at most 32 characters.' });
});

test('STUN and TURN addresses', () => {
  for (const url of ['stun:stun.example.com', 'stun:127.0.0.1:3478', 'turn:turn.example.com:3478?transport=tcp', 'turns:turn.example.com:5349', 'turn:[::1]:3478']) {
    expect(checkIceServerUrl(url), url).toEqual({ ok: true, value: url });
  }
  expect(iceScheme('TURN:x')).toBe('turn');
  expect(iceScheme('stuns:x')).toBe('stun');
  expect(iceScheme('https://x')).toBeNull();
  for (const url of ['', 'turn.example.com', 'http://turn.example.com', 'turn://turn.example.com', 'turn:', 'turn:host:port', 'turn:host:70000', 'turn:host?x=1']) {
    expect(checkIceServerUrl(url).ok, url).toBe(false);
  }
  expect(checkIceServerUrl('turn.example.com')).toEqual({ ok: false, message: 'Start the address with stun:, turn: or turns:, for example turn:turn.example.com:3478.' });
});
