/**
 * The softphone calls the demo IVR (a real werift peer) and steers its menu
 * with the keypad: clicks, the keyboard, a dial string, pasted keys and a
 * contact's saved sequence. What counts is what the IVR reports.
 */
import { expect } from '../support/browser-fixtures.ts';
import { callIvr, pasteText, setKeypadSettings, test, type IvrProbe } from '../support/demo-ivr-probe.ts';
import { inboundTotals } from '../support/media-probes.ts';

const AGENT = 'main/support/internet/agent';

async function expectPath(ivr: IvrProbe, path: string): Promise<void> {
  await expect.poll(() => ivr.path()).toBe(path);
}

test.describe('navigating the demo IVR', () => {
  test('three levels with keypad clicks, sent as RFC 4733; the prompts are heard; * goes back', async ({ openSoftphone, ivr }) => {
    const { page } = await openSoftphone({ signInAs: 'Alice' });
    await callIvr(page);

    const keypad = page.getByRole('region', { name: 'Keypad' });
    await expect(keypad.getByRole('status', { name: 'How keys are sent' })).toHaveText('Keys are sent as RFC 4733 telephone events.');
    // The welcome prompt reaches the softphone: audio arrives and is louder than silence.
    const before = await inboundTotals(page);
    await expect.poll(async () => (await inboundTotals(page)).audioBytes).toBeGreaterThan(before.audioBytes);
    await expect.poll(async () => (await inboundTotals(page)).audioLevel).toBeGreaterThan(0.01);

    for (const [key, path] of [
      ['2', 'main/support'],
      ['1', 'main/support/internet'],
      ['3', AGENT],
    ] as const) {
      await keypad.getByRole('button', { name: key, exact: true }).click();
      await expectPath(ivr, path);
    }
    await keypad.getByRole('button', { name: '*', exact: true }).click();
    await expectPath(ivr, 'main/support/internet');

    expect(ivr.received()).toBe('213*');
    expect(ivr.digits.every((d) => d.via === 'rfc4733' && d.caller === 'Alice')).toBe(true);
    await expect(keypad.getByRole('status', { name: 'Keys sent' })).toHaveText('213*');
  });

  test('on a touch screen, tapping the keys walks the menu', async ({ openSoftphone, ivr }) => {
    const { page } = await openSoftphone({ signInAs: 'Alice', touch: true });
    await page.getByRole('button', { name: 'Call Demo IVR', exact: true }).tap();
    await expect(page.getByRole('status').filter({ hasText: 'In call with Demo IVR' })).toBeVisible();
    const keypad = page.getByRole('region', { name: 'Keypad' });

    await keypad.getByRole('button', { name: '2', exact: true }).tap();
    await expectPath(ivr, 'main/support');
    await keypad.getByRole('button', { name: '1', exact: true }).tap();
    await expectPath(ivr, 'main/support/internet');
  });

  test('three levels with the keyboard: main keys and the numpad', async ({ openSoftphone, ivr }) => {
    const { page } = await openSoftphone({ signInAs: 'Alice' });
    await callIvr(page);

    await page.keyboard.press('2');
    await expectPath(ivr, 'main/support');
    await page.keyboard.press('Numpad1');
    await expectPath(ivr, 'main/support/internet');
    await page.keyboard.press('3');
    await expectPath(ivr, AGENT);
    await page.keyboard.press('NumpadMultiply');
    await expectPath(ivr, 'main/support/internet');
    expect(ivr.received()).toBe('213*');
  });

  test('three levels from a dial string: the tail waits for the answer and its pauses', async ({ openSoftphone, ivr }) => {
    const { page } = await openSoftphone({ signInAs: 'Alice' });
    await setKeypadSettings(page, { pauseMs: 500 });

    await page.getByLabel('Dial').fill('Demo IVR,,2,1,3');
    await page.getByRole('button', { name: 'Call', exact: true }).click();

    await expectPath(ivr, AGENT);
    expect(ivr.received()).toBe('213');
    const steps = ivr.digits.map((d) => d.receivedAt);
    // When the softphone saw the call connect, on the same clock as the IVR's.
    const answered = await page.evaluate(() => performance.timeOrigin + performance.getEntriesByName('softphone:call-connected')[0]!.startTime);
    // Nothing before the answer, then the pauses: `,,` waits 1000 ms, each `,` 500 ms on top of the tone and gap.
    expect(steps[0]! - answered).toBeGreaterThanOrEqual(1000);
    expect(steps[1]! - steps[0]!).toBeGreaterThanOrEqual(500);
    expect(steps[2]! - steps[1]!).toBeGreaterThanOrEqual(500);
  });

  test('pasted keys are queued, shown while waiting, and the sounding key lights', async ({ openSoftphone, ivr }) => {
    const { page } = await openSoftphone({ signInAs: 'Alice' });
    await setKeypadSettings(page, { toneMs: 600, gapMs: 200 });
    await callIvr(page);
    const keypad = page.getByRole('region', { name: 'Keypad' });

    await pasteText(page, 'Account: 3');
    await expectPath(ivr, 'main/account');
    await pasteText(page, '12-34 #');

    // While 1 sounds (600 ms, then a 200 ms gap) it is the lit key and the rest wait their turn.
    await expect(keypad.locator('button[data-lit]')).toHaveAttribute('data-key', '1');
    await expect(keypad.getByRole('status', { name: 'Keys waiting' })).toHaveText('234#');
    await expect(keypad.locator('button[data-lit]')).toHaveAttribute('data-key', '2');
    await expect.poll(() => ivr.menus.find((m) => m.action === 'entry')?.entry).toBe('1234');
    await expect(keypad.getByRole('status', { name: 'Keys waiting' })).toHaveText('');
    await expect(keypad.locator('button[data-lit]')).toHaveCount(0);
  });

  test("a contact's post-dial keys and saved sequence, from the contact editor", async ({ openSoftphone, ivr }) => {
    const { page } = await openSoftphone({ signInAs: 'Alice' });
    await setKeypadSettings(page, { pauseMs: 300 });
    await page.getByRole('button', { name: 'Add Demo IVR to contacts' }).click();
    await page.getByRole('button', { name: 'Edit Demo IVR' }).click();
    const editor = page.getByRole('dialog', { name: 'Edit Demo IVR' });
    await editor.getByLabel('Keys to send after the answer').fill(',3');
    await editor.getByRole('button', { name: 'Add sequence' }).click();
    await editor.getByLabel('Sequence 1 name').fill('Account number');
    await editor.getByLabel('Sequence 1 keys').fill('4711#');
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect(editor).toBeHidden();

    await callIvr(page);
    await expectPath(ivr, 'main/account');
    await page.getByRole('button', { name: 'Send Account number' }).click();
    await expect.poll(() => ivr.menus.find((m) => m.action === 'entry')?.entry).toBe('4711');
  });

  test('a post-dial tail with something other than keys is refused before calling', async ({ openSoftphone, ivr }) => {
    const { page } = await openSoftphone({ signInAs: 'Alice' });
    await page.getByRole('button', { name: 'Add Demo IVR to contacts' }).click();
    await page.getByRole('button', { name: 'Edit Demo IVR' }).click();
    const editor = page.getByRole('dialog', { name: 'Edit Demo IVR' });
    await editor.getByLabel('Keys to send after the answer').fill(',,1x');
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect(editor.getByRole('alert')).toContainText('Use only 0-9, *, #, A-D and , (pause)');
    await expect(editor).toBeVisible();
  });
});
