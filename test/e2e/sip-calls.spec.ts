/**
 * Calls to a real telephone system: the softphone registers with Kamailio
 * over WebSocket, calls go through rtpengine (WebRTC ↔ plain RTP) to baresip,
 * which plays a tone and reports the keys it receives. While a callee rings
 * with early media (a 183 with SDP), Kamailio has rtpengine play a ringback
 * tone to the caller, as a carrier or PBX does. All of it Debian's software
 * on loopback, started by the test.
 */
import type { Page } from '@playwright/test';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '../support/browser-fixtures.ts';
import { inboundTotals } from '../support/media-probes.ts';
import type { Softphone } from '../support/softphone-harness.ts';
import { sipChainMissing, startSipChain, type SipChain } from '../support/sip/sip-chain.ts';

const ALICE = { user: 'alice', password: 'alice-secret' };
/** Answers with early media; her baresip is started by the tests that call her. */
const CAROL = { user: 'carol', password: 'carol-secret' };
const ALL_KEYS = '0123456789*#ABCD';

test.skip(() => sipChainMissing() !== null, sipChainMissing() ?? '');

let chain: SipChain;
test.beforeEach(async () => {
  chain = await startSipChain({
    users: [ALICE, { user: 'bob', password: 'bob-secret', baresip: { answerMode: 'auto', registerIntervalSeconds: 10 } }, CAROL],
    earlyMediaAnnouncement: true,
  });
});
test.afterEach(async ({}, testInfo) => {
  // What Kamailio, rtpengine and baresip said, kept with a failed test's results.
  if (testInfo.status !== testInfo.expectedStatus && chain) {
    for (const file of (await readdir(chain.dir)).filter((f) => f.endsWith('.log'))) {
      await testInfo.attach(file, { path: path.join(chain.dir, file), contentType: 'text/plain' });
    }
  }
  await chain?.stop();
});

/** Adds Alice's SIP account, as Settings → SIP accounts saves it, and waits until it is registered. */
async function addAliceAccount(softphone: Softphone, keys: 'rfc4733' | 'sip-info' = 'rfc4733', password = ALICE.password): Promise<string> {
  const saved = await softphone.core.handlers.saveSipAccount({
    address: `sip:${ALICE.user}@${chain.domain}`,
    password,
    websocketUrl: chain.wsUrl,
    displayName: 'Alice Example',
    keys,
  });
  return saved.sipAccounts.at(-1)!.id;
}

async function callThroughSip(page: Page, dialed: string): Promise<void> {
  await page.getByLabel('Call with').selectOption({ label: `Alice Example (sip:${ALICE.user}@${chain.domain})` });
  await page.getByLabel('Dial').fill(dialed);
  await page.getByRole('button', { name: 'Call', exact: true }).click();
}

async function sendAllKeys(page: Page): Promise<void> {
  const keypad = page.getByRole('region', { name: 'Keypad' });
  for (const key of ALL_KEYS) await keypad.getByRole('button', { name: key, exact: true }).click();
}

for (const keys of ['rfc4733', 'sip-info'] as const) {
  test(`the softphone registers, calls baresip, hears it, and all 16 keys arrive in order as ${keys === 'rfc4733' ? 'RFC 4733' : 'SIP INFO'}; it hangs up`, async ({ openSoftphone }) => {
    const softphone = await openSoftphone({ signInAs: 'Alice' });
    const { page } = softphone;
    await softphone.core.handlers.updateSettings({ dtmf: { extendedKeys: true } });
    await addAliceAccount(softphone, keys);
    await expect(page.getByLabel('Call with').getByRole('option', { name: `Alice Example (sip:alice@${chain.domain})`, exact: true })).toBeAttached();

    const bob = chain.baresip.bob!.control;
    await callThroughSip(page, 'bob');
    await expect(page.getByRole('status').filter({ hasText: 'In call with bob' })).toBeVisible();
    // baresip's tone comes back through rtpengine: audio louder than silence.
    await expect.poll(async () => (await inboundTotals(page)).audioLevel, { timeout: 10_000 }).toBeGreaterThan(0.01);

    await sendAllKeys(page);
    await expect.poll(() => bob.dtmfKeys.join(''), { timeout: 20_000 }).toBe(ALL_KEYS);

    const before = bob.events.length;
    await page.getByRole('button', { name: 'Hang up' }).click();
    await bob.waitForEvent((e) => e.type === 'CALL_CLOSED', 10_000, before);
    await expect(page.getByRole('status').filter({ hasText: 'Call ended' })).toBeVisible();
  });
}

