/** The renderer's view of the account and network contract, with a core that has it and one that does not yet. */
import { expect, test } from '@playwright/test';
import type { ConnectionState, Settings, SoftphoneApi } from '../../../common/ipc-contract.ts';
import { accountApi, accountOf, networkOf, rtcConfigurationOf } from '../../../renderer/state/account-api.ts';

const connection: ConnectionState = {
  status: 'connected',
  serverUrl: 'ws://127.0.0.1:8765',
  hostingServer: false,
  signedInAs: 'Alice',
  attempt: 0,
  retryInMs: null,
  lastError: null,
};

test('each call uses the configuration main worked out: servers and relay policy', () => {
  const turn = { urls: 'turn:127.0.0.1:3478', username: '1700000000:Alice', credential: 'secret' };
  const config = rtcConfigurationOf({ ...connection, rtc: { iceServers: [turn], iceTransportPolicy: 'relay' } });
  expect(config).toEqual({ iceServers: [turn], iceTransportPolicy: 'relay' });
});

test('without it, calls use no STUN or TURN server at all', () => {
  expect(rtcConfigurationOf(connection)).toEqual({ iceServers: [] });
});

test('account methods are offered only when the core has all of them', () => {
  const fn = async () => null as never;
  const base = { getSnapshot: fn } as unknown as SoftphoneApi;
  expect(accountApi(base)).toBeNull();
  expect(accountApi({ ...base, saveAccount: fn } as SoftphoneApi)).toBeNull();
  const full = { ...base, saveAccount: fn, testConnection: fn, saveNetwork: fn } as SoftphoneApi;
  expect(accountApi(full)).toBe(full);
});

test('settings without account or network read as the built-in server, no password, no servers', () => {
  const settings = { displayName: 'Alice' } as Settings;
  expect(accountOf(settings)).toEqual({ serverUrl: null, hasPassword: false });
  expect(networkOf(settings)).toEqual({ iceServers: [], relayOnly: false });
});
