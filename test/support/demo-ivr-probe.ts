/**
 * The demo IVR for browser tests: a real werift peer signed in to the test's
 * signaling server, with everything it reports kept for assertions.
 */
import { expect, type Page } from '@playwright/test';
import { createLogger } from '../../common/logger.ts';
import { test as browserTest } from './browser-fixtures.ts';
import { startDemoIvr, type AudioOptions, type DemoIvr, type DigitEvent, type MenuEvent } from '../../ivr/demo-ivr.ts';

export interface IvrProbe {
  ivr: DemoIvr;
  digits: DigitEvent[];
  menus: MenuEvent[];
  /** The digits received, in order, as one string. */
  received(): string;
  /** The menu path after the latest step, joined with '/'. */
  path(): string;
}

export async function startIvrProbe(serverUrl: string, audio?: AudioOptions, options: { signalingDtmf?: boolean } = {}): Promise<IvrProbe> {
  const ivr = await startDemoIvr({ serverUrl, audio, ...options, log: createLogger('test-ivr') });
  const digits: DigitEvent[] = [];
  const menus: MenuEvent[] = [];
  ivr.on('digit', (digit) => digits.push(digit));
  ivr.on('menu', (menu) => menus.push(menu));
  return {
    ivr,
    digits,
    menus,
    received: () => digits.map((d) => d.digit).join(''),
    path: () => menus.at(-1)?.path.join('/') ?? '',
  };
}

/** Keypad preferences for a test, set the way the Settings form sets them. */
export async function setKeypadSettings(page: Page, dtmf: Record<string, unknown>): Promise<void> {
  await page.evaluate((patch) => (window as unknown as { softphone: { updateSettings(p: unknown): Promise<unknown> } }).softphone.updateSettings({ dtmf: patch }), dtmf);
}

/** Paste text into the window, as Ctrl+V on the call screen does. */
export async function pasteText(page: Page, text: string): Promise<void> {
  await page.evaluate((value) => {
    const data = new DataTransfer();
    data.setData('text/plain', value);
    document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/** Call the demo IVR from the contact list and wait until the call is up. */
export async function callIvr(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Call Demo IVR', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'In call with Demo IVR' })).toBeVisible();
}

/** Browser tests with the demo IVR (default audio) signed in to the test's server as `ivr`. */
export const test = browserTest.extend<{ ivr: IvrProbe }>({
  ivr: async ({ signalingServer }, use) => {
    const probe = await startIvrProbe(signalingServer.url);
    await use(probe);
    await probe.ivr.stop();
  },
});
