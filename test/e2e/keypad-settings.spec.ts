/**
 * The keypad's preferences as a user sets them in Settings: kept by main
 * across a restart, refused when out of range, and doing what they say in a
 * call (A–D keys, the key sound and where it plays).
 */
import type { Page } from '@playwright/test';
import { expect, test as browserTest, openSettings } from '../support/browser-fixtures.ts';
import { callIvr, test } from '../support/demo-ivr-probe.ts';

async function openKeypadSettings(page: Page) {
  const dialog = await openSettings(page);
  return dialog.getByRole('region', { name: 'Keypad settings' });
}

/** Records the frequency of every oscillator started in the page, and the output its AudioContext plays on. */
async function recordTones(page: Page): Promise<void> {
  await page.evaluate(() => {
    const played: Array<{ frequency: number; sinkId: string; toSpeakers: boolean }> = [];
    (window as unknown as { __tones: typeof played }).__tones = played;
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (this: OscillatorNode, ...args: Parameters<OscillatorNode['start']>) {
      const context = this.context as AudioContext & { sinkId?: string };
      played.push({ frequency: this.frequency.value, sinkId: context.sinkId ?? '', toSpeakers: context instanceof AudioContext });
      return start.apply(this, args);
    };
  });
}

const tonesPlayed = (page: Page) => page.evaluate(() => (window as unknown as { __tones: Array<{ frequency: number; sinkId: string }> }).__tones);

browserTest('keypad settings are saved by main and still there after a restart; out-of-range values are refused', async ({ openSoftphone }) => {
  const first = await openSoftphone({ signInAs: 'Alice' });
  let keypad = await openKeypadSettings(first.page);
  await keypad.getByLabel('Tone length (ms)').fill('80');
  await keypad.getByLabel('Tone length (ms)').press('Tab');
  await keypad.getByLabel('Gap between tones (ms)').fill('10');
  await keypad.getByLabel('Gap between tones (ms)').press('Tab');
  await expect(keypad.getByRole('alert')).toHaveText('Gap between tones must be a whole number from 30 to 6000 ms. The saved value stays 70 ms.');
  await expect(keypad.getByLabel('Gap between tones (ms)')).toHaveAttribute('aria-invalid', 'true');
  await expect(keypad.getByLabel('Gap between tones (ms)')).toHaveAccessibleDescription(/must be a whole number/);
  await keypad.getByLabel('Show the A, B, C and D keys').check();
  await keypad.getByLabel('Send keys as').selectOption({ label: 'Messages over signaling' });
  await expect.poll(async () => (await first.core.handlers.getSnapshot()).settings.dtmf).toMatchObject({ transport: 'signaling' });
  const userDataDir = first.userDataDir;
  await first.close();

  const again = await openSoftphone({ userDataDir });
  keypad = await openKeypadSettings(again.page);
  await expect(keypad.getByLabel('Tone length (ms)')).toHaveValue('80');
  await expect(keypad.getByLabel('Gap between tones (ms)')).toHaveValue('70');
  await expect(keypad.getByLabel('Show the A, B, C and D keys')).toBeChecked();
  await expect(keypad.getByLabel('Play key tones to me')).toBeChecked();
  await expect(keypad.getByLabel('Send keys as')).toHaveValue('signaling');
});

test.describe('in a call with the demo IVR', () => {
  test('the A-D keys appear only when turned on, and then reach the IVR', async ({ openSoftphone, ivr }) => {
    const { page } = await openSoftphone({ signInAs: 'Alice' });
    await callIvr(page);
    const keys = page.getByRole('group', { name: 'Keys' });
    await expect(keys.getByRole('button')).toHaveCount(12);
    await expect(keys.getByRole('button', { name: 'A', exact: true })).toHaveCount(0);
    await page.keyboard.press('a');

    const settings = await openKeypadSettings(page);
    await settings.getByLabel('Show the A, B, C and D keys').check();
    await page.getByRole('dialog', { name: 'Settings' }).getByRole('button', { name: 'Close' }).click();

    await expect(keys.getByRole('button')).toHaveCount(16);
    await keys.getByRole('button', { name: 'A', exact: true }).click();
    await page.keyboard.press('d');
    await expect.poll(() => ivr.received()).toBe('AD');
  });

  test('each key plays its own two tones on the ringtone device, and the key sound can be turned off', async ({ openSoftphone, ivr }) => {
    const { page } = await openSoftphone({ signInAs: 'Alice' });
    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.getByRole('combobox', { name: 'Ringtone and keypad sound' }).selectOption({ label: 'Fake Audio Output 2' });
    await settings.getByRole('button', { name: 'Close' }).click();
    const ringerId = await page.evaluate(async () => (await navigator.mediaDevices.enumerateDevices()).find((d) => d.label === 'Fake Audio Output 2')!.deviceId);
    await callIvr(page);
    await recordTones(page);

    await page.keyboard.press('5');
    await expect.poll(() => ivr.received()).toBe('5');
    await expect.poll(async () => (await tonesPlayed(page)).map((t) => t.frequency).sort((a, b) => a - b)).toEqual([770, 1336]);
    expect(new Set((await tonesPlayed(page)).map((t) => t.sinkId))).toEqual(new Set([ringerId]));

    const keypad = await openKeypadSettings(page);
    await keypad.getByLabel('Play key tones to me').uncheck();
    await page.getByRole('dialog', { name: 'Settings' }).getByRole('button', { name: 'Close' }).click();
    await page.keyboard.press('6');
    await expect.poll(() => ivr.received()).toBe('56');
    expect((await tonesPlayed(page)).map((t) => t.frequency)).not.toContain(1477);
  });
});
