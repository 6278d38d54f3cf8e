/**
 * Presence, contacts and the connection as a user sees them: who is online,
 * a taken name, a saved contact after a restart, a lost server coming back.
 */
import { writeFile, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { startSignalingServer } from '../../server/signaling-server.ts';
import { expect, test } from '../support/browser-fixtures.ts';

test('a call to a contact who went offline says so', async ({ openSoftphone }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const bob = await openSoftphone({ signInAs: 'Bob' });

  const bobRow = alice.page.locator('[data-contact="Bob"]');
  await expect(bobRow).toContainText('online');
  await alice.page.getByRole('button', { name: 'Add Bob to contacts' }).click();
  await expect(alice.page.getByRole('list', { name: 'Contacts' }).getByText('Bob')).toBeVisible();

  await bob.close();
  await expect(bobRow).toContainText('offline');
  await alice.page.getByRole('button', { name: 'Call Bob', exact: true }).click();
  await expect(alice.page.getByRole('status').filter({ hasText: 'Bob is offline' })).toBeVisible();
  await alice.page.getByRole('button', { name: 'Close' }).click();
  await expect(alice.page.getByText('No call. Choose a contact to call.')).toBeVisible();
});

test('a taken name gets the server’s replacement and a visible notice', async ({ openSoftphone }) => {
  await openSoftphone({ signInAs: 'Alice' });
  const second = await openSoftphone();
  await second.page.getByLabel('Display name').fill('Alice');
  await second.page.getByRole('button', { name: 'Sign in' }).click();
  await expect(second.page.getByRole('status').filter({ hasText: 'Online as Alice1' })).toBeVisible();
  await expect(second.page.getByRole('log', { name: 'Notices' })).toContainText('"Alice" is already in use');
});

test('name and contacts survive a restart; a corrupt contacts file is kept aside and the user told', async ({ openSoftphone }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  await openSoftphone({ signInAs: 'Bob' });
  await alice.page.getByRole('button', { name: 'Add Bob to contacts' }).click();
  await expect(alice.page.getByRole('button', { name: 'Remove Bob from contacts' })).toBeVisible();
  await alice.close();

  const again = await openSoftphone({ userDataDir: alice.userDataDir });
  await expect(again.page.getByRole('status').filter({ hasText: 'Online as Alice' })).toBeVisible();
  await expect(again.page.getByRole('list', { name: 'Contacts' }).getByText('Bob')).toBeVisible();
  await again.close();

  const contactsFile = path.join(alice.userDataDir, 'contacts.json');
  await writeFile(contactsFile, '{"version":1,"contacts":[{"name":');
  const recovered = await openSoftphone({ userDataDir: alice.userDataDir });
  await expect(recovered.page.getByRole('log', { name: 'Notices' })).toContainText('contacts file could not be read');
  const aside = (await readdir(alice.userDataDir)).filter((f) => f.startsWith('contacts.corrupt-'));
  expect(aside).toHaveLength(1);
  expect(await readFile(path.join(alice.userDataDir, aside[0]!), 'utf8')).toBe('{"version":1,"contacts":[{"name":');
  await recovered.page.getByRole('button', { name: /^Dismiss/ }).click();
  await expect(recovered.page.getByRole('log', { name: 'Notices' })).not.toContainText('contacts file');
});

test('when the server goes away the app says so, reconnects, and presence comes back', async ({ openSoftphone, signalingServer }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  await openSoftphone({ signInAs: 'Bob' });
  await alice.page.getByRole('button', { name: 'Add Bob to contacts' }).click();
  const bobRow = alice.page.locator('[data-contact="Bob"]');
  await expect(bobRow).toContainText('online');

  const port = signalingServer.port;
  await signalingServer.close();
  await expect(alice.page.getByRole('status').filter({ hasText: /^Offline: .*Reconnecting/ })).toBeVisible();
  await expect(bobRow).toContainText('offline');
  await expect(alice.page.getByRole('button', { name: 'Call Bob', exact: true })).toBeDisabled();

  const restarted = await startSignalingServer({ host: '127.0.0.1', port });
  try {
    await expect(alice.page.getByRole('status').filter({ hasText: 'Online as Alice' })).toBeVisible();
    await expect(bobRow).toContainText('online');
    await expect(alice.page.getByRole('button', { name: 'Call Bob', exact: true })).toBeEnabled();
  } finally {
    await restarted.close();
  }
});
