import { expect, test } from '@playwright/test';
import { DEFAULT_EMBEDDED_PORT, parseLaunchOptions } from '../../../main/electron/launch-options.ts';

test('no options: default profile, embedded server on the default port', () => {
  expect(parseLaunchOptions([])).toEqual({ profile: null, serverUrl: null, embeddedPort: DEFAULT_EMBEDDED_PORT });
  expect(DEFAULT_EMBEDDED_PORT).toBe(8765);
});

test('all options, in both spellings, among Chromium switches and the app path', () => {
  expect(
    parseLaunchOptions(['.', '--no-sandbox', '--profile', 'bob', '--server=wss://calls.example.org/ws', '--port', '9000', '--inspect=0']),
  ).toEqual({ profile: 'bob', serverUrl: 'wss://calls.example.org/ws', embeddedPort: 9000 });
});

for (const [argv, message] of [
  [['--profile', '../escape'], /Invalid --profile "..\/escape"/],
  [['--profile', 'a/b'], /Invalid --profile/],
  [['--profile', ''], /Invalid --profile/],
  [['--profile', 'x'.repeat(65)], /Invalid --profile/],
  [['--server', 'http://127.0.0.1:8765'], /Invalid --server .*ws:\/\/ or wss:\/\//],
  [['--server', 'nonsense'], /Invalid --server/],
  [['--port', '0'], /Invalid --port "0"/],
  [['--port', '65536'], /Invalid --port/],
  [['--port', '12.5'], /Invalid --port/],
  [['--port', 'eighty'], /Invalid --port/],
  [['--port'], /--port needs a value/],
] as const) {
  test(`refuses ${argv.join(' ')}`, () => {
    expect(() => parseLaunchOptions([...argv])).toThrow(message);
  });
}
