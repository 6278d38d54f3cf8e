/** The connection line reads as one sentence, and says what to do when waiting will not help. */
import { expect, test } from '@playwright/test';
import type { ConnectionState } from '../../../common/ipc-contract.ts';
import { connectedState } from '../../support/connection-state.ts';
import { adviceFor, describeConnection } from '../../../renderer/state/connection-text.ts';

const base = connectedState();
const failed = (lastError: string): ConnectionState => ({ ...base, status: 'failed', signedInAs: null, lastError });

test('online, connecting, and reconnecting with main’s reason', () => {
  expect(describeConnection(base)).toBe('Online as Alice');
  expect(describeConnection({ ...base, status: 'connecting', signedInAs: null })).toBe('Connecting to wss://phone.example.com…');
  const reconnecting: ConnectionState = { ...base, status: 'reconnecting', signedInAs: null, attempt: 3, retryInMs: 1800, lastError: 'Lost the connection to the signaling server at wss://phone.example.com.' };
  expect(describeConnection(reconnecting)).toBe('Offline: Lost the connection to the signaling server at wss://phone.example.com. Reconnecting in 2 s (attempt 3)…');
  expect(adviceFor(reconnecting)).toBeNull();
});

test('sign-in failures read as one sentence and point to the account settings', () => {
  const cases: Array<[string, string, string]> = [
    ['Wrong name or password for Alice.', 'Cannot connect: Wrong name or password for Alice.', 'Check the name and password in Settings → Account.'],
    ['The name "Alice" belongs to another account', 'Cannot connect: The name "Alice" belongs to another account.', 'Choose another name in Settings → Account.'],
    [
      'The certificate of wss://phone.example.com is not trusted',
      'Cannot connect: The certificate of wss://phone.example.com is not trusted.',
      'Check the server address in Settings → Account, or ask the server’s owner about its certificate.',
    ],
    [
      'Another program is using port 8765 on this computer',
      'Cannot connect: Another program is using port 8765 on this computer.',
      'Choose another server address in Settings → Account.',
    ],
  ];
  for (const [error, sentence, advice] of cases) {
    expect(describeConnection(failed(error))).toBe(sentence);
    expect(adviceFor(failed(error))).toBe(advice);
  }
});

test('a failure of unknown kind still says where to look', () => {
  expect(describeConnection({ ...base, status: 'failed', lastError: null })).toBe('Cannot connect: the server refused the connection.');
  expect(adviceFor(failed('Invalid signaling server address "x"'))).toBe('Check the server address in Settings → Account.');
});

test('while retrying, advice appears only for what retrying cannot fix', () => {
  const retrying = (lastError: string): ConnectionState => ({ ...base, status: 'reconnecting', signedInAs: null, attempt: 2, retryInMs: 1000, lastError });
  expect(adviceFor(retrying('ws://127.0.0.1:8765 answered, but is not a signaling server (HTTP 404)'))).toBe('Choose another server address in Settings → Account.');
  expect(adviceFor(retrying('Signaling server at ws://127.0.0.1:8765 is not reachable (connection refused)'))).toBeNull();
});
