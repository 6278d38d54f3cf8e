/**
 * Key presses from the softphone's keyboard to the demo IVR, for every route
 * and codec answer: how many arrive, whether in order, and how long from the
 * key press (the app receiving the key) to the IVR decoding it.
 *
 *   npm run bench:dtmf [-- --keys N] [--only In-band]
 *
 * Keys are pressed one at a time with the default 100 ms tone and 70 ms gap,
 * each after the IVR saw the previous one plus a random 50–150 ms, so the
 * latency is the route's own, not time spent queued behind other keys.
 */
import type { Page } from '@playwright/test';
import { parseArgs } from 'node:util';
import { createLogger } from '../common/logger.ts';
import type { DtmfTransport } from '../common/settings-schema.ts';
import { startDemoIvr, type AudioOptions, type DigitEvent } from '../ivr/demo-ivr.ts';
import { DTMF_PRESS_MARK } from '../renderer/call/dtmf/keypad-service.ts';
import { setKeypadSettings } from '../test/support/demo-ivr-probe.ts';
import { startBenchSoftphone } from './bench-softphone.ts';
import { percentile } from './stats.ts';

process.env.SOFTPHONE_LOG_LEVEL ??= 'warn';
const { values } = parseArgs({ options: { keys: { type: 'string', default: '60' }, only: { type: 'string', default: '' } } });
const keyCount = Number(values.keys);

interface Mode {
  name: string;
  audio: AudioOptions;
  transport: DtmfTransport;
}

const MODES: Mode[] = [
  { name: 'RFC 4733, Opus + te/48000 + te/8000', audio: { codec: 'opus', telephoneEventRates: [48000, 8000] }, transport: 'auto' },
  { name: 'RFC 4733, Opus + te/48000 only', audio: { codec: 'opus', telephoneEventRates: [48000] }, transport: 'auto' },
  { name: 'RFC 4733, PCMU + te/8000', audio: { codec: 'pcmu', telephoneEventRates: [8000] }, transport: 'auto' },
  { name: 'Auto → signaling, Opus + te/8000 only', audio: { codec: 'opus', telephoneEventRates: [8000] }, transport: 'auto' },
  { name: 'Signaling (setting)', audio: { codec: 'opus', telephoneEventRates: [48000, 8000] }, transport: 'signaling' },
  { name: 'In-band, Opus (setting)', audio: { codec: 'opus', telephoneEventRates: [48000, 8000] }, transport: 'inband' },
  { name: 'In-band, PCMU (setting)', audio: { codec: 'pcmu', telephoneEventRates: [8000] }, transport: 'inband' },
];

const KEYS = '0123456789*#';
/** The default tone length and gap. */
const TONE_AND_GAP_MS = 170;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(5);
  }
  return true;
}

async function runMode(page: Page, serverUrl: string, mode: Mode) {
  const ivr = await startDemoIvr({ serverUrl, audio: mode.audio, log: createLogger('bench-ivr') });
  const digits: DigitEvent[] = [];
  ivr.on('digit', (digit) => digits.push(digit));
  try {
    await setKeypadSettings(page, { transport: mode.transport });
    await page.getByRole('button', { name: 'Call Demo IVR', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'In call with Demo IVR' }).waitFor();
    await page.getByRole('region', { name: 'Keypad' }).waitFor();
    await page.evaluate((mark) => performance.clearMarks(mark), DTMF_PRESS_MARK);
    // Let the welcome prompt start, as a user would.
    await sleep(500);

    const sent: string[] = [];
    for (let i = 0; i < keyCount; i++) {
      const key = KEYS[Math.floor(Math.random() * KEYS.length)]!;
      const before = digits.length;
      await page.keyboard.press(key);
      sent.push(key);
      await until(() => digits.length > before, 2000);
      // The tone and its gap must be over before the next key can start; then a human pause.
      await sleep(TONE_AND_GAP_MS + 50 + Math.random() * 100);
    }
    await sleep(1000);
    const presses = await page.evaluate(
      (mark) => performance.getEntriesByName(mark).map((entry) => (entry as PerformanceMark).detail as { tones: string; at: number }),
      DTMF_PRESS_MARK,
    );
    const received = digits.map((d) => d.digit).join('');
    const inOrder = received === sent.join('');
    if (!inOrder) console.error(`${mode.name}: sent ${sent.join('')}, the IVR got ${received}`);
    // Latency pairs the n-th press with the n-th digit, so it is only meaningful when nothing was lost.
    const latencies = inOrder ? digits.map((d, i) => d.receivedAt - presses[i]!.at) : [];
    await page.getByRole('button', { name: 'Hang up' }).click();
    await page.getByRole('button', { name: 'Close' }).click();
    return {
      mode: mode.name,
      sent: sent.length,
      received: digits.length,
      'in order': inOrder ? 'yes' : 'NO',
      'via (IVR)': [...new Set(digits.map((d) => d.via))].join(','),
      'p50 ms': Math.round(percentile(latencies, 50)),
      'p95 ms': Math.round(percentile(latencies, 95)),
      'max ms': Math.round(Math.max(...latencies)),
    };
  } finally {
    await ivr.stop();
  }
}

const bench = await startBenchSoftphone();
const rows = [];
try {
  for (const mode of MODES.filter((m) => m.name.includes(values.only))) rows.push(await runMode(bench.alice.page, bench.serverUrl, mode));
} finally {
  await bench.close();
}
console.log(`DTMF from key press to the demo IVR decoding it: ${keyCount} random keys per mode, 100 ms tones, 70 ms gaps, loopback`);
console.table(rows);
