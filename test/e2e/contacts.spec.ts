/**
 * Contacts as a user keeps them: a new contact with an app name, a SIP
 * address and a phone number; field errors in words next to the field;
 * rename; call its app address; remove it and undo.
 */
import { expect, test } from '../support/browser-fixtures.ts';

test('add a contact with an app name, a SIP address and a number, rename it, call it, remove it and undo', async ({ openSoftphone }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const bob = await openSoftphone({ signInAs: 'Bob' });
  const { page } = alice;
  await expect(page.locator('[data-contact="Bob"]')).toContainText('online');

  await page.getByRole('button', { name: 'New contact' }).click();
  const editor = page.getByRole('dialog', { name: 'New contact' });
  await editor.getByLabel('Name', { exact: true }).fill('Robert');
  await editor.getByLabel('Address 1', { exact: true }).fill('Bob');
  await editor.getByRole('button', { name: 'Add address' }).click();
  await editor.getByLabel('Address 2 type').selectOption('SIP address');
  // Focus went to the new row's address field.
  await expect(editor.getByLabel('Address 2', { exact: true })).toBeFocused();
  await page.keyboard.type('bob@pbx.example.org');
  await editor.getByLabel('Address 2 label').fill('Desk');
  await editor.getByRole('button', { name: 'Add address' }).click();
  await editor.getByLabel('Address 3 type').selectOption('Phone number');
  await editor.getByLabel('Address 3', { exact: true }).fill('call me maybe');
  await editor.getByLabel('Notes').fill('Builds things');
  await editor.getByRole('button', { name: 'Save' }).click();

  // A problem is said in words next to its field, and focus goes there.
  const phone = editor.getByLabel('Address 3', { exact: true });
  await expect(phone).toBeFocused();
  await expect(phone).toHaveAttribute('aria-invalid', 'true');
  await expect(phone).toHaveAccessibleDescription('A phone number can have only digits, spaces and + ( ) - . / * #');
  await expect(editor.getByRole('alert')).toHaveText('Address 3: A phone number can have only digits, spaces and + ( ) - . / * #.');
  await phone.fill('+49 30 1234567');
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(editor).toBeHidden();

  // The new contact's row has focus; Bob is no longer among the others online.
  const contacts = page.getByRole('list', { name: 'Contacts' });
  const row = page.locator('[data-contact="Robert"]');
  await expect(row).toBeFocused();
  await expect(row).toContainText('online');
  await expect(page.getByRole('list', { name: 'Online now' })).toHaveCount(0);
  const saved = (await alice.core.handlers.getSnapshot()).contacts;
  expect(saved).toEqual([
    expect.objectContaining({
      name: 'Robert',
      notes: 'Builds things',
      addresses: [
        { kind: 'app', value: 'Bob' },
        { kind: 'sip', value: 'sip:bob@pbx.example.org', label: 'Desk' },
        { kind: 'tel', value: '+49301234567' },
      ],
    }),
  ]);
  const id = saved[0]!.id;

  // Rename.
  await page.getByRole('button', { name: 'Edit Robert' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Robert' });
  await expect(edit.getByLabel('Address 3', { exact: true })).toHaveValue('+49301234567');
  await edit.getByLabel('Name', { exact: true }).fill('Bob the Builder');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  await expect(contacts.getByText('Bob the Builder', { exact: true })).toBeVisible();
  await expect(page.locator('[data-contact="Robert"]')).toHaveCount(0);

  // Each address can be chosen; SIP and the number wait for a registered SIP account.
  await page.getByText('More…').click();
  await expect(page.getByRole('button', { name: 'Call Bob the Builder at sip:bob@pbx.example.org (Desk)', exact: true })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Video call Bob the Builder at sip:bob@pbx.example.org (Desk)', exact: true })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Call Bob the Builder at +49 30 1234567', exact: true })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Call Bob the Builder at Bob (app)', exact: true })).toBeEnabled();
  // Said once above the list, and given as the disabled buttons' description.
  await expect(page.getByText('SIP addresses and numbers can be called once a SIP account is registered (Settings → Accounts).')).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Call Bob the Builder at +49 30 1234567', exact: true })).toHaveAccessibleDescription(/once a SIP account is registered/);

  // Call its app address.
  await page.getByRole('button', { name: 'Call Bob the Builder', exact: true }).click();
  await expect(bob.page.getByRole('alertdialog', { name: 'Incoming call from Alice' })).toBeVisible();
  await page.getByRole('button', { name: 'Hang up' }).click();
  await expect(bob.page.getByRole('alertdialog', { name: 'Incoming call from Alice' })).toBeHidden();
  await page.getByRole('button', { name: 'Close' }).click();

  // Remove, then undo: the same contact comes back, same id, with focus on it.
  await page.getByRole('button', { name: 'Remove Bob the Builder from contacts' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Bob the Builder was removed from your contacts.' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Undo' })).toBeFocused();
  await expect(page.locator('[data-contact="Bob the Builder"]')).toHaveCount(0);
  await expect(page.getByRole('list', { name: 'Online now' }).locator('[data-contact="Bob"]')).toBeVisible();
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.locator('[data-contact="Bob the Builder"]')).toBeFocused();
  await expect(page.getByRole('button', { name: 'Undo' })).toHaveCount(0);
  expect((await alice.core.handlers.getSnapshot()).contacts.map((c) => [c.id, c.name])).toEqual([[id, 'Bob the Builder']]);
});

test('adding someone from the online list makes a contact with their app name, and focus goes to it', async ({ openSoftphone }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  await openSoftphone({ signInAs: 'Carol' });

  await alice.page.getByRole('button', { name: 'Add Carol to contacts' }).click();

  const row = alice.page.getByRole('list', { name: 'Contacts' }).locator('[data-contact="Carol"]');
  await expect(row).toBeFocused();
  await expect(row).toContainText('online');
  expect((await alice.core.handlers.getSnapshot()).contacts).toEqual([
    expect.objectContaining({ name: 'Carol', addresses: [{ kind: 'app', value: 'Carol' }] }),
  ]);
});