test('hanging up while it still rings cancels the call at the far end', async ({ openSoftphone }) => {
  const carol = await chain.startBaresip({ ...CAROL, answerMode: 'manual' });
  const softphone = await openSoftphone({ signInAs: 'Alice' });
  await addAliceAccount(softphone);
  await expectRegistered(softphone);
  const before = carol.control.events.length;
  await callThroughSip(softphone.page, 'carol');
  await carol.control.waitForEvent((e) => e.type === 'CALL_INCOMING', 10_000, before);
  await expect(softphone.page.getByRole('status').filter({ hasText: 'Ringing carol' })).toBeVisible();
  await softphone.page.getByRole('button', { name: 'Hang up' }).click();
  await carol.control.waitForEvent((e) => e.type === 'CALL_CLOSED', 10_000, before);
  await expect(softphone.page.getByRole('status').filter({ hasText: 'Call ended' })).toBeVisible();
});

test('a contact with an app name and a SIP address: the user picks the SIP address, and the call goes through the SIP account', async ({ openSoftphone }) => {
  const softphone = await openSoftphone({ signInAs: 'Alice' });
  await addAliceAccount(softphone);
  await expectRegistered(softphone);
  await softphone.core.handlers.addContact({
    name: 'Bob Builder',
    addresses: [
      { kind: 'app', value: 'Bob' },
      { kind: 'sip', value: `sip:bob@${chain.domain}`, label: 'Desk' },
    ],
  });
  const page = softphone.page;
  await page.getByText('More…').click();
  await page.getByRole('button', { name: `Call Bob Builder at sip:bob@${chain.domain} (Desk)`, exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: /In call with/ })).toBeVisible();
  // baresip answered a SIP call: its tone comes back.
  await expect.poll(async () => (await inboundTotals(page)).audioLevel, { timeout: 10_000 }).toBeGreaterThan(0.01);
  const bob = chain.baresip.bob!.control;
  const before = bob.events.length;
  await page.getByRole('button', { name: 'Hang up' }).click();
  await bob.waitForEvent((e) => e.type === 'CALL_CLOSED', 10_000, before);
});

test.describe('video with a SIP phone that has a camera', () => {
  test('the softphone video-calls it and sees its picture', async ({ openSoftphone }) => {
    const phone = await chain.startBaresip({ user: 'carol', password: CAROL.password, answerMode: 'auto', video: true });
    const softphone = await openSoftphone({ signInAs: 'Alice' });
    await addAliceAccount(softphone);
    await expectRegistered(softphone);
    const page = softphone.page;
    await page.getByLabel('Call with').selectOption({ label: `Alice Example (sip:${ALICE.user}@${chain.domain})` });
    await page.getByLabel('Dial').fill('carol');
    await page.getByRole('button', { name: 'Video call', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'In call with carol' })).toBeVisible();
    await expect.poll(async () => (await inboundTotals(page)).framesDecoded, { timeout: 15_000 }).toBeGreaterThan(10);
    const before = phone.control.events.length;
    await page.getByRole('button', { name: 'Hang up' }).click();
    await phone.control.waitForEvent((e) => e.type === 'CALL_CLOSED', 10_000, before);
  });

  test('it video-calls the softphone: the ringing panel says video call, and after Accept its picture shows', async ({ openSoftphone }) => {
    const phone = await chain.startBaresip({ user: 'carol', password: CAROL.password, answerMode: 'manual', video: true });
    const softphone = await openSoftphone({ signInAs: 'Alice' });
    await addAliceAccount(softphone);
    await expectRegistered(softphone);
    await phone.control.dial(`sip:alice@${chain.domain}`);
    const ringing = softphone.page.getByRole('alertdialog');
    await expect(ringing).toContainText('Incoming call from carol');
    await expect(ringing).toContainText('Video call');
    await softphone.page.getByRole('button', { name: 'Accept' }).click();
    await expect.poll(async () => (await inboundTotals(softphone.page)).framesDecoded, { timeout: 15_000 }).toBeGreaterThan(10);
  });
});

