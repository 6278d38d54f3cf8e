/**
 * Call history as a user sees it: an answered, a declined and a missed call
 * on both sides, the missed-call badge until the history is seen, call back,
 * delete one, clear all, and the history still there after a restart; a long
 * history draws only the rows in view and the keyboard reaches all of it.
 */
import type { Page } from '@playwright/test';
import { rm } from 'node:fs/promises';
import { connectAudioCall, expect, test } from '../support/browser-fixtures.ts';
import { pastCall, profileWithHistory } from '../support/history-fixtures.ts';
import type { Softphone } from '../support/softphone-harness.ts';

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
  // The keyboard is on the call that took the deleted one's place, asked to clear on Keep them, then on what is left.
  await expect(calls.getByRole('listitem')).toBeFocused();
  await bobAgain.page.getByRole('button', { name: 'Clear history' }).click();
  await expect(bobAgain.page.getByRole('button', { name: 'Keep them' })).toBeFocused();
  await bobAgain.page.getByRole('button', { name: 'Keep them' }).click();
  await expect(bobAgain.page.getByRole('button', { name: 'Clear history' })).toBeFocused();
  await bobAgain.page.getByRole('button', { name: 'Clear history' }).click();
  await bobAgain.page.getByRole('button', { name: 'Yes, clear' }).click();
  await expect(bobAgain.page.getByText('No calls yet.')).toBeVisible();
  await expect(bobAgain.page.getByText('No calls yet.')).toBeFocused();
});

/** The caller of the history row that has the keyboard (the row itself or one of its buttons), or null. */
function focusedCaller(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active?.closest('[role="listitem"]')?.querySelector('.who')?.textContent?.trim() ?? null;
  });
}

test('three thousand calls: only the rows in view are drawn, and the keyboard alone reaches the oldest call and deletes it', async ({ openSoftphone }) => {
  const CALLS = 3000;
  const start = Date.parse('2026-01-01T08:00:00Z');
  // "Caller 0000" is the oldest, a minute before "Caller 0001".
  const profile = await profileWithHistory(Array.from({ length: CALLS }, (_, i) => pastCall(`call-${i}`, `Caller ${String(i).padStart(4, '0')}`, start + i * 60_000)));
  let alice: Softphone | undefined;
  try {
    alice = await openSoftphone({ userDataDir: profile, signInAs: 'Alice' });
    const { page } = alice;
    const calls = await openHistory(page);
    const rows = calls.getByRole('listitem');
    await expect(rows.first()).toContainText('Caller 2999');
    expect(await rows.count()).toBeLessThan(60);

    // From the tab: Tab to Clear history, Tab to the newest call's first button.
    await page.getByRole('tab', { name: /^History/ }).focus();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Clear history' })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(calls.getByRole('button', { name: 'Call back Caller 2999' })).toBeFocused();
    await page.keyboard.press('ArrowDown');
    expect(await focusedCaller(page)).toBe('Caller 2998');

    // End goes to the last call loaded; older ones load as it comes into view, until the oldest.
    await expect
      .poll(
        async () => {
          await page.keyboard.press('End');
          return focusedCaller(page);
        },
        { timeout: 30_000, intervals: [200] },
      )
      .toBe('Caller 0000');
    expect(await rows.count()).toBeLessThan(60);
    const oldest = calls.locator('[role="listitem"]', { hasText: 'Caller 0000' });
    await expect(oldest).toHaveAttribute('aria-posinset', String(CALLS));
    await expect(oldest).toHaveAttribute('aria-setsize', String(CALLS));

    // Its buttons are the next Tabs: Call back, Add, Delete.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect(oldest.getByRole('button', { name: /^Delete the call with Caller 0000/ })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(oldest).toHaveCount(0);
    // The keyboard goes to the call that is now the oldest, not to the page.
    await expect.poll(() => focusedCaller(page)).toBe('Caller 0001');
    expect((await alice.core.handlers.getSnapshot()).history.total).toBe(CALLS - 1);

    await page.keyboard.press('ArrowUp');
    await expect.poll(() => focusedCaller(page)).toBe('Caller 0002');
    await page.keyboard.press('Home');
    await expect.poll(() => focusedCaller(page)).toBe('Caller 2999');
    expect(await rows.count()).toBeLessThan(60);
  } finally {
    await alice?.close();
    await rm(profile, { recursive: true, force: true });
  }
});

test('Add from the history opens the editor with the caller; the name can be changed before saving, and the new contact gets the keyboard', async ({ openSoftphone }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const bob = await openSoftphone({ signInAs: 'Bob' });
  await alice.page.getByRole('button', { name: 'Call Bob', exact: true }).click();
  await expect(bob.page.getByRole('alertdialog', { name: 'Incoming call from Alice' })).toBeVisible();
  await alice.page.getByRole('button', { name: 'Hang up' }).click();

  const bobCalls = await openHistory(bob.page);
  await bobCalls.getByRole('button', { name: 'Add Alice to contacts' }).click();
  const editor = bob.page.getByRole('dialog', { name: 'New contact' });
  await expect(editor.getByLabel('Name', { exact: true })).toHaveValue('Alice');
  await editor.getByLabel('Name', { exact: true }).fill('Alice Liddell');
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(editor).toBeHidden();

  await expect(bob.page.getByRole('tab', { name: 'Contacts' })).toHaveAttribute('aria-selected', 'true');
  await expect(bob.page.locator('[data-contact="Alice Liddell"]')).toBeFocused();
  expect((await bob.core.handlers.getSnapshot()).contacts).toEqual([expect.objectContaining({ name: 'Alice Liddell', addresses: [{ kind: 'app', value: 'Alice' }] })]);
});
