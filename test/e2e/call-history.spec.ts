/**
 * Call history as a user sees it: an answered, a declined and a missed call
 * on both sides, the missed-call badge until the history is seen, call back,
 * delete one, clear all, and the history still there after a restart.
 */
import type { Page } from '@playwright/test';
import { connectAudioCall, expect, test } from '../support/browser-fixtures.ts';

async function openHistory(page: Page) {
  await page.getByRole('tab', { name: /^History/ }).click();
  return page.getByRole('list', { name: 'Calls' });
}

test('answered, declined and missed calls are listed on both sides; the missed badge stays until the history is seen', async ({ openSoftphone }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const bob = await openSoftphone({ signInAs: 'Bob' });

  // Answered, then hung up.
  await connectAudioCall(alice, bob);
  await bob.page.getByRole('button', { name: 'Hang up' }).click();
  await alice.page.getByRole('button', { name: 'Close' }).click();
  await bob.page.getByRole('button', { name: 'Close' }).click();
  // Declined.
  await alice.page.getByRole('button', { name: 'Call Bob', exact: true }).click();
  await bob.page.getByRole('button', { name: 'Decline' }).click();
  await alice.page.getByRole('button', { name: 'Close' }).click();
  await bob.page.getByRole('button', { name: 'Close' }).click();
  // Missed: Alice gives up before Bob answers.
  await alice.page.getByRole('button', { name: 'Video call Bob', exact: true }).click();
  await expect(bob.page.getByRole('alertdialog', { name: 'Incoming call from Alice' })).toBeVisible();
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(bob.page.getByRole('alertdialog')).toHaveCount(0);

  await expect(bob.page.getByRole('tab', { name: 'History 1 missed' })).toBeVisible();
  const bobCalls = await openHistory(bob.page);
  await expect(bob.page.getByRole('tab', { name: 'History', exact: true })).toBeVisible();
  await expect(bobCalls.getByRole('listitem')).toHaveText([/Alice.*Missed · Incoming · video/s, /Alice.*Declined · Incoming · audio/s, /Alice.*Answered · Incoming · audio.*0:0\d/s]);

  const aliceCalls = await openHistory(alice.page);
  await expect(aliceCalls.getByRole('listitem')).toHaveText([/Bob.*Cancelled · Outgoing · video/s, /Bob.*Declined · Outgoing · audio/s, /Bob.*Answered · Outgoing · audio/s]);
});

test('call back from the history, delete one call, clear all, and the history survives a restart', async ({ openSoftphone }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const bob = await openSoftphone({ signInAs: 'Bob' });
  await alice.page.getByRole('button', { name: 'Call Bob', exact: true }).click();
  await expect(bob.page.getByRole('alertdialog', { name: 'Incoming call from Alice' })).toBeVisible();
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await alice.page.getByRole('button', { name: 'Close' }).click();

  // Bob calls Alice back from his missed call.
  const bobCalls = await openHistory(bob.page);
  await bobCalls.getByRole('button', { name: 'Call back Alice' }).click();
  await expect(alice.page.getByRole('alertdialog', { name: 'Incoming call from Bob' })).toBeVisible();
  await alice.page.getByRole('button', { name: 'Accept' }).click();
  await expect(bob.page.getByRole('status').filter({ hasText: 'In call with Alice' })).toBeVisible();
  await bob.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(bobCalls.getByRole('listitem')).toHaveCount(2);

  // Restart Bob with the same profile: both calls are still there.
  const profile = bob.userDataDir;
  await bob.close();
  const bobAgain = await openSoftphone({ userDataDir: profile });
  const calls = await openHistory(bobAgain.page);
  await expect(calls.getByRole('listitem')).toHaveText([/Alice.*Answered · Outgoing/s, /Alice.*Missed · Incoming/s]);

  await calls.getByRole('button', { name: /^Delete the call with Alice/ }).first().click();
  await expect(calls.getByRole('listitem')).toHaveText([/Alice.*Missed · Incoming/s]);
  await bobAgain.page.getByRole('button', { name: 'Clear history' }).click();
  await bobAgain.page.getByRole('button', { name: 'Yes, clear' }).click();
  await expect(bobAgain.page.getByText('No calls yet.')).toBeVisible();
});
