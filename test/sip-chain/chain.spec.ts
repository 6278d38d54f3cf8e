/**
 * The SIP test chain itself, proven with the real programs: Kamailio
 * registers and authenticates over UDP and WebSocket, relays calls and their
 * in-dialog requests between baresips and between a WebSocket client and a
 * baresip (through rtpengine), and takes registrations again after a restart.
 * Later tests rely on exactly these facts when the softphone joins the chain.
 */
import { test as base, expect } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import type { BaresipControl } from '../support/sip/baresip-control.ts';
import {
  sipChainMissing,
  startSipChain,
  type ChainBaresipOptions,
  type SipChain,
  type SipChainUser,
} from '../support/sip/sip-chain.ts';
import { calleeDialog, callerDialog, newTag, RawSipClient } from './raw-sip-client.ts';

interface SipFixture {
  /** A chain that is stopped after the test, whatever happened. */
  start(users: SipChainUser[]): Promise<SipChain>;
  /** A raw WebSocket SIP client on the chain, closed after the test. */
  client(chain: SipChain, user: string, password: string): Promise<RawSipClient>;
}

const test = base.extend<{ sip: SipFixture }>({
  // Playwright requires an object pattern here, even an empty one.
  sip: async ({}, use) => {
    const chains: SipChain[] = [];
    const clients: RawSipClient[] = [];
    await use({
      async start(users) {
        const chain = await startSipChain({ users });
        chains.push(chain);
        return chain;
      },
      async client(chain, user, password) {
        const client = await RawSipClient.connect(chain.wsUrl, { user, password, domain: chain.domain });
        clients.push(client);
        return client;
      },
    });
    for (const client of clients) client.close();
    for (const chain of chains) await chain.stop();
  },
});

const missing = sipChainMissing();
test.skip(missing !== null, missing ?? '');
// Several real processes per test; generous, as the machine may be busy.
test.setTimeout(120_000);

const established = (e: { type: string }) => e.type === 'CALL_ESTABLISHED';
const closed = (e: { type: string }) => e.type === 'CALL_CLOSED';

function registerOverWebSocket(client: RawSipClient, domain: string) {
  return client.requestWithAuth({ method: 'REGISTER', uri: `sip:${domain}`, headers: ['Expires: 300'] });
}

/** alice on a raw WebSocket client (registered), bob on baresip. */
async function aliceOnWebSocketBobOnBaresip(sip: SipFixture, bobOptions: ChainBaresipOptions) {
  const chain = await sip.start([
    { user: 'alice', password: 'alice-pw' },
    { user: 'bob', password: 'bob-pw', baresip: bobOptions },
  ]);
  const client = await sip.client(chain, 'alice', 'alice-pw');
  expect((await registerOverWebSocket(client, chain.domain)).response.status).toBe(200);
  return { bob: chain.baresip.bob, client };
}

test('baresip registers with its password; a wrong password is refused', async ({ sip }) => {
  const chain = await sip.start([
    { user: 'alice', password: 'alice-pw', baresip: true },
    { user: 'carol', password: 'carol-pw' },
  ]);
  expect(chain.baresip.alice.control.registration).toBe('registered');

  const wrong = await chain.startBaresip({ user: 'carol', password: 'not-carols', waitForRegistration: false });
  const failure = await wrong.control.waitForEvent((e) => e.type === 'REGISTER_FAIL' || e.type === 'REGISTER_OK');
  expect(failure.type).toBe('REGISTER_FAIL');
  expect(failure.param).toMatch(/^40[13] /);
  expect(wrong.control.registration).toBe('failed');
});

