/**
 * Out of the box, with no server configured: the first softphone hosts the
 * signaling server on 127.0.0.1, the second joins it, and when the host quits
 * the other takes over hosting and presence comes back.
 */
import { freePort } from '../support/free-port.ts';
import { expect, signIn, test } from '../support/browser-fixtures.ts';

test('the first instance hosts the server, the second joins, and the survivor takes over', async ({ openSoftphone }) => {
  const embeddedPort = await freePort();
  const alice = await openSoftphone({ serverUrl: null, embeddedPort });
  await signIn(alice.page, 'Alice');
  await expect(alice.page.getByText('(hosting the server)')).toBeVisible();

  const bob = await openSoftphone({ serverUrl: null, embeddedPort });
  await signIn(bob.page, 'Bob');
  await expect(bob.page.getByText('(hosting the server)')).toHaveCount(0);
  await bob.page.getByRole('button', { name: 'Add Alice to contacts' }).click();
  await expect(bob.page.locator('li[data-contact="Alice"]')).toContainText('online');

  await alice.close();
  await expect(bob.page.locator('li[data-contact="Alice"]')).toContainText('offline');
  await expect(bob.page.getByText('(hosting the server)')).toBeVisible();
  await expect(bob.page.getByRole('status').filter({ hasText: 'Online as Bob' })).toBeVisible();

  const aliceAgain = await openSoftphone({ serverUrl: null, embeddedPort, userDataDir: alice.userDataDir });
  await expect(aliceAgain.page.getByRole('status').filter({ hasText: 'Online as Alice' })).toBeVisible();
  await expect(bob.page.locator('li[data-contact="Alice"]')).toContainText('online');
});
