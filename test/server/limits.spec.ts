/**
 * Resource limits: what a client that does not read, does not sign in,
 * sends too much or sends something nasty meets, and that everyone else
 * goes on being served.
 */
import { test, expect } from '@playwright/test';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Socket } from 'node:net';
import { CloseCode, MAX_MESSAGE_BYTES } from '../../common/signaling-protocol.ts';
import { startSignalingServer, type SignalingServer, type SignalingServerOptions } from '../../server/signaling-server.ts';
import { RawPeer, expectServerStillServes, httpGet, killClis, metricValue, quiet, requireBuiltCli, runCli, signIn } from './support.ts';

let server: SignalingServer | undefined;
const peers: RawPeer[] = [];

async function startServer(options: SignalingServerOptions = {}): Promise<SignalingServer> {
  server = await startSignalingServer({ log: quiet, ...options });
  return server;
}

async function peer(url: string, name: string): Promise<RawPeer> {
  const signedIn = await signIn(url, name);
  peers.push(signedIn);
  return signedIn;
}

/** Waits until the server has handled everything `sender` sent so far (it routes a message back to its sender). */
async function drained(sender: RawPeer, name: string, marker: string): Promise<void> {
  sender.send({ type: 'hang-up', target: name, callId: marker });
  await sender.waitFor((m) => m.type === 'hang-up' && m.callId === marker, `marker ${marker}`, 30_000);
}

test.afterEach(async () => {
  for (const p of peers.splice(0)) p.close();
  killClis();
  await server?.close();
  server = undefined;
});

test.describe('slow readers', () => {
  let folder: string;
  test.beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'signaling-limits-'));
  });
  test.afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  test('a client that stops reading is closed with SlowReader; the server stays small and keeps serving others', async () => {
    requireBuiltCli();
    const maxQueuedBytes = 256 * 1024;
    const config = path.join(folder, 'server.json');
    await writeFile(config, JSON.stringify({ port: 0, maxQueuedBytes, rateLimit: 0 }));
    const cli = runCli(['--config', config]);
    const url = await cli.url();

    const reader = await peer(url, 'reader');
    const sender = await peer(url, 'sender');
    const bystander = await peer(url, 'bystander');
    const rssBefore = metricValue((await httpGet(url, '/metrics')).body, 'process_resident_memory_bytes')!;

    // The reader's app hangs: it reads nothing more from its socket (ws would resume the socket by itself).
    const tcp = (reader.socket as unknown as { _socket: Socket })._socket;
    const resume = tcp.resume;
    tcp.resume = () => tcp;
    tcp.pause();
    const offer = { type: 'offer', sdp: `v=0 ${'x'.repeat(MAX_MESSAGE_BYTES - 2000)}` };
    // Keep aiming at the reader well past what the kernel's socket buffers and its allowance hold.
    const aimedBytes = 128 * 1024 * 1024;
    let sentBytes = 0;
    let droppedAfter: number | null = null;
    for (let round = 0; sentBytes < aimedBytes; round++) {
      for (let i = 0; i < 20; i++) sender.send({ type: 'video-offer', target: 'reader', callId: `c${round}-${i}`, sdp: offer });
      sentBytes += 20 * offer.sdp.length;
      await drained(sender, 'sender', `round-${round}`);
      if (droppedAfter === null && sender.received.some((m) => m.type === 'error' && m.code === 'unknown-target' && m.target === 'reader')) {
        droppedAfter = sentBytes;
      }
    }
    expect(droppedAfter, 'the reader was dropped').not.toBeNull();
    expect(droppedAfter!).toBeLessThan(aimedBytes / 2);

    const metrics = (await httpGet(url, '/metrics')).body;
    // What waits for the reader is its allowance plus at most one message, not what was sent at it…
    expect(metricValue(metrics, 'signaling_bytes_queued')).toBeLessThanOrEqual(maxQueuedBytes + MAX_MESSAGE_BYTES + 4096);
    // …so the process did not grow by what was aimed at the reader.
    const grownBy = metricValue(metrics, 'process_resident_memory_bytes')! - rssBefore;
    console.log(`slow reader: dropped after ${(droppedAfter! / 2 ** 20).toFixed(1)} MiB; RSS grew ${(grownBy / 2 ** 20).toFixed(1)} MiB while ${(sentBytes / 2 ** 20).toFixed(0)} MiB were aimed at it`);
    expect(grownBy).toBeLessThan(sentBytes / 2);
    expect(metricValue(metrics, 'signaling_closes_total', `{code="${CloseCode.SlowReader}"}`)).toBe(1);

    // The others saw the reader leave, and calls still go through.
    await bystander.waitForUserList(['sender', 'bystander']);
    await expectServerStillServes(url);

    // If the reader wakes up in time, it reads what was queued and then why it was closed.
    tcp.resume = resume;
    tcp.resume();
    await expect(reader.closed).resolves.toMatchObject({ code: CloseCode.SlowReader });
  });
});

