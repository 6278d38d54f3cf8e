/** The connection line reads as one sentence, and says what to do when waiting will not help. */
import { expect, test } from '@playwright/test';
import type { ConnectionProblem } from '../../../common/connection-problem.ts';
import { setLanguage } from '../../../common/i18n/index.ts';
import type { ConnectionState } from '../../../common/ipc-contract.ts';
import { connectedState } from '../../support/connection-state.ts';
import { adviceFor, describeConnection } from '../../../renderer/state/connection-text.ts';

const base = connectedState();
const url = 'wss://phone.example.com';
const failed = (problem: ConnectionProblem): ConnectionState => ({ ...base, status: 'failed', signedInAs: null, problem, lastError: 'for logs only' });

test.afterEach(() => setLanguage('en'));

test('online, connecting, and reconnecting with main’s reason', () => {
  expect(describeConnection(base)).toBe('Online as Alice');
  expect(describeConnection({ ...base, status: 'connecting', signedInAs: null })).toBe('Connecting to wss://phone.example.com…');
  const reconnecting: ConnectionState = { ...base, status: 'reconnecting', signedInAs: null, attempt: 3, retryInMs: 1800, problem: { code: 'connection-lost', url }, lastError: null };
  expect(describeConnection(reconnecting)).toBe('Offline: Lost the connection to the signaling server at wss://phone.example.com. Reconnecting in 2 s (attempt 3)…');
  expect(adviceFor(reconnecting)).toBeNull();
});

test('sign-in failures read as one sentence and point to the account settings', () => {
  const cases: Array<[ConnectionProblem, string, string]> = [
    [{ code: 'wrong-password', url }, 'Cannot connect: Wrong name or password for phone.example.com.', 'Check the name and password in Settings → Account.'],
    [
      { code: 'name-owned', url, name: 'Alice' },
      'Cannot connect: The name "Alice" belongs to someone else on phone.example.com; choose another name.',
      'Choose another name in Settings → Account.',
    ],
    [
      { code: 'certificate-untrusted', url, detail: 'SELF_SIGNED_CERT_IN_CHAIN' },
      'Cannot connect: The server\'s certificate is not trusted (self-signed or unknown issuer): wss://phone.example.com.',
      'Check the server address in Settings → Account, or ask the server’s owner about its certificate.',
    ],
    [
      { code: 'impostor', url: 'ws://127.0.0.1:8765' },
      "Cannot connect: Another program is using ws://127.0.0.1:8765; it is not this app's own server.",
      'Choose another server address in Settings → Account.',
    ],
  ];
  for (const [problem, sentence, advice] of cases) {
    expect(describeConnection(failed(problem))).toBe(sentence);
    expect(adviceFor(failed(problem))).toBe(advice);
  }
});

test('a failure of unknown kind still says where to look', () => {
  expect(describeConnection({ ...base, status: 'failed', lastError: null, problem: null })).toBe('Cannot connect: the server refused the connection.');
  expect(adviceFor(failed({ code: 'invalid-address', url: 'x' }))).toBe('Check the server address in Settings → Account.');
});

test('while retrying, advice appears only for what retrying cannot fix', () => {
  const retrying = (problem: ConnectionProblem): ConnectionState => ({ ...base, status: 'reconnecting', signedInAs: null, attempt: 2, retryInMs: 1000, problem, lastError: null });
  expect(adviceFor(retrying({ code: 'not-a-server', url: 'ws://127.0.0.1:8765', detail: '404' }))).toBe('Choose another server address in Settings → Account.');
  expect(adviceFor(retrying({ code: 'connection-refused', url: 'ws://127.0.0.1:8765' }))).toBeNull();
});

test('in German, the words come from the code, with the details kept', () => {
  setLanguage('de');
  expect(describeConnection(failed({ code: 'connection-refused', url: 'ws://127.0.0.1:1' }))).toBe(
    'Keine Verbindung möglich: Der Signalisierungsserver unter ws://127.0.0.1:1 ist nicht erreichbar (Verbindung abgelehnt).',
  );
  expect(adviceFor(failed({ code: 'connection-refused', url: 'ws://127.0.0.1:1' }))).toBe('Prüfen Sie die Serveradresse unter Einstellungen → Konto.');
  expect(describeConnection(failed({ code: 'name-owned', url, name: 'Bob' }))).toBe(
    'Keine Verbindung möglich: Der Name „Bob“ gehört auf phone.example.com jemand anderem; wählen Sie einen anderen Namen.',
  );
  expect(adviceFor(failed({ code: 'wrong-password', url }))).toBe('Prüfen Sie Namen und Passwort unter Einstellungen → Konto.');
  const reconnecting: ConnectionState = { ...base, status: 'reconnecting', signedInAs: null, attempt: 1, retryInMs: null, problem: { code: 'not-a-server', url, detail: '404' }, lastError: null };
  expect(describeConnection(reconnecting)).toBe(
    'Offline: wss://phone.example.com hat geantwortet, ist aber kein Signalisierungsserver (HTTP 404). Verbinde erneut (Versuch 1)…',
  );
});
