import { test, expect } from '@playwright/test';
import pino from 'pino';
import { WebSocket } from 'ws';
import { CloseCode, MAX_MESSAGE_BYTES } from '../../common/signaling-protocol.ts';
import { startSignalingServer, type SignalingServer, type SignalingServerOptions } from '../../server/signaling-server.ts';
import { RawPeer, answerSdp, expectServerStillServes, offerSdp, quiet, signIn } from './support.ts';

let server: SignalingServer;
const peers: RawPeer[] = [];

async function startServer(options: SignalingServerOptions = {}): Promise<SignalingServer> {
  server = await startSignalingServer({ log: quiet, ...options });
  return server;
}

async function peer(name: string, options?: { autoPong?: boolean }): Promise<RawPeer> {
  const signedIn = await signIn(server.url, name, options);
  peers.push(signedIn);
  return signedIn;
}

test.afterEach(async () => {
  for (const p of peers.splice(0)) p.close();
  await server?.close();
});

test.describe('sign-in', () => {
  test('sends an id, accepts a username and tells everyone who is online', async () => {
    await startServer();
    expect(server.url).toBe(`ws://127.0.0.1:${server.port}`);
    const alice = await RawPeer.open(server.url);
    peers.push(alice);
    const idMessage = await alice.waitForType('id');
    expect(idMessage.id).toBeDefined();
    alice.send({ type: 'username', name: 'alice', id: idMessage.id, date: Date.now() });
    await alice.waitForUserList(['alice']);

    const bob = await peer('bob');
    await alice.waitForUserList(['alice', 'bob']);
    expect(bob.received).toContainEqual({ type: 'userlist', users: ['alice', 'bob'] });
    expect(server.users()).toEqual(['alice', 'bob']);
  });

  test('gives a taken name a unique variant and says so with rejectusername', async () => {
    await startServer();
    const alice = await peer('alice');
    const second = await RawPeer.open(server.url);
    peers.push(second);
    await second.waitForType('id');
    second.send({ type: 'username', name: 'alice' });
    await expect(second.waitForType('rejectusername')).resolves.toEqual({ type: 'rejectusername', name: 'alice1' });
    await second.waitForUserList(['alice', 'alice1']);
    await alice.waitForUserList(['alice', 'alice1']);
  });

  test('keeps a uniquified long name within the name length limit', async () => {
    await startServer();
    const longName = 'x'.repeat(32);
    await peer(longName);
    const second = await RawPeer.open(server.url);
    peers.push(second);
    second.send({ type: 'username', name: longName });
    const { name } = await second.waitForType('rejectusername');
    expect(name).toBe(`${'x'.repeat(31)}1`);
    // The assigned name must be callable, i.e. valid as a target.
    const caller = await peer('caller');
    caller.send({ type: 'hang-up', target: name });
    await expect(second.waitForType('hang-up')).resolves.toMatchObject({ name: 'caller' });
  });

  test('lets a signed-in user rename, keeping names unique', async () => {
    await startServer();
    const alice = await peer('alice');
    const bob = await peer('bob');
    bob.send({ type: 'username', name: 'robert' });
    await alice.waitForUserList(['alice', 'robert']);
    bob.send({ type: 'username', name: 'alice' });
    await expect(bob.waitForType('rejectusername')).resolves.toMatchObject({ name: 'alice1' });
    await alice.waitForUserList(['alice', 'alice1']);
    // Asking for the name one already has is not a clash with oneself.
    alice.send({ type: 'username', name: 'alice' });
    await alice.waitForUserList(['alice', 'alice1']);
    expect(alice.received.some((m) => m.type === 'rejectusername')).toBe(false);
  });

  test('removes a user who disconnects and tells the others', async () => {
    await startServer();
    const alice = await peer('alice');
    const bob = await peer('bob');
    bob.close();
    await alice.waitForUserList(['alice']);
    expect(server.users()).toEqual(['alice']);
  });

  test('closes a client that does not offer the json subprotocol, and accepts one that offers it among others', async () => {
    await startServer();
    const noProtocol = await RawPeer.open(server.url, { protocols: [] });
    await expect(noProtocol.closed).resolves.toMatchObject({ code: CloseCode.BadSubprotocol });
    const otherFirst = await RawPeer.open(server.url, { protocols: ['chat', 'json'] });
    peers.push(otherFirst);
    expect(otherFirst.socket.protocol).toBe('json');
    await otherFirst.waitForType('id');
  });
});