test('a WebSocket client is challenged, then registered with a digest computed by hand', async ({ sip }) => {
  const chain = await sip.start([{ user: 'alice', password: 'alice-pw' }]);
  const client = await sip.client(chain, 'alice', 'alice-pw');

  const { branch } = client.send({ method: 'REGISTER', uri: `sip:${chain.domain}`, headers: ['Expires: 300'] });
  const challenge = await client.response(branch);
  expect(challenge.status).toBe(401);
  expect(challenge.header('www-authenticate')).toMatch(new RegExp(`^Digest .*realm="${chain.domain}".*nonce="`));

  const { response } = await registerOverWebSocket(client, chain.domain);
  expect(response.status).toBe(200);
  expect(response.header('contact')).toContain(client.contact.slice(1, -1));
});

test('baresip calls baresip through Kamailio; keys arrive in order; hang-up closes both', async ({ sip }) => {
  const chain = await sip.start([
    { user: 'alice', password: 'alice-pw', baresip: true },
    { user: 'bob', password: 'bob-pw', baresip: { answerMode: 'auto' } },
  ]);
  const alice = chain.baresip.alice.control;
  const bob = chain.baresip.bob.control;

  await alice.dial(chain.baresip.bob.aor);
  await alice.waitForEvent(established);
  await bob.waitForEvent(established);

  const keys = ['1', '2', '3', '#', '*', '0', '9'];
  for (const key of keys) await sendKeyAndWait(alice, bob, key);
  expect(bob.dtmfKeys).toEqual(keys);

  await alice.hangup();
  await alice.waitForEvent(closed);
  await bob.waitForEvent(closed);
});

test('a WebSocket client calls baresip through rtpengine and sends a key as SIP INFO', async ({ sip }) => {
  const { bob, client } = await aliceOnWebSocketBobOnBaresip(sip, { answerMode: 'auto' });

  // A browser's kind of offer: baresip has no ICE, SRTP or DTLS module
  // loaded, so the call only connects because rtpengine turns it into plain RTP.
  const invite = await client.requestWithAuth({
    method: 'INVITE',
    uri: bob.aor,
    body: { type: 'application/sdp', text: browserLikeSdp('actpass') },
  });
  expect(invite.response.status).toBe(200);
  // baresip's answer, as rtpengine rewrote it for the WebRTC side.
  expectWebRtcSdp(invite.response.body);

  const dialog = callerDialog(invite.response);
  expect(dialog.routes.length).toBeGreaterThan(0);
  client.send({ method: 'ACK', uri: dialog.target, cseq: invite.cseq }, dialog);
  await bob.control.waitForEvent(established);

  // INFO is relayed in the dialog, and baresip reports the key.
  const info = client.send(
    { method: 'INFO', uri: dialog.target, body: { type: 'application/dtmf-relay', text: 'Signal=5\r\nDuration=160\r\n' } },
    dialog,
  );
  expect((await client.response(info.branch)).status).toBe(200);
  await bob.control.waitForEvent((e) => e.type === 'CALL_DTMF_START' && e.param === '5');
  expect(bob.control.dtmfKeys).toEqual(['5']);

  const bye = client.send({ method: 'BYE', uri: dialog.target }, dialog);
  expect((await client.response(bye.branch)).status).toBe(200);
  await bob.control.waitForEvent(closed);
});

test('baresip calls a WebSocket client: the offer arrives as WebRTC, in-dialog requests reach the client', async ({ sip }) => {
  const { bob, client } = await aliceOnWebSocketBobOnBaresip(sip, {});

  await bob.control.dial(client.aor);
  const invite = await client.request('INVITE');
  // What baresip offered (PCMU, PCMA, telephone-event/8000 over plain RTP),
  // as rtpengine rewrote it for a browser.
  expectWebRtcSdp(invite.body);
  expect(invite.body).toMatch(/a=rtpmap:8 PCMA\/8000/);
  expect(invite.body).toMatch(/a=rtpmap:\d+ telephone-event\/8000/);

  const toTag = newTag();
  client.reply(invite, 180, 'Ringing', { toTag });
  await bob.control.waitForEvent((e) => e.type === 'CALL_RINGING');
  client.reply(invite, 200, 'OK', { toTag, body: { type: 'application/sdp', text: browserLikeSdp('active') } });
  await bob.control.waitForEvent(established);
  // The ACK finds the client through Kamailio's record-route and the
  // WebSocket connection remembered for the client's Contact.
  await client.request('ACK');

  const dialog = calleeDialog(invite, toTag);
  const bye = client.send({ method: 'BYE', uri: dialog.target }, dialog);
  expect((await client.response(bye.branch)).status).toBe(200);
  await bob.control.waitForEvent(closed);
});

