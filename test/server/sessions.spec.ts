/**
 * Names in open mode: normalised, unique by their comparison key, and kept
 * by session tokens: a client that shows the token of an earlier claim gets
 * its name back, even across a server restart.
 */
import { test, expect } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { CloseCode } from '../../common/signaling-protocol.ts';
import { startSignalingServer, type SignalingServer, type SignalingServerOptions } from '../../server/signaling-server.ts';
import { RawPeer, connectAndSend, quiet, signIn } from './support.ts';

const servers: SignalingServer[] = [];
const peers: RawPeer[] = [];

async function startServer(options: SignalingServerOptions = {}): Promise<SignalingServer> {
  const server = await startSignalingServer({ log: quiet, ...options });
  servers.push(server);
  return server;
}

async function featured(url: string, name: string, extra: object = {}): Promise<RawPeer> {
  const peer = await connectAndSend(url, name, { features: ['presence-delta'], ...extra });
  peers.push(peer);
  return peer;
}

async function tutorial(url: string, name: string): Promise<RawPeer> {
  const peer = await signIn(url, name);
  peers.push(peer);
  return peer;
}

test.afterEach(async () => {
  for (const peer of peers.splice(0)) peer.close();
  for (const server of servers.splice(0)) await server.close();
});

test('welcome (with a session token) goes only to clients that announced features; tutorial clients never see one', async () => {
  const server = await startServer();
  const modern = await featured(server.url, 'modern');
  await expect(modern.waitForType('welcome')).resolves.toEqual({ type: 'welcome', name: 'modern', session: expect.stringMatching(/^ey/) });
  await modern.waitForUserList(['modern']);
  const old = await tutorial(server.url, 'old');
  await modern.waitFor((m) => m.type === 'user-joined', 'old joining');
  expect(old.received.map((m) => m.type)).toEqual(['id', 'userlist']);
});

test('after a restart with the same secret, Bob gets his name back and the squatter is renamed', async () => {
  const secret = randomBytes(32);
  const first = await startServer({ sessionSecret: secret });
  const bob = await featured(first.url, 'Bob');
  const { session } = await bob.waitForType('welcome');
  const port = first.port;
  await first.close();
  await expect(bob.closed).resolves.toMatchObject({ code: CloseCode.ServiceRestart });

  const restarted = await startServer({ port, sessionSecret: secret });
  const squatter = await tutorial(restarted.url, 'Bob');
  expect(restarted.users()).toEqual(['Bob']);

  const returning = await featured(restarted.url, 'Bob', { session });
  await expect(returning.waitForType('welcome')).resolves.toMatchObject({ name: 'Bob' });
  expect(returning.all('rejectusername')).toEqual([]);
  await expect(squatter.waitForType('rejectusername')).resolves.toEqual({ type: 'rejectusername', name: 'Bob1' });
  await squatter.waitForUserList(['Bob', 'Bob1']);
  await returning.waitForUserList(['Bob', 'Bob1']);

  // Calls reach the real Bob.
  squatter.send({ type: 'hang-up', target: 'Bob', callId: 'c1' });
  await expect(returning.waitForType('hang-up')).resolves.toMatchObject({ name: 'Bob1', callId: 'c1' });
});

test('a token from a later claim does not take a name from its earlier holder', async () => {
  const secret = randomBytes(32);
  const first = await startServer({ sessionSecret: secret });
  const bob = await featured(first.url, 'Bob');
  const bobToken = (await bob.waitForType('welcome')).session;
  const port = first.port;
  await first.close();

  const restarted = await startServer({ port, sessionSecret: secret });
  const squatter = await featured(restarted.url, 'Bob');
  const squatterToken = (await squatter.waitForType('welcome')).session;
  expect(squatterToken).not.toBe(bobToken);

  const returning = await featured(restarted.url, 'Bob', { session: bobToken });
  await returning.waitForType('welcome');
  await expect(squatter.waitForType('rejectusername')).resolves.toMatchObject({ name: 'Bob1' });
  // The renamed squatter gets a token for its new name, and its old token cannot win "Bob" back.
  await expect(squatter.waitForType('welcome')).resolves.toMatchObject({ name: 'Bob1' });
  squatter.close();
  const again = await featured(restarted.url, 'Bob', { session: squatterToken });
  await expect(again.waitForType('rejectusername')).resolves.toMatchObject({ name: 'Bob1' });
  expect(restarted.users()).toEqual(['Bob', 'Bob1']);
  expect(returning.socket.readyState).toBe(returning.socket.OPEN);
});