test('baresip hangs up and the softphone shows the call ended', async ({ openSoftphone }) => {
  const softphone = await openSoftphone({ signInAs: 'Alice' });
  await addAliceAccount(softphone);
  await callThroughSip(softphone.page, 'bob');
  await expect(softphone.page.getByRole('status').filter({ hasText: 'In call with bob' })).toBeVisible();
  await chain.baresip.bob!.control.hangup();
  await expect(softphone.page.getByRole('status').filter({ hasText: 'bob hung up' })).toBeVisible();
});

test('a wrong password is told in words, and calling through that account is not offered', async ({ openSoftphone }) => {
  const softphone = await openSoftphone({ signInAs: 'Alice' });
  const id = await addAliceAccount(softphone, 'rfc4733', 'not-the-password');
  await expect.poll(async () => (await softphone.core.handlers.getSnapshot()).sipAccounts.find((a) => a.id === id)).toMatchObject({
    status: 'failed',
    message: expect.stringMatching(/password|Forbidden/),
  });
  await expect(softphone.page.getByLabel('Call with').getByRole('option', { name: /Alice Example .*\(not available\)/ })).toBeAttached();
});

test.describe('baresip calls the softphone', () => {
  test('it rings with the caller shown; Alice accepts, hears it, and hangs up', async ({ openSoftphone }) => {
    const softphone = await openSoftphone({ signInAs: 'Alice' });
    await addAliceAccount(softphone);
    await expectRegistered(softphone);
    const bob = chain.baresip.bob!.control;
    await bob.dial(`sip:alice@${chain.domain}`);

    const page = softphone.page;
    const ringing = page.getByRole('alertdialog');
    await expect(ringing).toContainText('Incoming call from bob');
    await expect(ringing).toContainText(`bob@${chain.domain}`);
    await expect(ringing).toContainText(`Audio call on Alice Example (sip:alice@${chain.domain})`);
    await page.getByRole('button', { name: 'Accept' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'In call with bob' })).toBeVisible();
    await expect.poll(async () => (await inboundTotals(page)).audioLevel, { timeout: 10_000 }).toBeGreaterThan(0.01);
    const before = bob.events.length;
    await page.getByRole('button', { name: 'Hang up' }).click();
    await bob.waitForEvent((e) => e.type === 'CALL_CLOSED', 10_000, before);
  });

  test('Alice declines, and baresip hears that she declined', async ({ openSoftphone }) => {
    const softphone = await openSoftphone({ signInAs: 'Alice' });
    await addAliceAccount(softphone);
    await expectRegistered(softphone);
    const bob = chain.baresip.bob!.control;
    const before = bob.events.length;
    await bob.dial(`sip:alice@${chain.domain}`);
    await softphone.page.getByRole('button', { name: 'Decline' }).click();
    const closed = await bob.waitForEvent((e) => e.type === 'CALL_CLOSED', 10_000, before);
    expect(JSON.stringify(closed)).toMatch(/603|Decline/i);
  });

  test('a caller who gives up leaves a missed call', async ({ openSoftphone }) => {
    const softphone = await openSoftphone({ signInAs: 'Alice' });
    await addAliceAccount(softphone);
    await expectRegistered(softphone);
    const bob = chain.baresip.bob!.control;
    await bob.dial(`sip:alice@${chain.domain}`);
    await expect(softphone.page.getByRole('button', { name: 'Accept' })).toBeVisible();
    await bob.hangup();
    await expect(softphone.page.getByText(/Missed call from bob/)).toBeVisible();
  });
});