test.describe('routing', () => {
  test('stamps the real sender and its session on routed messages, overwriting forged ones, and drops unvalidated fields', async () => {
    await startServer();
    const alice = await peer('alice');
    const bob = await peer('bob');
    const aliceId = alice.received.find((m) => m.type === 'id')!.id;
    alice.send({
      type: 'video-offer',
      name: 'mallory',
      sid: 'forged-session',
      target: 'bob',
      callId: 'call-1',
      video: true,
      sdp: offerSdp,
      futureField: { keep: 'me' },
    });
    // Only what the protocol validated travels on: a field the server cannot check is not passed to someone else.
    await expect(bob.waitForType('video-offer')).resolves.toEqual({
      type: 'video-offer',
      name: 'alice',
      sid: aliceId,
      target: 'bob',
      callId: 'call-1',
      video: true,
      sdp: offerSdp,
    });
    expect(alice.received.some((m) => m.type === 'video-offer')).toBe(false);
  });

  test('routes an offer written with escapes, repeated members and unknown fields as exactly what it validated', async () => {
    await startServer();
    const alice = await peer('alice');
    const bob = await peer('bob');
    // JSON.parse keeps the last `sdp`; the server must pass on that one, and nothing it did not check.
    alice.socket.send(
      '{"type":"video-offer","target":"bob","sdp":{"type":"offer","sdp":"v=0\\r\\nnot this one"},' +
        '"\\u0073dp":{"type":"offer","s\\u0064p":"v=0\\r\\n\\"quoted\\" \\\\ \\u00e9 \\ud83d\\ude00","sneaky":"x"},"unchecked":{"sdp":"y"}}',
    );
    const offer = await bob.waitForType('video-offer');
    expect(offer.sdp).toEqual({ type: 'offer', sdp: 'v=0\r\n"quoted" \\ é 😀' });
    expect(Object.keys(offer).sort()).toEqual(['name', 'sdp', 'sid', 'target', 'type']);
  });

  test('a signal follows the name to whoever holds it now, after the holder left, renamed, or came back', async () => {
    await startServer();
    const alice = await peer('alice');
    const firstBob = await peer('bob');
    alice.send({ type: 'ringing', target: 'bob', callId: 'c1' });
    await firstBob.waitFor((m) => m.type === 'ringing' && m.callId === 'c1', 'the first signal');

    // Bob renames: "bob" is nobody's now.
    firstBob.send({ type: 'username', name: 'robert' });
    await alice.waitForUserList(['alice', 'robert']);
    alice.send({ type: 'ringing', target: 'bob', callId: 'c2' });
    await expect(alice.waitForError('unknown-target')).resolves.toMatchObject({ callId: 'c2' });

    // Someone else signs in as "bob": the next signal goes to them, not to the first Bob.
    const secondBob = await peer('bob');
    alice.send({ type: 'ringing', target: 'bob', callId: 'c3' });
    await secondBob.waitFor((m) => m.type === 'ringing' && m.callId === 'c3', 'the signal to the new bob');
    alice.send({ type: 'ringing', target: 'robert', callId: 'c4' });
    await firstBob.waitFor((m) => m.type === 'ringing' && m.callId === 'c4', 'the signal to robert');
    expect(firstBob.received.filter((m) => m.type === 'ringing').map((m) => m.callId)).toEqual(['c1', 'c4']);

    // The new bob leaves and the first one takes the name back.
    secondBob.close();
    await alice.waitForUserList(['alice', 'robert']);
    firstBob.send({ type: 'username', name: 'bob' });
    await alice.waitForUserList(['alice', 'bob']);
    alice.send({ type: 'ringing', target: 'bob', callId: 'c5' });
    await firstBob.waitFor((m) => m.type === 'ringing' && m.callId === 'c5', 'the signal to bob, who is the first one again');
    expect(secondBob.received.filter((m) => m.type === 'ringing').map((m) => m.callId)).toEqual(['c3']);
  });

  test('refuses an unknown message type that carries a target instead of routing it', async () => {
    await startServer();
    const alice = await peer('alice');
    const ivr = await peer('ivr');
    alice.send({ type: 'video-mute', name: 'forged', target: 'ivr', muted: true });
    await expect(alice.waitForError('unknown-type')).resolves.toMatchObject({ inReplyTo: 'video-mute' });
    // A later message arrives first: the unknown one was never passed on.
    alice.send({ type: 'hang-up', target: 'ivr', callId: 'after' });
    await ivr.waitFor((m) => m.type === 'hang-up' && m.callId === 'after', 'the hang-up sent after');
    expect(ivr.received.some((m) => m.type === 'video-mute')).toBe(false);
  });

  test('routes keys sent over signaling to the callee, stamped with the real sender', async () => {
    await startServer();
    const alice = await peer('alice');
    const ivr = await peer('ivr');
    alice.send({ type: 'dtmf', name: 'forged', target: 'ivr', callId: 'c1', tones: '1#', durationMs: 100 });
    await expect(ivr.waitForType('dtmf')).resolves.toEqual({
      type: 'dtmf',
      name: 'alice',
      sid: expect.any(String),
      target: 'ivr',
      callId: 'c1',
      tones: '1#',
      durationMs: 100,
    });
  });

  test('broadcasts a tutorial chat message to everyone, stamped', async () => {
    await startServer();
    const alice = await peer('alice');
    const bob = await peer('bob');
    alice.send({ type: 'message', text: 'hello all', name: 'someone-else', id: 1, date: 2 });
    for (const recipient of [alice, bob]) {
      await expect(recipient.waitForType('message')).resolves.toMatchObject({ text: 'hello all', name: 'alice' });
    }
  });

  test('carries a whole call between a tutorial client and a softphone-style client', async () => {
    await startServer();
    // The tutorial client: no callId, ICE candidates without `name`, sdp as the RTCSessionDescription JSON.
    const tutorial = await peer('tutorial');
    const softphone = await peer('softphone');

    softphone.send({ type: 'video-offer', target: 'tutorial', callId: 'c-7', video: true, sdp: offerSdp });
    const offer = await tutorial.waitForType('video-offer');
    expect(offer).toMatchObject({ name: 'softphone', target: 'tutorial', sdp: offerSdp });
    // The tutorial answers to `msg.name`, exactly as its handleVideoOfferMsg does.
    tutorial.send({ name: 'tutorial', target: offer.name, type: 'video-answer', sdp: answerSdp });
    await expect(softphone.waitForType('video-answer')).resolves.toMatchObject({ name: 'tutorial', sdp: answerSdp });

    const candidate = { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'uf' };
    tutorial.send({ type: 'new-ice-candidate', target: 'softphone', candidate });
    await expect(softphone.waitForType('new-ice-candidate')).resolves.toMatchObject({ name: 'tutorial', candidate });
    softphone.send({ type: 'new-ice-candidate', target: 'tutorial', callId: 'c-7', candidate });
    await expect(tutorial.waitForType('new-ice-candidate')).resolves.toMatchObject({ name: 'softphone', candidate });

    tutorial.send({ name: 'tutorial', target: 'softphone', type: 'hang-up' });
    await expect(softphone.waitForType('hang-up')).resolves.toMatchObject({ name: 'tutorial' });
    expect([...tutorial.received, ...softphone.received].filter((m) => m.type === 'error')).toEqual([]);
  });
});

