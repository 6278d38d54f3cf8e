/** A tel:, callto: or sip: link opened by the OS: the dial box fills in and asks before calling. */
import { expect, test } from '../support/browser-fixtures.ts';

test('a callto: link puts the name in the dial box and asks; confirming calls, and a reload does not ask again', async ({ openSoftphone }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const bob = await openSoftphone({ signInAs: 'Bob' });
  alice.core.openLink('callto:Bob');

  const question = alice.page.getByRole('group', { name: 'A link asks to call Bob.' });
  await expect(question).toBeVisible();
  await expect(alice.page.getByLabel('Dial')).toHaveValue('Bob');
  await expect(question.getByRole('button', { name: 'Call Bob' })).toBeFocused();
  await expect(bob.page.getByRole('alertdialog')).toHaveCount(0);

  await alice.page.keyboard.press('Enter');
  await expect(bob.page.getByRole('alertdialog', { name: 'Incoming call from Alice' })).toBeVisible();
  await expect(question).toHaveCount(0);
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await alice.page.reload();
  await expect(alice.page.getByRole('button', { name: 'Settings' })).toBeVisible();
  await expect(alice.page.getByRole('group', { name: /A link asks/ })).toHaveCount(0);
});

test("\"Don't call\" leaves the number in the dial box and calls nobody; a link that is not a number is said in words", async ({ openSoftphone }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  alice.core.openLink('tel:+49 30 1234567');
  const question = alice.page.getByRole('group', { name: 'A link asks to call +49301234567.' });
  await question.getByRole('button', { name: "Don't call" }).click();
  await expect(question).toHaveCount(0);
  await expect(alice.page.getByLabel('Dial')).toHaveValue('+49301234567');
  await expect(alice.page.getByRole('region', { name: /Call with/ })).toHaveCount(0);

  alice.core.openLink('tel:call-me-maybe');
  await expect(alice.page.getByText('The link could not be opened: "call-me-maybe" is not a phone number')).toBeVisible();
});