test('a second socket of the same session replaces the stale one', async () => {
  const server = await startServer();
  const watcher = await tutorial(server.url, 'watcher');
  const stale = await featured(server.url, 'Carol');
  const { session } = await stale.waitForType('welcome');
  await watcher.waitForUserList(['watcher', 'Carol']);

  const fresh = await featured(server.url, 'Carol', { session });
  await expect(fresh.waitForType('welcome')).resolves.toMatchObject({ name: 'Carol' });
  await expect(stale.closed).resolves.toMatchObject({ code: CloseCode.Replaced });
  watcher.send({ type: 'hang-up', target: 'Carol', callId: 'to-fresh' });
  await expect(fresh.waitForType('hang-up')).resolves.toMatchObject({ callId: 'to-fresh' });
  expect(server.users()).toEqual(['watcher', 'Carol']);
});

test('without a valid token a taken name gets the tutorial rename; a forged or foreign token counts for nothing', async () => {
  const server = await startServer();
  const other = await startServer();
  await tutorial(server.url, 'Dana');
  const foreign = await featured(other.url, 'Dana');
  const foreignToken = (await foreign.waitForType('welcome')).session as string;

  const forged = await featured(server.url, 'Dana', { session: `${foreignToken.slice(0, -4)}AAAA` });
  await expect(forged.waitForType('rejectusername')).resolves.toMatchObject({ name: 'Dana1' });
  const wrongServer = await featured(server.url, 'Dana', { session: foreignToken });
  await expect(wrongServer.waitForType('rejectusername')).resolves.toMatchObject({ name: 'Dana2' });
});

test('names are normalised and unique by their comparison key', async () => {
  const server = await startServer();
  const first = await tutorial(server.url, 'Bob');
  const wide = await connectAndSend(server.url, 'ｂｏｂ');
  peers.push(wide);
  // NFKC makes the full-width letters plain; "bob" and "Bob" are one name, so it is renamed.
  await expect(wide.waitForType('rejectusername')).resolves.toEqual({ type: 'rejectusername', name: 'bob1' });
  const spaced = await connectAndSend(server.url, '  Mary   Ann ');
  peers.push(spaced);
  await expect(spaced.waitForType('rejectusername')).resolves.toEqual({ type: 'rejectusername', name: 'Mary Ann' });
  await first.waitForUserList(['Bob', 'bob1', 'Mary Ann']);
  // Routing goes by the key too.
  wide.send({ type: 'hang-up', target: 'BOB', callId: 'k' });
  await expect(first.waitForType('hang-up')).resolves.toMatchObject({ name: 'bob1', target: 'BOB' });
});

test('look-alike names are refused with invalid-name: closed at sign-in, kept on a rename', async () => {
  const server = await startServer();
  // A Cyrillic "о" among Latin letters.
  const disguised = await connectAndSend(server.url, 'B\u043eb');
  peers.push(disguised);
  await expect(disguised.waitForError('invalid-name')).resolves.toMatchObject({ inReplyTo: 'username', message: expect.stringContaining('scripts') });
  await expect(disguised.closed).resolves.toMatchObject({ code: CloseCode.SignInRefused });

  const eve = await tutorial(server.url, 'eve');
  // A Hangul filler: a "letter" that shows as nothing.
  eve.send({ type: 'username', name: 'e\u3164ve' });
  await expect(eve.waitForError('invalid-name')).resolves.toMatchObject({ message: expect.stringContaining('invisible') });
  expect(eve.socket.readyState).toBe(eve.socket.OPEN);
  expect(server.users()).toEqual(['eve']);
});
