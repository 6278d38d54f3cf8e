/**
 * Add to contacts from a call: on the ringing panel (without taking the
 * keyboard from Accept), in the call, and after it. The editor starts with
 * the caller's name and address; saved while the call lasts, the keyboard
 * goes back to the call, afterwards to the new contact.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../support/browser-fixtures.ts';

test('ringing from someone not in the contacts: Accept keeps the keyboard, Add to contacts opens the editor with the caller, and saving goes back to Accept', async ({ openSoftphone }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const bob = await openSoftphone({ signInAs: 'Bob' });
  await alice.page.getByRole('button', { name: 'Call Bob', exact: true }).click();

  const ringing = bob.page.getByRole('alertdialog', { name: 'Incoming call from Alice' });
  const accept = ringing.getByRole('button', { name: 'Accept' });
  await expect(ringing).toBeVisible();
  await expect(accept).toBeFocused();
  const add = ringing.getByRole('button', { name: 'Add to contacts', exact: true });
  await expect(add).toBeVisible();
  await expect(accept).toBeFocused();

  await add.click();
  const editor = bob.page.getByRole('dialog', { name: 'New contact' });
  await expect(editor).toBeVisible();
  await expect(editor.getByLabel('Name', { exact: true })).toHaveValue('Alice');
  await expect(editor.getByLabel('Address 1 type')).toHaveValue('app');
  await expect(editor.getByLabel('Address 1', { exact: true })).toHaveValue('Alice');
  await editor.getByLabel('Name', { exact: true }).fill('Alice Liddell');
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(editor).toBeHidden();

  // Still ringing: one Enter from answering, and Alice is a contact now.
  await expect(accept).toBeFocused();
  await expect(add).toHaveCount(0);
  expect((await bob.core.handlers.getSnapshot()).contacts).toEqual([
    expect.objectContaining({ name: 'Alice Liddell', addresses: [{ kind: 'app', value: 'Alice' }] }),
  ]);
  await bob.page.keyboard.press('Enter');
  await expect(bob.page.getByRole('region', { name: 'Call with Alice' })).toBeFocused();
  await expect(bob.page.getByRole('region', { name: 'Call with Alice' }).getByRole('button', { name: 'Add to contacts' })).toHaveCount(0);
});

/** Add to contacts in `call`, look at the editor it opens with `check`, then Save or Cancel; resolves once the editor is gone. */
async function addToContacts(page: Page, call: Locator, finish: 'Save' | 'Cancel', check: (editor: Locator) => Promise<void> = async () => {}): Promise<void> {
  await call.getByRole('button', { name: 'Add to contacts' }).click();
  const editor = page.getByRole('dialog', { name: 'New contact' });
  await check(editor);
  await editor.getByRole('button', { name: finish }).click();
  await expect(editor).toBeHidden();
}

test('in a call, Add to contacts and Save bring the keyboard back to the call; after the call, to the new contact; Cancel changes nothing', async ({ openSoftphone }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const bob = await openSoftphone({ signInAs: 'Bob' });
  const dial = alice.page.getByLabel('Dial');
  await dial.fill('Bob');
  await dial.press('Enter');
  await bob.page.getByRole('button', { name: 'Accept' }).click();
  const aliceCall = alice.page.getByRole('region', { name: 'Call with Bob' });
  await expect(alice.page.getByRole('status').filter({ hasText: 'In call with Bob' })).toBeVisible();

  // Cancel: nothing saved, and the keyboard is back on the call.
  await addToContacts(alice.page, aliceCall, 'Cancel', (editor) => expect(editor.getByLabel('Name', { exact: true })).toHaveValue('Bob'));
  await expect(aliceCall).toBeFocused();
  expect((await alice.core.handlers.getSnapshot()).contacts).toEqual([]);

  await addToContacts(alice.page, aliceCall, 'Save');
  await expect(aliceCall).toBeFocused();
  await expect(aliceCall.getByRole('button', { name: 'Add to contacts' })).toHaveCount(0);
  await expect(alice.page.locator('[data-contact="Bob"]').first()).toContainText('online');

  // Bob adds Alice once the call is over: the keyboard goes to her row in his contacts.
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(bob.page.getByRole('status').filter({ hasText: 'Alice hung up' })).toBeVisible();
  await addToContacts(bob.page, bob.page.getByRole('region', { name: 'Call with Alice' }), 'Save', (editor) => expect(editor.getByLabel('Address 1', { exact: true })).toHaveValue('Alice'));
  await expect(bob.page.getByRole('list', { name: 'Contacts' }).locator('[data-contact="Alice"]')).toBeFocused();
});