test.describe('sign-in deadline', () => {
  test('closes a connection that does not sign in in time with SignInTimeout; signed-in ones stay', async () => {
    await startServer({ signInTimeoutMs: 300 });
    const lurker = await RawPeer.open(server!.url);
    peers.push(lurker);
    const alice = await peer(server!.url, 'alice');
    await expect(lurker.closed).resolves.toMatchObject({ code: CloseCode.SignInTimeout });
    // Alice connected at the same moment and is past the deadline too, but she signed in.
    const lateComer = await RawPeer.open(server!.url);
    peers.push(lateComer);
    await expect(lateComer.closed).resolves.toMatchObject({ code: CloseCode.SignInTimeout });
    expect(alice.socket.readyState).toBe(alice.socket.OPEN);
    await expectServerStillServes(server!.url);
  });
});

test.describe('hostile frames', () => {
  test('a frame over MAX_MESSAGE_BYTES closes with 1009, even before sign-in', async () => {
    await startServer();
    const stranger = await RawPeer.open(server!.url);
    peers.push(stranger);
    stranger.socket.send('['.repeat(MAX_MESSAGE_BYTES + 1));
    await expect(stranger.closed).resolves.toMatchObject({ code: CloseCode.MessageTooBig });
    await expectServerStillServes(server!.url);
  });

  test('deeply nested JSON gets an error reply and the server goes on', async () => {
    await startServer();
    const alice = await peer(server!.url, 'alice');
    await peer(server!.url, 'bob');
    const depth = Math.floor((MAX_MESSAGE_BYTES - 100) / 2);
    alice.socket.send(`${'['.repeat(depth)}${']'.repeat(depth)}`);
    await alice.waitForError('bad-message');
    const inner = Math.floor((MAX_MESSAGE_BYTES - 200) / 2);
    alice.socket.send(`{"type":"video-offer","target":"bob","sdp":${'['.repeat(inner)}${']'.repeat(inner)}}`);
    await expect(alice.waitForError('bad-message')).resolves.toMatchObject({ inReplyTo: 'video-offer' });
    const objects = Math.floor((MAX_MESSAGE_BYTES - 200) / 6);
    alice.socket.send(`{"type":"username","name":"x","features":${'{"a":'.repeat(objects)}1${'}'.repeat(objects)}}`);
    await expect(alice.waitForError('bad-message')).resolves.toMatchObject({ inReplyTo: 'username' });
    alice.socket.send(`{"type":"username","name":"x","features":[${Array(10_000).fill('"f"').join(',')}]}`);
    const tooMany = await alice.waitForError('bad-message');
    expect((tooMany.message as string).length).toBeLessThanOrEqual(501);
    expect(server!.users()).toEqual(['alice', 'bob']);
    await expectServerStillServes(server!.url);
  });
});

test.describe('rate limits', () => {
  test('the default budget carries a real call: a burst of ICE candidates and fast keys', async () => {
    await startServer();
    const alice = await peer(server!.url, 'alice');
    const ivr = await peer(server!.url, 'ivr');
    const candidate = { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 };
    alice.send({ type: 'video-offer', target: 'ivr', callId: 'call', sdp: { type: 'offer', sdp: 'v=0\r\n' } });
    for (let i = 0; i < 60; i++) alice.send({ type: 'new-ice-candidate', target: 'ivr', callId: 'call', candidate });
    for (let i = 0; i < 100; i++) alice.send({ type: 'dtmf', target: 'ivr', callId: 'call', tones: '1', durationMs: 40 });
    alice.send({ type: 'hang-up', target: 'ivr', callId: 'end' });
    await ivr.waitFor((m) => m.type === 'hang-up' && m.callId === 'end', 'the hang-up after the burst');
    expect(ivr.all('new-ice-candidate')).toHaveLength(60);
    expect(ivr.all('dtmf')).toHaveLength(100);
    expect(alice.all('error')).toEqual([]);
  });

  test('rateLimit null turns the message budget off', async () => {
    await startServer({ rateLimit: null });
    const alice = await peer(server!.url, 'alice');
    const bob = await peer(server!.url, 'bob');
    for (let i = 0; i < 3000; i++) alice.send({ type: 'dtmf', target: 'bob', tones: '1', callId: `k${i}` });
    await bob.waitFor((m) => m.type === 'dtmf' && m.callId === 'k2999', 'the last key');
    expect(bob.all('dtmf')).toHaveLength(3000);
    expect(alice.all('error')).toEqual([]);
  });

  test('renames are limited: after a few, rate-limited, and the connection keeps its name', async () => {
    await startServer({ rateLimit: null });
    const watcher = await peer(server!.url, 'watcher');
    const fickle = await peer(server!.url, 'fickle');
    for (let i = 0; i < 30; i++) fickle.send({ type: 'username', name: `name${i}` });
    await expect(fickle.waitForError('rate-limited')).resolves.toMatchObject({ inReplyTo: 'username' });
    await drained(fickle, 'name9', 'after');
    expect(fickle.socket.readyState).toBe(fickle.socket.OPEN);
    expect(server!.users()).toEqual(['watcher', 'name9']);
    await watcher.waitForUserList(['watcher', 'name9']);
  });
});
