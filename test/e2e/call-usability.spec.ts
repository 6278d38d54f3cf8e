/**
 * The call as a person uses it: the keyboard follows the call and never
 * falls to the page, typed digits reach the IVR, a ringing call shows above
 * Settings, the other side's camera-off shows their initials, muted is said,
 * the dial box refuses what it cannot call in words, and a narrow window
 * still shows every control.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, openSettings } from '../support/browser-fixtures.ts';
import { test } from '../support/demo-ivr-probe.ts';

/** Press Tab (only the keyboard) until `target` has the focus. */
async function tabTo(page: Page, target: Locator, limit = 25): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((el) => el.getRootNode() instanceof Document ? document.activeElement === el : (el.getRootNode() as ShadowRoot).activeElement === el)) {
      return expect(target).toBeFocused();
    }
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${target.toString()}`);
}

async function inViewport(page: Page, target: Locator): Promise<boolean> {
  const box = await target.boundingBox();
  const size = page.viewportSize()!;
  return box !== null && box.x >= 0 && box.y >= 0 && box.x + box.width <= size.width && box.y + box.height <= size.height;
}

test('a whole call from the keyboard alone: sign in, dial, call, the other side accepts, keys, hang up, with the focus after each step', async ({ openSoftphone }) => {
  const bob = await openSoftphone({ signInAs: 'Bob' });
  const alice = await openSoftphone();
  const { page } = alice;

  await tabTo(page, page.getByLabel('Display name'));
  await page.keyboard.type('Alice');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Online as Alice' })).toBeVisible();

  const dial = page.getByLabel('Dial');
  await tabTo(page, dial);
  await page.keyboard.type('Bob');
  await page.keyboard.press('Enter');
  const call = page.getByRole('region', { name: 'Call with Bob' });
  await expect(call).toBeFocused();
  await expect(page.getByRole('status').filter({ hasText: 'Ringing Bob' })).toBeVisible();

  // Bob's ringing call has the keyboard on Accept: Enter answers.
  await expect(bob.page.getByRole('button', { name: 'Accept' })).toBeFocused();
  await bob.page.keyboard.press('Enter');
  await expect(bob.page.getByRole('region', { name: 'Call with Alice' })).toBeFocused();
  await expect(page.getByRole('status').filter({ hasText: 'In call with Bob' })).toBeVisible();
  await expect(call).toBeFocused();

  await page.keyboard.type('12#');
  await expect(page.getByRole('status', { name: 'Keys sent' })).toHaveText('12#');
  await expect(dial).toHaveValue('Bob');

  await tabTo(page, page.getByRole('button', { name: 'Hang up' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Call ended' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Close', exact: true })).toBeFocused();
  await expect(bob.page.getByRole('status').filter({ hasText: 'Alice hung up' })).toBeVisible();
  await expect(bob.page.getByRole('button', { name: 'Close', exact: true })).toBeFocused();

  await page.keyboard.press('Enter');
  await expect(dial).toBeFocused();
  await bob.page.keyboard.press('Enter');
  await expect(bob.page.getByText('No call. Choose a contact to call.')).toBeVisible();
  await expect(bob.page.getByLabel('Dial')).toBeFocused();
});

test('after dialing the IVR by typing, typed digits go to the IVR, not into the Dial field', async ({ openSoftphone, ivr }) => {
  const { page } = await openSoftphone({ signInAs: 'Alice' });
  const dial = page.getByLabel('Dial');
  await dial.fill('Demo IVR');
  await dial.press('Enter');
  await expect(page.getByRole('region', { name: 'Call with Demo IVR' })).toBeFocused();
  await expect(page.getByRole('status').filter({ hasText: 'In call with Demo IVR' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Keypad' })).toBeVisible();

  await page.keyboard.press('2');
  await expect.poll(() => ivr.received()).toBe('2');
  await expect(dial).toHaveValue('Demo IVR');

  // Hidden, the keypad still takes typed keys; the toggle says whether it is shown.
  const toggle = page.getByRole('button', { name: 'Keypad' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByRole('region', { name: 'Keypad' })).toBeHidden();
  await page.keyboard.press('1');
  await expect.poll(() => ivr.received()).toBe('21');
  await toggle.click();
  await expect(page.getByRole('status', { name: 'Keys sent' })).toHaveText('21');
});

test('an incoming call shows above open Settings and takes the keyboard; declined, the keyboard goes back to Settings, closed, to the Settings button', async ({ openSoftphone }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const bob = await openSoftphone({ signInAs: 'Bob' });
  const settings = await openSettings(bob.page);

  await alice.page.getByRole('button', { name: 'Call Bob', exact: true }).click();
  const incoming = bob.page.getByRole('alertdialog', { name: 'Incoming call from Alice' });
  await expect(incoming).toBeVisible();
  await expect(bob.page.getByRole('button', { name: 'Accept' })).toBeFocused();
  // Above the dialog: a click in its middle lands on the incoming call, not on Settings.
  const decline = bob.page.getByRole('button', { name: 'Decline' });
  const box = (await decline.boundingBox())!;
  const hit = await bob.page.evaluate(([x, y]) => {
    let element = document.elementFromPoint(x!, y!);
    while (element?.shadowRoot?.elementFromPoint(x!, y!) && element.shadowRoot.elementFromPoint(x!, y!) !== element) {
      element = element.shadowRoot.elementFromPoint(x!, y!);
    }
    return element?.textContent?.trim();
  }, [box.x + box.width / 2, box.y + box.height / 2]);
  expect(hit).toBe('Decline');
  await decline.click();

  await expect(alice.page.getByRole('status').filter({ hasText: 'Bob declined the call' })).toBeVisible();
  await expect(incoming).toHaveCount(0);
  await expect(settings).toBeVisible();
  await expect(settings.getByRole('button', { name: 'Close' })).toBeFocused();
  await settings.getByRole('button', { name: 'Close' }).click();
  await expect(bob.page.getByRole('button', { name: 'Settings' })).toBeFocused();
});

test('after a call from the contact list ends and is closed, the keyboard is back on that contact; a missed call offers Call back', async ({ openSoftphone }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const bob = await openSoftphone({ signInAs: 'Bob' });
  const callBob = alice.page.getByRole('button', { name: 'Call Bob', exact: true });
  await callBob.click();
  await expect(alice.page.getByRole('region', { name: 'Call with Bob' })).toBeFocused();
  await expect(bob.page.getByRole('alertdialog')).toBeVisible();
  await alice.page.getByRole('button', { name: 'Hang up' }).click();

  // Bob missed it: the keyboard waits on Call back.
  await expect(bob.page.getByRole('status').filter({ hasText: 'Missed call from Alice' })).toBeVisible();
  await expect(bob.page.getByRole('button', { name: 'Call Alice back' })).toBeFocused();
  await expect(alice.page.getByRole('button', { name: 'Close', exact: true })).toBeFocused();
  await alice.page.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(callBob).toBeFocused();

  await bob.page.getByRole('button', { name: 'Call Alice back' }).click();
  await expect(alice.page.getByRole('alertdialog', { name: 'Incoming call from Bob' })).toBeVisible();
});

test('the other side turning the camera off shows their initials, not a frozen picture; muted is said while muted', async ({ openSoftphone }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const bob = await openSoftphone({ signInAs: 'Bob' });
  await alice.page.getByRole('button', { name: 'Video call Bob' }).click();
  await bob.page.getByRole('button', { name: 'Accept' }).click();
  const cameraOff = alice.page.getByText("Bob's camera is off");
  const initials = alice.page.getByTestId('remote-camera-off');
  await expect(alice.page.getByRole('status').filter({ hasText: 'In call with Bob' })).toBeVisible();
  await expect(initials).toHaveCount(0);

  await bob.page.getByRole('button', { name: 'Camera off' }).click();
  await expect(cameraOff).toBeVisible();
  await expect(initials).toContainText('B');
  await bob.page.getByRole('button', { name: 'Camera on' }).click();
  await expect(initials).toHaveCount(0);

  // The video fits the window: nothing to scroll at 1000×720 (the keypad is hidden in a video call between people).
  await expect(alice.page.getByRole('region', { name: 'Keypad' })).toBeHidden();
  expect(await alice.page.evaluate(() => document.documentElement.scrollHeight <= innerHeight)).toBe(true);

  const mutedNote = alice.page.getByText('You are muted');
  await expect(mutedNote).toHaveCount(0);
  await alice.page.getByRole('button', { name: 'Mute' }).click();
  await expect(mutedNote).toBeVisible();
  await alice.page.getByRole('button', { name: 'Unmute' }).click();
  await expect(mutedNote).toHaveCount(0);
});

test('at 420×760 the layout is one column: Decline and Hang up are visible and inside the window, nothing scrolls sideways', async ({ openSoftphone }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const bob = await openSoftphone({ signInAs: 'Bob' });
  await bob.page.setViewportSize({ width: 420, height: 760 });
  await alice.page.getByRole('button', { name: 'Video call Bob' }).click();
  const decline = bob.page.getByRole('button', { name: 'Decline' });
  await expect(decline).toBeVisible();
  expect(await inViewport(bob.page, decline)).toBe(true);
  expect(await inViewport(bob.page, bob.page.getByRole('button', { name: 'Accept' }))).toBe(true);
  await bob.page.getByRole('button', { name: 'Accept' }).click();
  const hangUp = bob.page.getByRole('button', { name: 'Hang up' });
  await expect(hangUp).toBeVisible();
  expect(await inViewport(bob.page, hangUp)).toBe(true);
  expect(await bob.page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
});

test('the dial box refuses a bad tail of keys before calling, and calling a name nobody has says so', async ({ openSoftphone }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  await openSoftphone({ signInAs: 'Bob' });
  const dial = alice.page.getByLabel('Dial');
  await dial.fill('Bob,,1x');
  await dial.press('Enter');
  await expect(alice.page.getByRole('alert')).toHaveText(/^After "Bob", the keys to send once answered may be 0-9, \*, #, A-D and commas for pauses: "x" is not a key\.$/);
  await expect(dial).toBeFocused();
  await expect(dial).toHaveAttribute('aria-invalid', 'true');
  await expect(alice.page.getByRole('region', { name: /^Call with/ })).toHaveCount(0);

  await dial.fill('Nobody');
  await dial.press('Enter');
  await expect(alice.page.getByRole('status').filter({ hasText: 'Nobody called Nobody is signed in' })).toBeVisible();
  await expect(alice.page.getByText(/is offline|Too small|expected string/)).toHaveCount(0);
});
