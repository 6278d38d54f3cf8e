/**
 * The MDN tutorial client, read literally: its hang-up goes out with
 * `target: null` (it forgets the peer before sending). The server delivers
 * it to whoever that session was negotiating with, and to nobody else.
 */
import { test, expect } from '@playwright/test';
import { startSignalingServer, type SignalingServer } from '../../server/signaling-server.ts';
import { RawPeer, answerSdp, offerSdp, quiet, signIn } from './support.ts';

let server: SignalingServer;
const peers: RawPeer[] = [];

async function peer(name: string): Promise<RawPeer> {
  const signedIn = await signIn(server.url, name);
  peers.push(signedIn);
  return signedIn;
}

/** Sends a marker from `from` to `to` and waits for it: everything `from` sent to `to` before has arrived. */
async function marker(from: RawPeer, to: RawPeer, toName: string, callId: string): Promise<void> {
  from.send({ type: 'ringing', target: toName, callId });
  await to.waitFor((m) => m.type === 'ringing' && m.callId === callId, `marker ${callId}`);
}

test.beforeEach(async () => {
  server = await startSignalingServer({ log: quiet });
});

test.afterEach(async () => {
  for (const p of peers.splice(0)) p.close();
  await server.close();
});

test('a hang-up with target null reaches the call partner only, stamped, with the partner as target', async () => {
  const naomi = await peer('naomi');
  const alice = await peer('alice');
  const carol = await peer('carol');

  alice.send({ type: 'video-offer', target: 'naomi', callId: 'c1', sdp: offerSdp });
  await naomi.waitForType('video-offer');
  // The tutorial answers to msg.name and sends no call id.
  naomi.send({ type: 'video-answer', name: 'naomi', target: 'alice', sdp: answerSdp });
  await alice.waitForType('video-answer');

  naomi.send({ type: 'hang-up', name: 'naomi', target: null });
  await expect(alice.waitForType('hang-up')).resolves.toEqual({ type: 'hang-up', name: 'naomi', sid: expect.any(String), target: 'alice' });
  await marker(naomi, carol, 'carol', 'after-hang-up');
  expect(carol.all('hang-up')).toEqual([]);
  expect(naomi.all('error')).toEqual([]);

  // The call is over: another target-less hang-up goes nowhere.
  naomi.send({ type: 'hang-up', target: null });
  await marker(naomi, alice, 'alice', 'after-second');
  expect(alice.all('hang-up')).toHaveLength(1);
  expect(carol.all('hang-up')).toEqual([]);
});

test('the callee side of a tutorial call hangs up the caller, and an offer alone makes partners', async () => {
  const tutorial = await peer('tutorial');
  const softphone = await peer('softphone');
  const bystander = await peer('bystander');
  // The tutorial client calls; the softphone has not answered yet when the caller gives up.
  tutorial.send({ type: 'video-offer', name: 'tutorial', target: 'softphone', sdp: offerSdp });
  await softphone.waitForType('video-offer');
  tutorial.send({ type: 'hang-up', name: 'tutorial', target: null });
  await expect(softphone.waitForType('hang-up')).resolves.toMatchObject({ name: 'tutorial', target: 'softphone' });

  // And the other way round: the softphone's plain hang-up ends the link too.
  softphone.send({ type: 'video-offer', target: 'tutorial', callId: 'c2', sdp: offerSdp });
  await tutorial.waitForType('video-offer');
  tutorial.send({ type: 'video-answer', target: 'softphone', sdp: answerSdp });
  await softphone.waitForType('video-answer');
  tutorial.send({ type: 'hang-up', target: null });
  await expect(softphone.waitForType('hang-up')).resolves.toMatchObject({ name: 'tutorial' });
  await marker(tutorial, bystander, 'bystander', 'm');
  expect(bystander.all('hang-up')).toEqual([]);
});

test('a partner who left is not reached, not even someone who took its name since', async () => {
  const naomi = await peer('naomi');
  const alice = await peer('alice');
  alice.send({ type: 'video-offer', target: 'naomi', sdp: offerSdp });
  await naomi.waitForType('video-offer');
  alice.close();
  await naomi.waitForUserList(['naomi']);
  const newAlice = await peer('alice');
  naomi.send({ type: 'hang-up', target: null });
  await marker(naomi, newAlice, 'alice', 'm');
  expect(newAlice.all('hang-up')).toEqual([]);
});