test('after a Kamailio restart on the same ports, baresip and WebSocket clients register again', async ({ sip }) => {
  const chain = await sip.start([
    // A short interval: baresip refreshes at about 90 % of it, and that
    // refresh is what registers it again with the restarted Kamailio.
    { user: 'alice', password: 'alice-pw', baresip: { registerIntervalSeconds: 10 } },
    { user: 'bob', password: 'bob-pw', baresip: { answerMode: 'auto', registerIntervalSeconds: 10 } },
    { user: 'carol', password: 'carol-pw' },
  ]);
  const alice = chain.baresip.alice.control;
  const bob = chain.baresip.bob.control;
  const { wsUrl, udpPort } = chain;
  const oldPid = chain.kamailio.process().pid;

  await chain.kamailio.restart();
  expect(chain.kamailio.process().pid).not.toBe(oldPid);
  expect([chain.kamailio.wsUrl, chain.kamailio.udpPort]).toEqual([wsUrl, udpPort]);

  const marks = { alice: alice.events.length, bob: bob.events.length };
  await alice.waitForEvent((e) => e.type === 'REGISTER_OK', 30_000, marks.alice);
  await bob.waitForEvent((e) => e.type === 'REGISTER_OK', 30_000, marks.bob);

  // The new Kamailio knows where bob is: a call reaches him.
  await alice.dial(chain.baresip.bob.aor);
  await alice.waitForEvent(established, 15_000, marks.alice);
  await alice.hangup();
  await bob.waitForEvent(closed, 15_000, marks.bob);

  const client = await sip.client(chain, 'carol', 'carol-pw');
  expect((await registerOverWebSocket(client, chain.domain)).response.status).toBe(200);
});

/** What rtpengine gives a WebRTC client: ICE, DTLS-SRTP and rtcp-mux, with PCMU among the codecs. */
function expectWebRtcSdp(sdp: string) {
  expect(sdp).toContain('UDP/TLS/RTP/SAVPF');
  expect(sdp).toContain('a=ice-ufrag:');
  expect(sdp).toContain('a=fingerprint:');
  expect(sdp).toContain('a=rtcp-mux');
  expect(sdp).toMatch(/a=rtpmap:0 PCMU\/8000/);
}

/** SDP as a browser writes it (ICE, DTLS-SRTP, rtcp-mux), with PCMU and telephone-event only. */
function browserLikeSdp(setup: 'actpass' | 'active'): string {
  const fingerprint = Array.from(randomBytes(32), (byte) => byte.toString(16).padStart(2, '0').toUpperCase()).join(':');
  return [
    'v=0',
    'o=- 1 1 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    'm=audio 9 UDP/TLS/RTP/SAVPF 0 101',
    'c=IN IP4 127.0.0.1',
    'a=rtcp:9 IN IP4 0.0.0.0',
    `a=ice-ufrag:${randomBytes(4).toString('hex')}`,
    `a=ice-pwd:${randomBytes(12).toString('hex')}`,
    `a=fingerprint:sha-256 ${fingerprint}`,
    `a=setup:${setup}`,
    'a=mid:0',
    'a=sendrecv',
    'a=rtcp-mux',
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-15',
    'a=candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host',
    '',
  ].join('\r\n');
}

/** Sends one key and waits until the other side has reported it. */
async function sendKeyAndWait(from: BaresipControl, to: BaresipControl, key: string) {
  const mark = to.events.length;
  await from.sendDtmf(key);
  await to.waitForEvent((e) => e.type === 'CALL_DTMF_END', 15_000, mark);
}
