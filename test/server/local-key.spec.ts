/**
 * The embedded server's local-key mode: client and server each prove they
 * know this OS user's key, answering the other's challenge, and nothing else
 * signs in.
 */
import { test, expect } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { isValidProof, keyProof, randomChallenge } from '../../common/local-key.ts';
import { CloseCode } from '../../common/signaling-protocol.ts';
import { startSignalingServer, type SignalingServer, type SignalingServerOptions } from '../../server/signaling-server.ts';
import { RawPeer, quiet } from './support.ts';

const key = randomBytes(32);
const servers: SignalingServer[] = [];
const peers: RawPeer[] = [];

async function startServer(options: SignalingServerOptions = {}): Promise<SignalingServer> {
  const server = await startSignalingServer({ log: quiet, auth: { mode: 'local-key', key }, ...options });
  servers.push(server);
  return server;
}

/** Signs in as the app does: answer the challenge with the key, send a nonce of our own. */
async function provenClient(url: string, name: string, options: { key?: Buffer; service?: boolean; session?: unknown } = {}) {
  const peer = await RawPeer.open(url);
  peers.push(peer);
  const { id, challenge } = await peer.waitForType('id');
  const nonce = randomChallenge();
  const proof = keyProof(options.key ?? key, 'client', challenge as string, nonce);
  peer.send({ type: 'username', name, id, features: ['presence-delta'], auth: { kind: 'key', nonce, proof, service: options.service }, session: options.session });
  return { peer, challenge: challenge as string, nonce };
}

test.afterEach(async () => {
  for (const peer of peers.splice(0)) peer.close();
  for (const server of servers.splice(0)) await server.close();
});

test('both sides prove the key: the client with its proof, the server in welcome', async () => {
  const server = await startServer();
  const { peer, challenge, nonce } = await provenClient(server.url, 'alice');
  expect(challenge.length).toBeGreaterThanOrEqual(16);
  const welcome = await peer.waitForType('welcome');
  expect(welcome).toMatchObject({ name: 'alice', session: expect.any(String), proof: expect.any(String) });
  expect(isValidProof(key, 'server', challenge, nonce, welcome.proof as string)).toBe(true);
  await peer.waitForUserList(['alice']);

  // Renaming later needs no second proof.
  peer.send({ type: 'username', name: 'alicia' });
  await peer.waitForUserList(['alicia']);
});

test('refuses a wrong proof, a replayed proof, a password and a client without proof', async () => {
  const server = await startServer();
  const wrongKey = await provenClient(server.url, 'mallory', { key: randomBytes(32) });
  await expect(wrongKey.peer.waitForError('auth-failed')).resolves.toMatchObject({ inReplyTo: 'username' });
  await expect(wrongKey.peer.closed).resolves.toMatchObject({ code: CloseCode.SignInRefused });

  // A proof made for another connection's challenge does not answer this one's.
  const honest = await provenClient(server.url, 'alice');
  await honest.peer.waitForType('welcome');
  const replay = await RawPeer.open(server.url);
  peers.push(replay);
  await replay.waitForType('id');
  replay.send({ type: 'username', name: 'eve', auth: { kind: 'key', nonce: honest.nonce, proof: keyProof(key, 'client', honest.challenge, honest.nonce) } });
  await replay.waitForError('auth-failed');
  await expect(replay.closed).resolves.toMatchObject({ code: CloseCode.SignInRefused });

  const password = await RawPeer.open(server.url);
  peers.push(password);
  await password.waitForType('id');
  password.send({ type: 'username', name: 'pat', auth: { kind: 'password', password: 'guess' } });
  await password.waitForError('auth-failed');
  await expect(password.closed).resolves.toMatchObject({ code: CloseCode.SignInRefused });

  // The tutorial client (or a web page's script) knows no key.
  const tutorial = await RawPeer.open(server.url);
  peers.push(tutorial);
  await tutorial.waitForType('id');
  tutorial.send({ type: 'username', name: 'tom' });
  await expect(tutorial.waitForError('auth-required')).resolves.toMatchObject({ inReplyTo: 'username' });
  await expect(tutorial.closed).resolves.toMatchObject({ code: CloseCode.SignInRefused });
  expect(server.users()).toEqual(['alice']);
});

test("the user's own service (the demo IVR) is not rate limited; other clients are", async () => {
  const server = await startServer({ rateLimit: { messagesPerSecond: 1, burst: 5 } });
  const ivr = await provenClient(server.url, 'Demo IVR', { service: true });
  const alice = await provenClient(server.url, 'alice');
  await alice.peer.waitFor((m) => m.type === 'user-joined' || (m.type === 'userlist' && (m.users as string[]).length === 2), 'both online');
  for (let i = 0; i < 40; i++) ivr.peer.send({ type: 'dtmf', target: 'alice', tones: '1', callId: `k${i}` });
  await alice.peer.waitFor((m) => m.type === 'dtmf' && m.callId === 'k39', 'the 40th key');
  expect(ivr.peer.all('error')).toEqual([]);
  for (let i = 0; i < 10; i++) alice.peer.send({ type: 'dtmf', target: 'Demo IVR', tones: '1' });
  await alice.peer.waitForError('rate-limited');
});

test('session tokens are signed with a secret derived from the key, so they survive a restart', async () => {
  const first = await startServer();
  const { peer } = await provenClient(first.url, 'alice');
  const { session } = await peer.waitForType('welcome');
  const port = first.port;
  await first.close();

  const restarted = await startServer({ port });
  const squatter = await provenClient(restarted.url, 'alice');
  await squatter.peer.waitForType('welcome');
  const back = await provenClient(restarted.url, 'alice', { session });
  await expect(back.peer.waitForType('welcome')).resolves.toMatchObject({ name: 'alice' });
  await expect(squatter.peer.waitForType('rejectusername')).resolves.toMatchObject({ name: 'alice1' });
});