test('registration survives a Kamailio restart: the account shows failed while it is down, then registers again', async ({ openSoftphone }) => {
  const softphone = await openSoftphone({ signInAs: 'Alice' });
  const id = await addAliceAccount(softphone);
  await expectRegistered(softphone);
  const bob = chain.baresip.bob!.control;
  await chain.kamailio.stop();
  const bobBefore = bob.events.length;
  await expect.poll(async () => (await softphone.core.handlers.getSnapshot()).sipAccounts.find((a) => a.id === id)?.status).toBe('failed');
  expect((await softphone.core.handlers.getSnapshot()).sipAccounts.find((a) => a.id === id)?.message).toMatch(/SIP server/);
  await chain.kamailio.restart();
  await expectRegistered(softphone, 30_000);
  // And calls work again, once baresip (which re-registers on its own schedule, every 10 s here) is back too.
  await bob.waitForEvent((e) => e.type === 'REGISTER_OK', 30_000, bobBefore);
  await callThroughSip(softphone.page, 'bob');
  await expect(softphone.page.getByRole('status').filter({ hasText: 'In call with bob' })).toBeVisible();
});

test.describe('early media: the far end plays ringback while it rings', () => {
  /**
   * Alice, registered, calls Carol, whose phone answers 183 with SDP; resolves
   * once that media is heard while it rings, with the sources (SSRCs) it came from.
   */
  async function callCarolAndHearEarlyMedia(softphone: Softphone) {
    const { page } = softphone;
    await addAliceAccount(softphone);
    await expectRegistered(softphone);
    const carol = (await chain.startBaresip({ ...CAROL, answerMode: 'early' })).control;
    await callThroughSip(page, 'carol');
    const ringing = page.getByRole('status').filter({ hasText: 'Ringing carol…' });
    await expect(ringing).toBeVisible();
    await expect.poll(async () => (await inboundTotals(page)).audioLevel, { timeout: 10_000 }).toBeGreaterThan(0.01);
    // Heard while it still rings, and it is the far end's sound, not ringback made here.
    await expect(ringing).toBeVisible();
    expect(await page.locator('softphone-app').getAttribute('data-tone')).not.toBe('ringback');
    const earlySources = (await inboundTotals(page)).audioStreams.filter((s) => s.level > 0.01).map((s) => s.ssrc);
    return { carol, earlySources };
  }

  test('early media plays while the call rings, with no local ringback; the 200 connects the call and the phone itself is heard; hanging up sends BYE', async ({ openSoftphone }) => {
    const softphone = await openSoftphone({ signInAs: 'Alice' });
    const { page } = softphone;
    const { carol, earlySources } = await callCarolAndHearEarlyMedia(softphone);

    await carol.accept();
    await expect(page.getByRole('status').filter({ hasText: 'In call with carol' })).toBeVisible();
    // Now baresip's own tone, from a source the early media did not come from.
    await expect
      .poll(async () => (await inboundTotals(page)).audioStreams.some((s) => s.level > 0.01 && !earlySources.includes(s.ssrc)), { timeout: 10_000 })
      .toBe(true);

    const before = carol.events.length;
    await page.getByRole('button', { name: 'Hang up' }).click();
    // baresip reports a BYE received as the session reset by the peer.
    const closed = await carol.waitForEvent((e) => e.type === 'CALL_CLOSED', 10_000, before);
    expect(closed.param).toBe('Connection reset by peer');
    await expect(page.getByRole('status').filter({ hasText: 'Call ended' })).toBeVisible();
  });

  test('the far end turns the call away with 486 after early media: the softphone says the callee is busy', async ({ openSoftphone }) => {
    const softphone = await openSoftphone({ signInAs: 'Alice' });
    const { carol } = await callCarolAndHearEarlyMedia(softphone);
    // baresip turns away a call it has not answered with "486 Rejected".
    await carol.hangup();
    await expect(softphone.page.getByRole('status').filter({ hasText: 'carol is busy' })).toBeVisible();
  });
});

async function expectRegistered(softphone: Softphone, timeout = 10_000): Promise<void> {
  await expect.poll(async () => (await softphone.core.handlers.getSnapshot()).sipAccounts.map((a) => a.status), { timeout }).toContain('registered');
}
