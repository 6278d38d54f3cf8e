/**
 * The softphone against a real SIP chain on loopback (Kamailio over
 * WebSocket, rtpengine, baresip): how long registering takes, how long a call
 * takes from "Call" to the 200 OK and to the first audio, and how long a key
 * press takes to reach baresip, as RFC 4733 and as SIP INFO.
 *
 *   npm run bench:sip [-- --keys N] [--calls N] [--registrations N]
 *
 * Keys are pressed one at a time, each after baresip reported the previous
 * one plus a random 50–150 ms, so a key's latency is its own, not time spent
 * queued behind others.
 */
import type { Page } from '@playwright/test';
import { parseArgs } from 'node:util';
import type { SipKeyMethod } from '../common/sip-account-schema.ts';
import { DTMF_PRESS_MARK } from '../renderer/call/dtmf/keypad-service.ts';
import { inboundTotals } from '../test/support/media-probes.ts';
import type { Softphone } from '../test/support/softphone-harness.ts';
import { sipChainMissing, startSipChain, type SipChain } from '../test/support/sip/sip-chain.ts';
import { startBenchSoftphone } from './bench-softphone.ts';
import { percentile } from './stats.ts';

process.env.SOFTPHONE_LOG_LEVEL ??= 'warn';
const { values } = parseArgs({
  options: { keys: { type: 'string', default: '48' }, calls: { type: 'string', default: '10' }, registrations: { type: 'string', default: '20' } },
});
const KEYS = '0123456789*#ABCD';
const ALICE = { user: 'alice', password: 'alice-secret' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.timeOrigin + performance.now();

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) return false;
    await sleep(2);
  }
  return true;
}

function summary(what: string, samples: number[], extra: Record<string, string | number> = {}) {
  return {
    what,
    n: samples.length,
    'p50 ms': Math.round(percentile(samples, 50)),
    'p95 ms': Math.round(percentile(samples, 95)),
    'max ms': Math.round(Math.max(...samples)),
    ...extra,
  };
}

async function saveAccount(softphone: Softphone, chain: SipChain, keys: SipKeyMethod): Promise<string> {
  const saved = await softphone.core.handlers.saveSipAccount({
    address: `sip:${ALICE.user}@${chain.domain}`,
    password: ALICE.password,
    websocketUrl: chain.wsUrl,
    keys,
  });
  return saved.sipAccounts.at(-1)!.id;
}

async function registrationTimes(softphone: Softphone, chain: SipChain, rounds: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    let registeredAt = 0;
    const stop = softphone.core.onEvent((event, payload) => {
      if (event === 'sipAccounts' && (payload as Array<{ status: string }>).some((a) => a.status === 'registered')) registeredAt ||= now();
    });
    const started = now();
    const id = await saveAccount(softphone, chain, 'rfc4733');
    if (!(await until(() => registeredAt > 0, 10_000))) throw new Error('the account did not register');
    times.push(registeredAt - started);
    stop();
    await softphone.core.handlers.removeSipAccount(id);
  }
  return times;
}

async function placeCall(page: Page): Promise<void> {
  await page.getByLabel('Call with').selectOption({ index: 1 });
  await page.getByLabel('Dial').fill('bob');
  await page.getByRole('button', { name: 'Call', exact: true }).click();
}

async function hangUp(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Hang up' }).click();
  await page.getByRole('button', { name: 'Close' }).click();
}

async function callSetupTimes(softphone: Softphone, rounds: number): Promise<{ accepted: number[]; media: number[] }> {
  const accepted: number[] = [];
  const media: number[] = [];
  for (let i = 0; i < rounds; i++) {
    let acceptedAt = 0;
    const stop = softphone.core.onEvent((event, payload) => {
      if (event === 'call' && (payload as { kind: string }).kind === 'accepted') acceptedAt ||= now();
    });
    const started = now();
    await placeCall(softphone.page);
    if (!(await until(async () => (await inboundTotals(softphone.page)).audioLevel > 0.01, 15_000))) throw new Error('no audio from baresip');
    media.push(now() - started);
    await until(() => acceptedAt > 0, 5_000);
    accepted.push(acceptedAt - started);
    stop();
    await hangUp(softphone.page);
  }
  return { accepted, media };
}

