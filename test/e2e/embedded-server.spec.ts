/**
 * Out of the box, with no server configured: the first softphone hosts the
 * signaling server on 127.0.0.1, the second joins it, and when the host quits
 * the other takes over hosting and presence comes back. Only this user's own
 * programs can sign in to it: a web page cannot connect at all.
 */
import { freePort } from '../support/free-port.ts';
import { expect, signIn, test } from '../support/browser-fixtures.ts';
import { tutorialPageOrigin } from '../support/tutorial-client.ts';

test('the first instance hosts the server, the second joins, and the survivor takes over', async ({ openSoftphone }) => {
  const embeddedPort = await freePort();
  const alice = await openSoftphone({ serverUrl: null, embeddedPort });
  await signIn(alice.page, 'Alice');
  await expect(alice.page.getByText('(hosting the server)')).toBeVisible();

  const bob = await openSoftphone({ serverUrl: null, embeddedPort });
  await signIn(bob.page, 'Bob');
  await expect(bob.page.getByText('(hosting the server)')).toHaveCount(0);
  await bob.page.getByRole('button', { name: 'Add Alice to contacts' }).click();
  await expect(bob.page.locator('[data-contact="Alice"]')).toContainText('online');

  await alice.close();
  await expect(bob.page.locator('[data-contact="Alice"]')).toContainText('offline');
  await expect(bob.page.getByText('(hosting the server)')).toBeVisible();
  await expect(bob.page.getByRole('status').filter({ hasText: 'Online as Bob' })).toBeVisible();

  const aliceAgain = await openSoftphone({ serverUrl: null, embeddedPort, userDataDir: alice.userDataDir });
  await expect(aliceAgain.page.getByRole('status').filter({ hasText: 'Online as Alice' })).toBeVisible();
  await expect(bob.page.locator('[data-contact="Alice"]')).toContainText('online');
});

test('a web page cannot reach the embedded server, not even to see who is online; the app can', async ({ openSoftphone }) => {
  const embeddedPort = await freePort();
  const alice = await openSoftphone({ serverUrl: null, embeddedPort });
  await signIn(alice.page, 'Alice');

  // Any page the user opens in a browser: served from another origin on this machine.
  const page = await alice.context.newPage();
  await page.goto(`${await tutorialPageOrigin()}/`);
  const outcome = await page.evaluate(
    (url) =>
      new Promise<{ opened: boolean; messages: string[]; closeCode: number }>((resolve) => {
        const messages: string[] = [];
        let opened = false;
        const socket = new WebSocket(url, 'json');
        socket.onopen = () => {
          opened = true;
          socket.send(JSON.stringify({ type: 'username', name: 'Bob', date: Date.now() }));
        };
        socket.onmessage = (event) => messages.push(String(event.data));
        socket.onclose = (event) => resolve({ opened, messages, closeCode: event.code });
      }),
    `ws://127.0.0.1:${embeddedPort}`,
  );
  // Refused at the handshake: the page learns nothing (1006 is all a browser says about a refused upgrade).
  expect(outcome).toEqual({ opened: false, messages: [], closeCode: 1006 });
  await expect(alice.page.getByRole('status').filter({ hasText: 'Online as Alice' })).toBeVisible();
  await expect(alice.page.locator('[data-contact="Bob"]')).toHaveCount(0);
});
