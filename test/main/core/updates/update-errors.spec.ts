/** Updater errors in words: offline and "no release yet" by name, anything else by its first line. */
import { expect, test } from '@playwright/test';
import { errorReason, knownUpdateProblem } from '../../../../main/core/updates/update-errors.ts';

const OFFLINE = 'The update server could not be reached. Check the internet connection and try again.';
const NO_RELEASE = 'No release of Softphone has been published to update from yet.';

test('offline, whichever layer says it, even wrapped in a release-feed error', () => {
  for (const message of [
    'net::ERR_INTERNET_DISCONNECTED',
    'net::ERR_NAME_NOT_RESOLVED',
    'net::ERR_CONNECTION_REFUSED',
    'net::ERR_PROXY_CONNECTION_FAILED',
    'getaddrinfo ENOTFOUND github.com',
    'connect ETIMEDOUT 140.82.121.4:443',
  ]) {
    expect(knownUpdateProblem({ message }), message).toBe(OFFLINE);
  }
  expect(
    knownUpdateProblem({
      message: 'Unable to find latest version on GitHub (https://github.com/o/r/releases/latest), please ensure a production release exists: Error: net::ERR_INTERNET_DISCONNECTED',
      code: 'ERR_UPDATER_LATEST_VERSION_NOT_FOUND',
    }),
  ).toBe(OFFLINE);
  expect(knownUpdateProblem({ message: 'request failed', code: 'ECONNRESET' })).toBe(OFFLINE);
});

test('no release feed yet, no update for this system, no feed built in', () => {
  expect(knownUpdateProblem({ message: 'No published versions on GitHub', code: 'ERR_UPDATER_NO_PUBLISHED_VERSIONS' })).toBe(NO_RELEASE);
  expect(knownUpdateProblem({ message: 'Unable to find latest version on GitHub: HttpError: 404', code: 'ERR_UPDATER_LATEST_VERSION_NOT_FOUND' })).toBe(NO_RELEASE);
  expect(knownUpdateProblem({ message: 'Cannot find latest-linux-arm64.yml in the latest release artifacts', code: 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND' })).toBe(
    'The newest release of Softphone has no update for this system.',
  );
  expect(knownUpdateProblem({ message: "ENOENT: no such file or directory, open '/opt/Softphone/resources/app-update.yml'", code: 'ENOENT' })).toBe(
    'This copy of Softphone was built without a release feed, so it cannot update itself.',
  );
});

test('anything else: its first line, without error prefixes, not endless', () => {
  expect(knownUpdateProblem({ message: 'sha512 checksum mismatch' })).toBeNull();
  expect(errorReason({ message: 'Error: HttpError: 500 Internal Server Error\n    at x (y.js:1:1)' })).toBe('500 Internal Server Error');
  expect(errorReason({ message: '\nCannot check for updates' })).toBe('Cannot check for updates');
  const long = errorReason({ message: 'x'.repeat(500) });
  expect(long).toHaveLength(200);
  expect(long.endsWith('…')).toBe(true);
});