async function keyLatencies(softphone: Softphone, chain: SipChain, keys: SipKeyMethod, count: number) {
  const id = await saveAccount(softphone, chain, keys);
  const { page } = softphone;
  try {
    await until(async () => (await softphone.core.handlers.getSnapshot()).sipAccounts.some((a) => a.status === 'registered'), 10_000);
    const bob = chain.baresip.bob!.control;
    await placeCall(page);
    await page.getByRole('region', { name: 'Keypad' }).waitFor();
    await page.evaluate((mark) => performance.clearMarks(mark), DTMF_PRESS_MARK);
    const before = bob.events.length;
    const sent: string[] = [];
    for (let i = 0; i < count; i++) {
      const key = KEYS[Math.floor(Math.random() * KEYS.length)]!;
      const seen = bob.dtmfKeys.length;
      await page.getByRole('region', { name: 'Keypad' }).getByRole('button', { name: key, exact: true }).click();
      sent.push(key);
      await until(() => bob.dtmfKeys.length > seen, 3_000);
      await sleep(170 + 50 + Math.random() * 100);
    }
    await sleep(1_000);
    const presses = await page.evaluate((mark) => performance.getEntriesByName(mark).map((e) => ((e as PerformanceMark).detail as { at: number }).at), DTMF_PRESS_MARK);
    const reports = bob.events.slice(before).filter((e) => e.type === 'CALL_DTMF_START');
    const received = reports.map((e) => e.param).join('');
    const inOrder = received === sent.join('');
    if (!inOrder) console.error(`${keys}: sent ${sent.join('')}, baresip reported ${received}`);
    // The n-th press pairs with the n-th report, which only means something when nothing was lost.
    const latencies = inOrder ? reports.map((e, i) => e.receivedAt - presses[i]!) : [];
    await hangUp(page);
    return summary(`key press → baresip, ${keys === 'rfc4733' ? 'RFC 4733' : 'SIP INFO'}`, latencies, {
      sent: sent.length,
      reported: reports.length,
      'in order': inOrder ? '100%' : `${Math.round((100 * [...received].filter((k, i) => k === sent[i]).length) / sent.length)}%`,
    });
  } finally {
    await softphone.core.handlers.removeSipAccount(id);
  }
}

const missing = sipChainMissing();
if (missing) {
  console.error(`bench:sip needs the SIP chain: ${missing}`);
  process.exit(1);
}
const chain = await startSipChain({ users: [ALICE, { user: 'bob', password: 'bob-secret', baresip: { answerMode: 'auto' } }] });
const bench = await startBenchSoftphone();
const rows = [];
try {
  const { alice } = bench;
  await alice.core.handlers.updateSettings({ dtmf: { extendedKeys: true } });

  rows.push(summary('register (save → 200 OK)', await registrationTimes(alice, chain, Number(values.registrations))));
  const id = await saveAccount(alice, chain, 'rfc4733');
  await until(async () => (await alice.core.handlers.getSnapshot()).sipAccounts.some((a) => a.status === 'registered'), 10_000);
  const setup = await callSetupTimes(alice, Number(values.calls));
  rows.push(summary('Call → 200 OK', setup.accepted), summary('Call → first audio heard', setup.media));
  await alice.core.handlers.removeSipAccount(id);
  for (const keys of ['rfc4733', 'sip-info'] as const) rows.push(await keyLatencies(alice, chain, keys, Number(values.keys)));
} finally {
  await bench.close();
  await chain.stop();
}
console.log('SIP through Kamailio (WebSocket), rtpengine and baresip on loopback; keys one at a time, 100 ms tones, 70 ms gaps');
console.table(rows);
