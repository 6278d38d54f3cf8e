/** The SIP account form's check: what it sends to main, and what it says about each wrong field. */
import { expect, test } from '@playwright/test';
import { MAX_SIP_PASSWORD_LENGTH, type SipAccountSettings } from '../../../common/sip-account-schema.ts';
import { checkSipAccount, draftOf, type SipAccountDraft } from '../../../renderer/settings/sip-account-check.ts';

const filled = (patch: Partial<SipAccountDraft> = {}): SipAccountDraft => ({
  ...draftOf(),
  address: 'alice@pbx.example.org',
  websocketUrl: 'wss://pbx.example.org:8089/ws',
  ...patch,
});

const saved: SipAccountSettings = {
  id: 'sip-abc123',
  address: 'sip:alice@pbx.example.org',
  authUser: '1001',
  websocketUrl: 'wss://pbx.example.org:8089/ws',
  outboundProxy: null,
  displayName: 'Alice',
  keys: 'sip-info',
  enabled: false,
  hasPassword: true,
};

test('a new account: a bare address gets sip:, empty optional fields are null, no password is none', () => {
  const check = checkSipAccount(filled({ authUser: '  ', displayName: ' Alice ' }));
  expect(check).toEqual({
    ok: true,
    details: {
      address: 'sip:alice@pbx.example.org',
      authUser: null,
      websocketUrl: 'wss://pbx.example.org:8089/ws',
      outboundProxy: null,
      displayName: 'Alice',
      keys: 'rfc4733',
      enabled: true,
    },
  });
});

test('editing: the form starts from what is saved; an empty password keeps the saved one, Forget drops it, typing replaces it', () => {
  const draft = draftOf(saved);
  expect(draft).toMatchObject({ id: 'sip-abc123', address: 'sip:alice@pbx.example.org', authUser: '1001', outboundProxy: '', password: '', hasPassword: true });
  const keep = checkSipAccount(draft);
  expect(keep.ok && keep.details).toMatchObject({ id: 'sip-abc123', authUser: '1001', keys: 'sip-info', enabled: false });
  expect(keep.ok && 'password' in keep.details).toBe(false);
  const forget = checkSipAccount({ ...draft, forgetPassword: true });
  expect(forget.ok && forget.details.password).toBeNull();
  const replace = checkSipAccount({ ...draft, forgetPassword: true, password: 'new secret' });
  expect(replace.ok && replace.details.password).toBe('new secret');
});

test('wrong fields are said in words, each next to its own field', () => {
  const check = checkSipAccount(filled({ address: 'alice', websocketUrl: 'https://pbx.example.org', outboundProxy: 'proxy example', displayName: 'x'.repeat(65) }));
  expect(check).toEqual({
    ok: false,
    other: null,
    errors: {
      address: 'A SIP address looks like sip:alice@pbx.example.org.',
      websocketUrl: 'A server address starts with ws:// or wss://.',
      outboundProxy: 'A proxy looks like sip:proxy.example.org or sip:proxy.example.org:5060.',
      displayName: 'A display name can be at most 64 characters.',
    },
  });
});

test('empty required fields say what to enter; limits without a message of their own get one, never the validator’s', () => {
  const empty = checkSipAccount(filled({ address: ' ', websocketUrl: '' }));
  expect(empty.ok || empty.errors).toEqual({
    address: 'Enter your SIP address, for example sip:alice@pbx.example.org.',
    websocketUrl: 'Enter the WebSocket URL of your SIP server, for example wss://pbx.example.org:8089/ws.',
  });
  const long = checkSipAccount(filled({ password: 'p'.repeat(MAX_SIP_PASSWORD_LENGTH + 1), authUser: 'u'.repeat(129) }));
  expect(long.ok || long.errors).toEqual({
    password: `A password can be at most ${MAX_SIP_PASSWORD_LENGTH} characters.`,
    authUser: 'An authentication user can be at most 128 characters.',
  });
  for (const message of Object.values(long.ok ? {} : long.errors)) expect(message).not.toMatch(/too (small|big)|expected/i);
});
