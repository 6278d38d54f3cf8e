/** Search as you type in the contact list. */
import { expect, test } from '../support/browser-fixtures.ts';

test('typing filters contacts by name, accents aside, and by number; an unknown query says so', async ({ openSoftphone }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  for (const [name, value] of [
    ['Jürgen Müller', '+49 151 99988877'],
    ['Erika Mustermann', '+49 30 1234567'],
    ['Zoë Ångström', '+1 202 555 0123'],
  ] as const) {
    await alice.core.handlers.addContact({ name, addresses: [{ kind: 'tel', value }] });
  }
  const page = alice.page;
  const list = page.getByRole('list', { name: 'Contacts' });
  const search = page.getByRole('searchbox', { name: 'Search contacts' });

  await search.fill('mu');
  await expect(list.getByRole('listitem')).toHaveCount(2);
  await expect(list).toContainText('Jürgen Müller');
  await expect(list).toContainText('Erika Mustermann');
  await search.fill('angstrom');
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await expect(list).toContainText('Zoë Ångström');
  await search.fill('1234567');
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await expect(list).toContainText('Erika Mustermann');
  await search.fill('nobody here');
  await expect(page.getByRole('status').filter({ hasText: 'No contact matches "nobody here".' })).toBeVisible();
  await search.fill('');
  await expect(list.getByRole('listitem')).toHaveCount(3);
});
