/** What a user dials through a SIP account, as the request URI a PBX receives; keys as SIP INFO bodies. */
import { expect, test } from '@playwright/test';
import { dtmfRelayBody, keyOfInfoBody, sipTarget } from '../../../../main/core/sip/sip-dial.ts';

const ACCOUNT = 'sip:alice@pbx.example.org';

test('SIP addresses pass as given; user@host gets its scheme', () => {
  expect(sipTarget('sip:bob@other.example.org', ACCOUNT)).toBe('sip:bob@other.example.org');
  expect(sipTarget('sips:bob@other.example.org:5061', ACCOUNT)).toBe('sips:bob@other.example.org:5061');
  expect(sipTarget('bob@other.example.org', ACCOUNT)).toBe('sip:bob@other.example.org');
});

test('extensions, feature codes and phone numbers go to the account’s domain, separators removed and # escaped', () => {
  expect(sipTarget('1001', ACCOUNT)).toBe('sip:1001@pbx.example.org');
  expect(sipTarget('*86', ACCOUNT)).toBe('sip:*86@pbx.example.org');
  expect(sipTarget('+49 (30) 1234-567', ACCOUNT)).toBe('sip:+49301234567@pbx.example.org');
  expect(sipTarget('#31#', ACCOUNT)).toBe('sip:%2331%23@pbx.example.org');
  expect(sipTarget('bob', ACCOUNT)).toBe('sip:bob@pbx.example.org');
  expect(sipTarget('Bob Smith', ACCOUNT)).toBe('sip:Bob%20Smith@pbx.example.org');
});

test('a key as application/dtmf-relay, and keys read back from the bodies PBXs send', () => {
  expect(dtmfRelayBody('#', 160)).toBe('Signal=#\r\nDuration=160\r\n');
  expect(keyOfInfoBody('application/dtmf-relay', 'Signal=5\r\nDuration=160\r\n')).toBe('5');
  expect(keyOfInfoBody('Application/DTMF-Relay; charset=utf-8', 'signal= *\r\n')).toBe('*');
  expect(keyOfInfoBody('application/dtmf-relay', 'Signal=11\r\nDuration=100')).toBe('#');
  expect(keyOfInfoBody('application/dtmf', '7')).toBe('7');
  expect(keyOfInfoBody('application/dtmf-relay', 'Signal=X')).toBeNull();
  expect(keyOfInfoBody('text/plain', 'Signal=1')).toBeNull();
});
