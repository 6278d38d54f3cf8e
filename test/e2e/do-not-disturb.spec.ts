/** Do not disturb: refuse calls as busy (listed as missed), or let them ring silently. */
import { expect, openSettings, test } from '../support/browser-fixtures.ts';

test('busy: the caller hears busy, nothing rings, and the call is listed as missed', async ({ openSoftphone }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const bob = await openSoftphone({ signInAs: 'Bob' });
  // As a user does: Settings → Desktop → Do not disturb.
  const settings = await openSettings(alice.page);
  await settings.getByLabel('Do not disturb').selectOption({ label: 'Refuse calls as busy (they are listed as missed)' });
  await expect.poll(async () => (await alice.core.handlers.getSnapshot()).settings.desktop.doNotDisturb).toBe('busy');
  await settings.getByRole('button', { name: 'Close' }).click();

  await bob.page.getByRole('button', { name: 'Call Alice', exact: true }).click();
  await expect(bob.page.getByRole('status').filter({ hasText: 'Alice is busy' })).toBeVisible();
  await expect(alice.page.getByRole('alertdialog')).toHaveCount(0);
  await expect(alice.page.getByRole('tab', { name: 'History 1 missed' })).toBeVisible();
});

test('silent: the call shows and can be answered, but no ringtone plays', async ({ openSoftphone }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const bob = await openSoftphone({ signInAs: 'Bob' });
  await alice.core.handlers.updateSettings({ desktop: { doNotDisturb: 'silent' } });

  await bob.page.getByRole('button', { name: 'Call Alice', exact: true }).click();
  await expect(alice.page.getByRole('alertdialog', { name: 'Incoming call from Bob' })).toBeVisible();
  await expect(alice.page.locator('softphone-app')).not.toHaveAttribute('data-tone', 'ringtone');
  await alice.page.getByRole('button', { name: 'Accept' }).click();
  await expect(bob.page.getByRole('status').filter({ hasText: 'In call with Alice' })).toBeVisible();
});
