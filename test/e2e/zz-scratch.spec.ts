import { connectAudioCall, expect, test } from '../support/browser-fixtures.ts';
test('scratch screenshots', async ({ openSoftphone }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const bob = await openSoftphone({ signInAs: 'Bob' });
  await connectAudioCall(alice, bob);
  await bob.page.getByRole('button', { name: 'Hang up' }).click();
  await alice.page.getByRole('button', { name: 'Close' }).click();
  await alice.page.getByRole('button', { name: 'Video call Bob', exact: true }).click();
  await expect(bob.page.getByRole('alertdialog')).toBeVisible();
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await bob.page.getByRole('tab', { name: /History/ }).click();
  await bob.page.screenshot({ path: '/tmp/shot-history.png' });
  await bob.page.setViewportSize({ width: 420, height: 760 });
  await bob.page.screenshot({ path: '/tmp/shot-history-narrow.png', fullPage: true });
});
