/** The renderer's view of the account and network contract, with a core that has it and one that does not yet. */
import { expect, test } from '@playwright/test';
import { connectedState } from '../../support/connection-state.ts';
import { rtcConfigurationOf } from '../../../renderer/state/account-api.ts';

const connection = connectedState({ serverUrl: 'ws://127.0.0.1:8765' });

test('each call uses the configuration main worked out: servers and relay policy', () => {
  const turn = { urls: 'turn:127.0.0.1:3478', username: '1700000000:Alice', credential: 'secret' };
  const config = rtcConfigurationOf({ ...connection, rtc: { iceServers: [turn], iceTransportPolicy: 'relay' } });
  expect(config).toEqual({ iceServers: [turn], iceTransportPolicy: 'relay' });
});

