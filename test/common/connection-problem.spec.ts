/** Every connection problem has words in English and in German, and the details that vary stay in them. */
import { expect, test } from '@playwright/test';
import { ConnectionProblemCode, connectionProblemWords, type ConnectionProblem } from '../../common/connection-problem.ts';
import { english, translatorFor } from '../../common/i18n/index.ts';
import { socketProblem } from '../../common/signaling-client.ts';

const german = translatorFor('de');

test('every code has words of its own in both languages, with the address or host in them', () => {
  for (const server of ['signaling', 'sip'] as const) {
    for (const code of ConnectionProblemCode.options) {
      const problem: ConnectionProblem = { code, url: 'wss://pbx.example.org:8443', server, detail: 'DETAIL', name: 'Alice' };
      const en = connectionProblemWords(problem, english);
      const de = connectionProblemWords(problem, german);
      expect(en, code).not.toMatch(/\{\{|\}\}/);
      expect(de, code).not.toMatch(/\{\{|\}\}/);
      expect(de, `${code} has German`).not.toBe(en);
    }
  }
});

test('the SIP server and the signaling server are named as such', () => {
  const refused = socketProblem('ws://127.0.0.1:5066', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'sip');
  expect(refused).toEqual({ code: 'connection-refused', url: 'ws://127.0.0.1:5066', server: 'sip' });
  expect(connectionProblemWords(refused, english)).toBe('SIP server at ws://127.0.0.1:5066 is not reachable (connection refused)');
  expect(connectionProblemWords(refused, german)).toBe('Der SIP-Server unter ws://127.0.0.1:5066 ist nicht erreichbar (Verbindung abgelehnt)');
  const reset = { code: 'connection-reset', url: 'ws://x' } as const;
  expect(connectionProblemWords(reset, german)).toBe('Die Verbindung zu dem Signalisierungsserver unter ws://x wurde zurückgesetzt');
});

test('a certificate error code and an HTTP status are kept as details', () => {
  const untrusted = socketProblem('wss://a.example', Object.assign(new Error('self signed'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }));
  expect(untrusted).toEqual({ code: 'certificate-untrusted', url: 'wss://a.example', detail: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  const http = socketProblem('ws://a.example', new Error('Unexpected server response: 502'));
  expect(http).toEqual({ code: 'not-a-server', url: 'ws://a.example', detail: '502' });
  expect(connectionProblemWords(http, german)).toBe('ws://a.example hat geantwortet, ist aber kein Signalisierungsserver (HTTP 502)');
});
