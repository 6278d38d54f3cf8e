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

test('a thousand contacts: only the rows in view are drawn, scrolling draws others, and search reaches any of them', async ({ openSoftphone }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const csv = ['Name,Phone numbers', ...Array.from({ length: 1000 }, (_, i) => `Person ${String(i).padStart(4, '0')},+4930${1_000_000 + i}`)].join('\n');
  expect(await alice.core.handlers.importContacts({ format: 'csv', text: csv })).toMatchObject({ added: 1000, skippedCount: 0 });
  const page = alice.page;
  const rows = page.getByRole('list', { name: 'Contacts' }).getByRole('listitem');
  await expect(rows.first()).toContainText('Person 0000');
  const drawn = await rows.count();
  expect(drawn).toBeGreaterThan(0);
  expect(drawn).toBeLessThan(200);

  await page.getByRole('list', { name: 'Contacts' }).evaluate((list) => list.scrollIntoView({ block: 'end' }));
  await page.mouse.wheel(0, 20_000);
  await expect(page.locator('[data-contact="Person 0000"]')).toHaveCount(0);

  await page.getByRole('searchbox', { name: 'Search contacts' }).fill('person 0999');
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('Person 0999');
});

test('the dial box suggests recent calls and contacts as you type, for the chosen kind of account', async ({ openSoftphone }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const bob = await openSoftphone({ signInAs: 'Bob' });
  await alice.core.handlers.addContact({ name: 'Bobby Tables', addresses: [{ kind: 'app', value: 'Bobby' }, { kind: 'tel', value: '+49 30 1234567' }] });
  // A recent call with Bob.
  await alice.page.getByRole('button', { name: 'Call Bob', exact: true }).click();
  await expect(bob.page.getByRole('alertdialog')).toBeVisible();
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await alice.page.getByRole('button', { name: 'Close' }).click();

  await alice.page.getByLabel('Dial').fill('bo');
  const options = alice.page.locator('dial-box datalist option');
  await expect(options).toHaveCount(2);
  expect(await options.evaluateAll((list) => list.map((o) => [(o as HTMLOptionElement).value, o.textContent]))).toEqual([
    ['Bob', 'recent'],
    ['Bobby', 'Bobby Tables'],
  ]);
  // The number is a SIP account's to dial: not offered for the app's server.
  await alice.page.getByLabel('Dial').fill('1234');
  await expect(options).toHaveCount(0);
});
