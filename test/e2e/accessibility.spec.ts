/**
 * axe on every main screen (idle, contacts, history, ringing, incoming, audio
 * call, video call, keypad, settings, import report), in the light and the dark theme: no
 * serious or critical violation. Screenshots of the main screens at 1000×720 and 420×760 go to
 * the test output.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page, TestInfo } from '@playwright/test';
import { rm } from 'node:fs/promises';
import { expect, openSettings } from '../support/browser-fixtures.ts';
import { callIvr, test } from '../support/demo-ivr-probe.ts';
import { showsCameraPicture } from '../support/media-probes.ts';
import { contrastRatio } from '../support/contrast.ts';
import { pastCall, profileWithHistory } from '../support/history-fixtures.ts';
import type { Softphone } from '../support/softphone-harness.ts';

type Scheme = 'light' | 'dark';

/** Serious and critical findings on the whole page, one line each ("rule: selector"). */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${JSON.stringify(n.target)} ${n.failureSummary?.split('\n').slice(1).join(' ') ?? ''}`));
}

/**
 * Waits for the colour transitions a theme switch starts (the keypad's keys
 * fade their background) to end, so axe judges the colours a user sees and not
 * a frame halfway between themes. `document.getAnimations()` does not see into
 * shadow roots, so each one is asked.
 */
async function transitionsEnded(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const roots: (Document | ShadowRoot)[] = [document];
    for (let i = 0; i < roots.length; i++) {
      const root = roots[i]!;
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
    }
    // A transition replaced by a newer one rejects `finished`; it has ended all the same.
    await Promise.all(roots.flatMap((root) => root.getAnimations().map((animation) => animation.finished.catch(() => undefined))));
  });
}

async function checkScreen(page: Page, screen: string, findings: Record<string, string[]>): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const satisfies Scheme[]) {
    await page.emulateMedia({ colorScheme });
    await transitionsEnded(page);
    findings[`${screen} (${colorScheme})`] = await seriousViolations(page);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

function expectNone(findings: Record<string, string[]>): void {
  const failing = Object.fromEntries(Object.entries(findings).filter(([, list]) => list.length > 0));
  expect(failing).toEqual({});
}

test('idle, ringing, incoming, audio call, keypad and settings have no serious or critical axe violation, light or dark', async ({ openSoftphone, ivr }) => {
  void ivr;
  const findings: Record<string, string[]> = {};
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const bob = await openSoftphone({ signInAs: 'Bob' });
  await expect(alice.page.getByRole('button', { name: 'Call Bob', exact: true })).toBeEnabled();
  await checkScreen(alice.page, 'idle', findings);

  await alice.page.getByRole('button', { name: 'Call Bob', exact: true }).click();
  await expect(alice.page.getByRole('status').filter({ hasText: 'Ringing Bob' })).toBeVisible();
  await checkScreen(alice.page, 'ringing (outgoing)', findings);
  await expect(bob.page.getByRole('alertdialog', { name: 'Incoming call from Alice' })).toBeVisible();
  await checkScreen(bob.page, 'incoming', findings);

  await bob.page.getByRole('button', { name: 'Accept' }).click();
  await expect(alice.page.getByRole('status').filter({ hasText: 'In call with Bob' })).toBeVisible();
  await expect(alice.page.getByRole('timer', { name: 'Call duration' })).toBeVisible();
  await checkScreen(alice.page, 'audio call', findings);
  await alice.page.getByRole('button', { name: 'Mute' }).click();
  await checkScreen(alice.page, 'audio call, muted', findings);
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(alice.page.getByRole('status').filter({ hasText: 'Call ended' })).toBeVisible();
  await checkScreen(alice.page, 'call ended', findings);

  await alice.page.getByRole('button', { name: 'Close', exact: true }).click();
  await callIvr(alice.page);
  await alice.page.getByRole('region', { name: 'Keypad' }).getByRole('button', { name: '2', exact: true }).click();
  await expect(alice.page.getByRole('status', { name: 'Keys sent' })).toHaveText('2');
  await checkScreen(alice.page, 'keypad', findings);
  await alice.page.getByRole('button', { name: 'Hang up' }).click();

  await openSettings(alice.page);
  await checkScreen(alice.page, 'settings', findings);
  expectNone(findings);
});

test('a video call has no serious or critical axe violation, light or dark', async ({ openSoftphone }) => {
  const findings: Record<string, string[]> = {};
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const bob = await openSoftphone({ signInAs: 'Bob' });
  await alice.page.getByRole('button', { name: 'Video call Bob' }).click();
  await bob.page.getByRole('button', { name: 'Accept' }).click();
  await expect.poll(() => showsCameraPicture(alice.page, 'Video from Bob')).toBe(true);
  await checkScreen(alice.page, 'video call', findings);
  expectNone(findings);
});

/** Contrast ratio of a button's text on its background, from the computed colours. */
async function buttonContrast(page: Page, button: ReturnType<Page['getByRole']>): Promise<number> {
  const [fg, bg] = await button.evaluate((el) => {
    const style = getComputedStyle(el);
    return [style.color, style.backgroundColor];
  });
  return contrastRatio(fg!, bg!);
}

test('filled, plain, pressed and disabled buttons keep their text readable at rest, on hover and while pressed, light and dark', async ({ openSoftphone }) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const bob = await openSoftphone({ signInAs: 'Bob' });
  const { page } = alice;
  const ratios: Record<string, number> = {};
  const measure = async (name: string, button: ReturnType<Page['getByRole']>) => {
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await page.mouse.move(0, 0);
      ratios[`${name}, at rest (${colorScheme})`] = await buttonContrast(page, button);
      await button.hover();
      ratios[`${name}, hover (${colorScheme})`] = await buttonContrast(page, button);
      const box = (await button.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      ratios[`${name}, pressed (${colorScheme})`] = await buttonContrast(page, button);
      // Let go outside the button, so nothing is clicked.
      await page.mouse.move(0, 0);
      await page.mouse.up();
    }
    await page.emulateMedia({ colorScheme: 'light' });
  };
  await page.getByLabel('Dial').fill('Bob');
  await measure('Call (primary)', page.getByRole('button', { name: 'Call', exact: true }));
  await measure('Video call (plain)', page.getByRole('button', { name: 'Video call', exact: true }));
  await page.getByRole('button', { name: 'Call Bob', exact: true }).click();
  await measure('Call Bob while in a call (disabled)', page.getByRole('button', { name: 'Video call Bob' }));
  await bob.page.getByRole('button', { name: 'Accept' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'In call with Bob' })).toBeVisible();
  await measure('Hang up (danger)', page.getByRole('button', { name: 'Hang up' }));
  await page.getByRole('button', { name: 'Mute' }).click();
  await measure('Unmute (pressed toggle)', page.getByRole('button', { name: 'Unmute' }));
  const low = Object.entries(ratios).filter(([, ratio]) => ratio < 4.5);
  test.info().annotations.push({ type: 'lowest button contrast', description: Math.min(...Object.values(ratios)).toFixed(2) });
  expect(low).toEqual([]);
});

const SCREENSHOT_SIZES = [
  { width: 1000, height: 720 },
  { width: 420, height: 760 },
];

/** Screenshots of one screen at both sizes in both themes, attached to the test output and kept next to it. */
async function shoot(page: Page, screen: string, testInfo: TestInfo): Promise<void> {
  for (const size of SCREENSHOT_SIZES) {
    await page.setViewportSize(size);
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      const name = `${screen}-${size.width}x${size.height}-${colorScheme}`;
      const file = testInfo.outputPath(`${name}.png`);
      // Finished: a colour transition caught halfway would show the other theme's colours.
      await page.screenshot({ path: file, animations: 'disabled' });
      await testInfo.attach(name, { path: file, contentType: 'image/png' });
    }
  }
  await page.setViewportSize(SCREENSHOT_SIZES[0]!);
  await page.emulateMedia({ colorScheme: 'light' });
}

test('screenshots: idle, incoming and in a call, at 1000×720 and 420×760, light and dark', async ({ openSoftphone }, testInfo) => {
  const alice = await openSoftphone({ signInAs: 'Alice' });
  const bob = await openSoftphone({ signInAs: 'Bob' });
  await expect(alice.page.getByRole('button', { name: 'Call Bob', exact: true })).toBeEnabled();
  await shoot(alice.page, 'idle', testInfo);
  await alice.page.getByRole('button', { name: 'Video call Bob' }).click();
  await expect(bob.page.getByRole('alertdialog', { name: 'Incoming call from Alice' })).toBeVisible();
  await shoot(bob.page, 'incoming', testInfo);
  await bob.page.getByRole('button', { name: 'Accept' }).click();
  await expect.poll(() => showsCameraPicture(alice.page, 'Video from Bob')).toBe(true);
  await shoot(alice.page, 'video-call', testInfo);
  await alice.page.getByRole('button', { name: 'Mute' }).click();
  await alice.page.getByRole('button', { name: 'Keypad' }).click();
  await expect(alice.page.getByRole('region', { name: 'Keypad' })).toBeVisible();
  await shoot(alice.page, 'video-call-muted-keypad', testInfo);
});

test('contacts, history, and a call from someone not in the contacts, with avatars: no serious or critical axe violation, light or dark; screenshots', async ({ openSoftphone }, testInfo) => {
  const start = Date.now() - 3 * 3600_000;
  const profile = await profileWithHistory([
    pastCall('c1', 'Bob', start, { direction: 'outgoing', video: true }),
    pastCall('c2', 'sip:frontdesk@pbx.example.org', start + 600_000, { account: 'sip-desk', displayName: 'Front Desk' }),
    pastCall('c3', '+49 30 1234567', start + 1200_000, { account: 'sip-desk', outcome: 'declined', answeredAt: null }),
    pastCall('c4', 'Иван Петров', start + 1800_000, { outcome: 'missed', answeredAt: null }),
  ]);
  let alice: Softphone | undefined;
  try {
    const findings: Record<string, string[]> = {};
    alice = await openSoftphone({ userDataDir: profile, signInAs: 'Alice' });
    await openSoftphone({ signInAs: 'Bob' });
    const carol = await openSoftphone({ signInAs: 'Carol' });
    const add = alice.core.handlers.addContact;
    await add({ name: 'Dr. Anna-Lena Müller', addresses: [{ kind: 'tel', value: '+49 30 7654321' }], favourite: true });
    await add({ name: 'Bob', addresses: [{ kind: 'app', value: 'Bob' }] });
    await add({ name: 'Zoë Ångström', addresses: [{ kind: 'sip', value: 'sip:zoe@pbx.example.org' }] });
    await add({ name: '王小明', addresses: [{ kind: 'tel', value: '+86 10 1234 5678' }] });
    await add({ name: '0800 123456', addresses: [{ kind: 'tel', value: '0800 123456' }] });
    const { page } = alice;
    await expect(page.locator('[data-contact="Bob"]')).toContainText('online');
    await checkScreen(page, 'contacts', findings);
    await shoot(page, 'contacts', testInfo);

    await page.getByRole('tab', { name: /^History/ }).click();
    await expect(page.getByRole('list', { name: 'Calls' }).getByRole('listitem')).toHaveCount(4);
    await checkScreen(page, 'history', findings);
    await shoot(page, 'history', testInfo);

    // Import: a card taken and one skipped, with the report under the list.
    await page.getByRole('tab', { name: 'Contacts' }).click();
    const card = (lines: string[]) => ['BEGIN:VCARD', 'VERSION:3.0', ...lines, 'END:VCARD'].join('\r\n');
    const vcard = `${card(['FN:Erika Mustermann', 'TEL;TYPE=WORK:+49 30 1234567'])}\r\n${card(['FN:Only Email', 'EMAIL:only@example.org'])}\r\n`;
    await page.getByLabel('Contacts file to import').setInputFiles({ name: 'contacts.vcf', mimeType: 'text/vcard', buffer: Buffer.from(vcard) });
    const report = page.getByText('Imported: 1 added, 0 merged into existing contacts, 1 skipped.');
    await expect(report).toBeVisible();
    await page.getByRole('button', { name: 'Export contacts' }).scrollIntoViewIfNeeded();
    await checkScreen(page, 'import report', findings);
    await shoot(page, 'import-report', testInfo);

    // Carol is no contact of Alice's: her call offers Add to contacts, on the ringing panel and in the call.
    await carol.page.getByRole('button', { name: 'Call Alice', exact: true }).click();
    await expect(page.getByRole('alertdialog', { name: 'Incoming call from Carol' }).getByRole('button', { name: 'Add to contacts' })).toBeVisible();
    await checkScreen(page, 'incoming from someone not in the contacts', findings);
    await shoot(page, 'incoming-stranger', testInfo);
    await page.getByRole('button', { name: 'Accept' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'In call with Carol' })).toBeVisible();
    await checkScreen(page, 'audio call with someone not in the contacts', findings);
    await shoot(page, 'audio-call-stranger', testInfo);
    expectNone(findings);
  } finally {
    await alice?.close();
    await rm(profile, { recursive: true, force: true });
  }
});