test.describe('errors', () => {
  test('answers each kind of bad input with its error, and keeps serving', async () => {
    await startServer();
    const alice = await peer('alice');
    await peer('bob');

    alice.socket.send('{"type": "video-offer", ');
    await expect(alice.waitForError('bad-json')).resolves.toMatchObject({ message: expect.any(String) });

    alice.send({ type: 'video-offer', target: 'bob' });
    await expect(alice.waitForError('bad-message')).resolves.toMatchObject({ inReplyTo: 'video-offer' });

    alice.send({ type: 'teleport' });
    await expect(alice.waitForError('unknown-type')).resolves.toMatchObject({ inReplyTo: 'teleport' });

    alice.send({ type: 'video-offer', target: 'nobody', callId: 'c-42', sdp: offerSdp });
    await expect(alice.waitForError('unknown-target')).resolves.toMatchObject({
      inReplyTo: 'video-offer',
      target: 'nobody',
      callId: 'c-42',
    });

    alice.send({ type: 'message', text: 'x'.repeat(4097) });
    await expect(alice.waitForError('bad-message')).resolves.toMatchObject({ inReplyTo: 'message' });

    alice.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    await expect(alice.waitForError('bad-message')).resolves.toMatchObject({ message: expect.stringMatching(/binary/i) });

    const stranger = await RawPeer.open(server.url);
    peers.push(stranger);
    stranger.send({ type: 'hang-up', target: 'bob', callId: 'c-1' });
    await expect(stranger.waitForError('not-signed-in')).resolves.toMatchObject({ inReplyTo: 'hang-up', target: 'bob' });
    stranger.send({ type: 'message', text: 'hi' });
    await stranger.waitForError('not-signed-in');

    // The same connection still works, and so does everyone else's.
    alice.send({ type: 'hang-up', target: 'bob' });
    const bob = peers[1];
    await expect(bob.waitForType('hang-up')).resolves.toMatchObject({ name: 'alice' });
    expect(server.users()).toEqual(['alice', 'bob']);
    await expectServerStillServes(server.url);
  });

  test('logs every rejection with its code', async () => {
    const lines: Record<string, unknown>[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    await startServer({ log });
    const alice = await peer('alice');
    alice.socket.send('not json');
    alice.send({ type: 'teleport' });
    alice.send({ type: 'hang-up', target: 'nobody' });
    await alice.waitForError('unknown-target');
    const loggedCodes = lines.filter((l) => typeof l.code === 'string').map((l) => l.code);
    expect(loggedCodes).toEqual(['bad-json', 'unknown-type', 'unknown-target']);
  });

  test('closes a flooding client with the Flooding code and keeps serving others', async () => {
    await startServer({ rateLimit: { messagesPerSecond: 1, burst: 5 } });
    const flooder = await peer('flooder');
    const bystander = await peer('bystander');
    for (let i = 0; i < 200; i++) flooder.send({ type: 'hang-up', target: 'bystander' });
    await expect(flooder.closed).resolves.toMatchObject({ code: CloseCode.Flooding });
    expect(flooder.received.some((m) => m.type === 'error' && m.code === 'rate-limited')).toBe(true);
    await bystander.waitForUserList(['bystander']);
    await expectServerStillServes(server.url);
  });

  test('answers a client that only bursts with rate-limited errors without closing it', async () => {
    await startServer({ rateLimit: { messagesPerSecond: 1, burst: 5 } });
    const eager = await peer('eager');
    const bob = await peer('bob');
    for (let i = 0; i < 8; i++) eager.send({ type: 'hang-up', target: 'bob', callId: `c-${i}` });
    await eager.waitForError('rate-limited');
    await bob.waitFor((m) => m.type === 'hang-up' && m.callId === 'c-0', 'the first hang-up of the burst');
    expect(eager.socket.readyState).toBe(WebSocket.OPEN);
  });

  test('closes a connection that sends a frame over MAX_MESSAGE_BYTES with 1009', async () => {
    await startServer();
    const big = await peer('big');
    big.socket.send(JSON.stringify({ type: 'message', text: 'x'.repeat(MAX_MESSAGE_BYTES) }));
    await expect(big.closed).resolves.toMatchObject({ code: CloseCode.MessageTooBig });
    await expectServerStillServes(server.url);
  });
});

test.describe('heartbeat', () => {
  test('drops a client that stops answering pings and updates the user list', async () => {
    await startServer({ heartbeatIntervalMs: 200 });
    const watcher = await peer('watcher');
    const zombie = await peer('zombie', { autoPong: false });
    await watcher.waitForUserList(['watcher', 'zombie']);
    await watcher.waitForUserList(['watcher']);
    await zombie.closed;
    // The watcher answered every ping meanwhile, so it is still there.
    expect(server.users()).toEqual(['watcher']);
    expect(watcher.socket.readyState).toBe(WebSocket.OPEN);
  });
});

test.describe('lifecycle', () => {
  test('rejects with the original EADDRINUSE error when the port is taken', async () => {
    await startServer();
    const error = await startSignalingServer({ port: server.port, log: quiet }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as NodeJS.ErrnoException).code).toBe('EADDRINUSE');
    await expectServerStillServes(server.url);
  });

  test('close() disconnects clients and frees the port', async () => {
    await startServer();
    const alice = await peer('alice');
    const port = server.port;
    await server.close();
    await alice.closed;
    server = await startSignalingServer({ port, log: quiet });
    expect(server.port).toBe(port);
    await expectServerStillServes(server.url);
  });
});
