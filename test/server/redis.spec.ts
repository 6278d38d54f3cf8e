/**
 * Scale-out: two server processes share users through one Redis. A call
 * crosses nodes, names stay unique across them, and when a node is killed
 * outright the other removes its users and takes them in when they return.
 */
import { test, expect } from '@playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CloseCode } from '../../common/signaling-protocol.ts';
import { RawPeer, answerSdp, connectAndSend, killClis, offerSdp, requireBuiltCli, runCli, signIn, type RunningCli } from './support.ts';

let folder: string;
let redis: ChildProcess;
let redisUrl: string;
const peers: RawPeer[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

// Redis has no Windows build: the Windows CI runner skips these; Linux and macOS run them, and fail without it.
const redisMissingOnWindows = process.platform === 'win32' && spawnSync('redis-server', ['--version']).status !== 0;
test.skip(redisMissingOnWindows, 'redis-server is not available on Windows; these tests run on Linux and macOS');

test.beforeAll(async () => {
  requireBuiltCli();
  if (spawnSync('redis-server', ['--version']).status !== 0) throw new Error('These tests need redis-server (apt-get install redis-server)');
  folder = await mkdtemp(path.join(tmpdir(), 'signaling-redis-'));
  const port = await freePort();
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: 'ignore' });
  redisUrl = `redis://127.0.0.1:${port}`;
  await expect.poll(() => accepts(port), { message: 'redis-server accepting connections' }).toBe(true);
  // Every node signs session tokens with the same secret, so a client can resume on any of them.
  await writeFile(
    path.join(folder, 'node.json'),
    JSON.stringify({ port: 0, redis: redisUrl, heartbeatIntervalMs: 300, sessionSecretFile: 'session-secret' }),
  );
});

test.afterAll(async () => {
  if (redis?.pid) process.kill(redis.pid, 'SIGKILL');
  await rm(folder, { recursive: true, force: true });
});

test.afterEach(() => {
  for (const peer of peers.splice(0)) peer.close();
  killClis();
});

async function node(): Promise<{ cli: RunningCli; url: string }> {
  const cli = runCli(['--config', path.join(folder, 'node.json')]);
  return { cli, url: await cli.url() };
}

async function delta(url: string, name: string, extra: object = {}): Promise<RawPeer> {
  const peer = await connectAndSend(url, name, { features: ['presence-delta'], ...extra });
  peers.push(peer);
  return peer;
}

/** The list a delta client has in mind. */
function viewOf(peer: RawPeer): string[] {
  const view: string[] = [];
  for (const message of peer.received) {
    if (message.type === 'userlist') view.splice(0, view.length, ...(message.users as string[]));
    if (message.type === 'user-joined') view.push(...(message.names as string[]));
    if (message.type === 'user-left') for (const name of message.names as string[]) view.splice(view.indexOf(name), 1);
  }
  return view;
}

test('two nodes share users and calls; a killed node’s users leave and come back through the other', async () => {
  const a = await node();
  const b = await node();

  const alice = await delta(a.url, 'Alice');
  const { session } = await alice.waitForType('welcome');
  const bob = await signIn(b.url, 'Bob');
  peers.push(bob);
  await expect.poll(() => viewOf(alice)).toEqual(['Alice', 'Bob']);
  await expect.poll(() => bob.all('userlist').at(-1)?.users).toEqual(['Alice', 'Bob']);

  // A call across nodes, the tutorial way on Bob's side (answers to msg.name, hangs up with target null).
  alice.send({ type: 'video-offer', target: 'Bob', callId: 'x1', sdp: offerSdp });
  const offer = await bob.waitForType('video-offer');
  expect(offer).toMatchObject({ name: 'Alice', sid: expect.any(String), callId: 'x1', sdp: offerSdp });
  bob.send({ type: 'video-answer', name: 'Bob', target: offer.name, sdp: answerSdp });
  await expect(alice.waitForType('video-answer')).resolves.toMatchObject({ name: 'Bob', sdp: answerSdp });
  bob.send({ type: 'new-ice-candidate', target: 'Alice', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0 } });
  await expect(alice.waitForType('new-ice-candidate')).resolves.toMatchObject({ name: 'Bob' });
  bob.send({ type: 'hang-up', name: 'Bob', target: null });
  await expect(alice.waitForType('hang-up')).resolves.toMatchObject({ name: 'Bob', target: 'Alice' });

  // Names are unique across nodes, and chat reaches both.
  const otherBob = await connectAndSend(a.url, 'bob');
  peers.push(otherBob);
  await expect(otherBob.waitForType('rejectusername')).resolves.toMatchObject({ name: 'bob1' });
  bob.send({ type: 'message', text: 'hello both nodes' });
  await expect(alice.waitForType('message')).resolves.toMatchObject({ name: 'Bob', text: 'hello both nodes' });
  otherBob.close();
  await expect.poll(() => viewOf(alice)).toEqual(['Alice', 'Bob']);

  // Node A dies without a chance to clean up.
  a.cli.child.kill('SIGKILL');
  await expect(alice.closed).resolves.toMatchObject({ code: 1006 });
  // B notices A's heartbeat expired and removes A's users.
  await bob.waitForUserList(['Bob']);

  const back = await delta(b.url, 'Alice', { session });
  await expect(back.waitForType('welcome')).resolves.toMatchObject({ name: 'Alice' });
  expect(back.all('rejectusername')).toEqual([]);
  await bob.waitForUserList(['Bob', 'Alice']);
  bob.send({ type: 'ringing', target: 'Alice', callId: 'x2' });
  await expect(back.waitForType('ringing')).resolves.toMatchObject({ name: 'Bob', callId: 'x2' });

  // A node that stops cleanly takes its users out at once and tells them to reconnect.
  b.cli.child.kill('SIGTERM');
  await expect(back.closed).resolves.toMatchObject({ code: CloseCode.ServiceRestart });
  await expect(b.cli.exited).resolves.toBe(0);
});

test('a taken name is claimed by exactly one client when both nodes are asked at once', async () => {
  const a = await node();
  const b = await node();
  const contenders = await Promise.all(
    Array.from({ length: 8 }, (_, i) => connectAndSend(i % 2 ? a.url : b.url, 'Popular')),
  );
  peers.push(...contenders);
  await Promise.all(contenders.map((peer) => peer.waitFor((m) => m.type === 'userlist', 'a list')));
  const names = contenders.map((peer) => (peer.all('rejectusername').at(-1)?.name as string | undefined) ?? 'Popular');
  expect(new Set(names).size).toBe(8);
  expect(names.filter((name) => name === 'Popular')).toHaveLength(1);
});
