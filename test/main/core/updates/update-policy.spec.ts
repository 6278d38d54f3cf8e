/**
 * What the app does and says for each updater event: quiet at start unless
 * there is something to install, answered when the user asked, and never an
 * install without "Restart now".
 */
import { expect, test } from '@playwright/test';
import { translatorFor } from '../../../../common/i18n/index.ts';
import { UpdatePolicy, type UpdateStep } from '../../../../main/core/updates/update-policy.ts';

const OFFLINE = { message: 'net::ERR_INTERNET_DISCONNECTED' };

const kinds = (steps: UpdateStep[]) => steps.map((step) => step.kind);

test('at start: check, download what is found in the background, and ask before installing', () => {
  const policy = new UpdatePolicy('1.0.0');
  expect(policy.menuItem()).toEqual({ label: 'Check for updates…', enabled: true });

  expect(policy.check('start')).toEqual([{ kind: 'check' }]);
  expect(policy.updaterEvent({ kind: 'checking' })).toEqual([]);
  expect(policy.menuItem()).toEqual({ label: 'Checking for updates…', enabled: false });

  // Nobody asked, so finding a version says nothing yet: it downloads.
  expect(policy.updaterEvent({ kind: 'available', version: '1.1.0' })).toEqual([{ kind: 'download' }]);
  expect(policy.menuItem()).toEqual({ label: 'Downloading version 1.1.0…', enabled: false });

  expect(policy.updaterEvent({ kind: 'downloaded', version: '1.1.0' })).toEqual([
    {
      kind: 'ask-restart',
      message: 'Version 1.1.0 is ready to install.',
      detail: 'Softphone restarts to install it, which ends a call in progress. If you choose Later, it asks again at the next start.',
      restart: 'Restart now',
      later: 'Later',
    },
  ]);
  expect(policy.menuItem()).toEqual({ label: 'Restart to update to version 1.1.0…', enabled: true });

  expect(policy.restartAnswer('restart')).toEqual([{ kind: 'install' }]);
  expect(policy.menuItem()).toEqual({ label: 'Installing version 1.1.0…', enabled: false });
});

test('Later installs nothing; the menu item asks again, and only the user gets asked again', () => {
  const policy = new UpdatePolicy('1.0.0');
  policy.check('start');
  policy.updaterEvent({ kind: 'available', version: '1.1.0' });
  policy.updaterEvent({ kind: 'downloaded', version: '1.1.0' });

  expect(policy.restartAnswer('later')).toEqual([]);
  expect(policy.menuItem().label).toBe('Restart to update to version 1.1.0…');
  expect(policy.check('start')).toEqual([]);
  expect(kinds(policy.check('user'))).toEqual(['ask-restart']);
  expect(policy.restartAnswer('restart')).toEqual([{ kind: 'install' }]);
  // A second answer (two dialogs open) does not install twice.
  expect(policy.restartAnswer('restart')).toEqual([]);
});

test('errors at start go unsaid; the item is usable again', () => {
  const policy = new UpdatePolicy('1.0.0');
  policy.check('start');
  expect(policy.updaterEvent({ kind: 'error', error: OFFLINE })).toEqual([]);
  expect(policy.menuItem()).toEqual({ label: 'Check for updates…', enabled: true });

  policy.check('start');
  policy.updaterEvent({ kind: 'available', version: '1.1.0' });
  expect(policy.updaterEvent({ kind: 'error', error: { message: 'sha512 checksum mismatch' } })).toEqual([]);
  expect(policy.menuItem()).toEqual({ label: 'Check for updates…', enabled: true });

  // "Up to date" at start is not worth a word either.
  policy.check('start');
  expect(policy.updaterEvent({ kind: 'none', version: '1.0.0' })).toEqual([]);
});

test('a check the user asked for is always answered: up to date, downloading, or why not', () => {
  const policy = new UpdatePolicy('1.0.0');
  policy.check('user');
  expect(policy.updaterEvent({ kind: 'none', version: '1.0.0' })).toEqual([
    { kind: 'tell', level: 'info', message: 'Softphone is up to date.', detail: 'You have version 1.0.0, the newest there is.', ok: 'OK' },
  ]);

  policy.check('user');
  expect(policy.updaterEvent({ kind: 'error', error: OFFLINE })).toEqual([
    {
      kind: 'tell',
      level: 'warning',
      message: 'Softphone could not check for updates.',
      detail: 'The update server could not be reached. Check the internet connection and try again.',
      ok: 'OK',
    },
  ]);

  policy.check('user');
  const available = policy.updaterEvent({ kind: 'available', version: '1.1.0' });
  expect(available).toEqual([
    { kind: 'download' },
    {
      kind: 'tell',
      level: 'info',
      message: 'Version 1.1.0 is available.',
      detail: 'It is being downloaded. Softphone asks you before it restarts to install it.',
      ok: 'OK',
    },
  ]);
  expect(policy.updaterEvent({ kind: 'error', error: { message: 'Error: sha512 checksum mismatch, expected abc\n    at verify (x.js:1:1)' } })).toEqual([
    { kind: 'tell', level: 'warning', message: 'Version 1.1.0 could not be downloaded.', detail: 'sha512 checksum mismatch, expected abc', ok: 'OK' },
  ]);
});

test('asking while the check at start runs: that check is answered', () => {
  const policy = new UpdatePolicy('1.0.0');
  policy.check('start');
  expect(policy.check('user')).toEqual([]);
  expect(kinds(policy.updaterEvent({ kind: 'none', version: '1.0.0' }))).toEqual(['tell']);
});

test('an install that fails is said, and Restart now is offered again', () => {
  const policy = new UpdatePolicy('1.0.0');
  policy.check('start');
  policy.updaterEvent({ kind: 'available', version: '1.1.0' });
  policy.updaterEvent({ kind: 'downloaded', version: '1.1.0' });
  policy.restartAnswer('restart');

  expect(policy.updaterEvent({ kind: 'error', error: { message: 'Could not get code signature for running application' } })).toEqual([
    { kind: 'tell', level: 'warning', message: 'Version 1.1.0 could not be installed.', detail: 'Could not get code signature for running application', ok: 'OK' },
  ]);
  expect(policy.menuItem()).toEqual({ label: 'Restart to update to version 1.1.0…', enabled: true });
});

test('everything it says follows the app language, asked each time', () => {
  let language: 'en' | 'de' = 'en';
  const policy = new UpdatePolicy('1.0.0', () => translatorFor(language));
  expect(policy.menuItem().label).toBe('Check for updates…');
  language = 'de';
  expect(policy.menuItem().label).toBe('Nach Updates suchen…');
  policy.check('user');
  expect(policy.updaterEvent({ kind: 'error', error: { message: 'x', code: 'ERR_UPDATER_NO_PUBLISHED_VERSIONS' } })).toEqual([
    {
      kind: 'tell',
      level: 'warning',
      message: 'Softphone konnte nicht nach Updates suchen.',
      detail: 'Es wurde noch keine Softphone-Version veröffentlicht, auf die aktualisiert werden kann.',
      ok: 'OK',
    },
  ]);
});
