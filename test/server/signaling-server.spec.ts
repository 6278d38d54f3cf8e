import { test, expect } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { WebSocket } from 'ws';
import { CloseCode, HARD_MAX_FRAME_BYTES, MAX_MESSAGE_BYTES } from '../../common/signaling-protocol.ts';
import { startSignalingServer, type SignalingServer, type SignalingServerOptions } from '../../server/signaling-server.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const quiet = pino({ level: 'silent' });
const offerSdp = { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' };
const answerSdp = { type: 'answer', sdp: 'v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\n' };

type Received = Record<string, unknown> & { type: string };

/** A bare WebSocket client that records everything the server says, like a browser would see it. */
class RawPeer {
  readonly received: Received[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly consumed = new Set<Received>();
  private readonly listeners = new Set<() => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.received.push(JSON.parse(data.toString()) as Received);
      for (const listener of this.listeners) listener();
    });
    socket.on('error', () => {});
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static open(url: string, options: { protocols?: string[]; autoPong?: boolean } = {}): Promise<RawPeer> {
    const socket = new WebSocket(url, options.protocols ?? ['json'], { autoPong: options.autoPong ?? true });
    const peer = new RawPeer(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(peer));
      socket.once('error', reject);
    });
  }

  send(message: object): void {
    this.socket.send(JSON.stringify(message));
  }

  /** The next not-yet-taken message matching `predicate`, waiting for it if needed. */
  waitFor(predicate: (message: Received) => boolean, what: string, timeoutMs = 5_000): Promise<Received> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.received.find((m) => !this.consumed.has(m) && predicate(m));
        if (!found) return false;
        this.consumed.add(found);
        this.listeners.delete(check);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`Timed out waiting for ${what}; received ${JSON.stringify(this.received)}`));
      }, timeoutMs);
      if (!check()) this.listeners.add(check);
    });
  }

  waitForType(type: string): Promise<Received> {
    return this.waitFor((m) => m.type === type, `a "${type}" message`);
  }

  waitForUserList(users: string[]): Promise<Received> {
    return this.waitFor(
      (m) => m.type === 'userlist' && JSON.stringify(m.users) === JSON.stringify(users),
      `userlist ${JSON.stringify(users)}`,
    );
  }

  waitForError(code: string): Promise<Received> {
    return this.waitFor((m) => m.type === 'error' && m.code === code, `an error "${code}"`);
  }

  close(): void {
    this.socket.terminate();
  }
}

/** Connects and signs in the way the tutorial client does: wait for `id`, answer with `username`. */
async function signIn(url: string, name: string, options?: { autoPong?: boolean }): Promise<RawPeer> {
  const peer = await RawPeer.open(url, options);
  const { id } = await peer.waitForType('id');
  peer.send({ type: 'username', name, id, date: Date.now() });
  await peer.waitFor((m) => m.type === 'userlist' && (m.users as string[]).includes(name), `userlist with ${name}`);
  return peer;
}

/** Proves the server still routes between two fresh clients. */
async function expectServerStillServes(url: string): Promise<void> {
  const suffix = Math.random().toString(36).slice(2, 8);
  const caller = await signIn(url, `probe-a-${suffix}`);
  const callee = await signIn(url, `probe-b-${suffix}`);
  caller.send({ type: 'hang-up', target: `probe-b-${suffix}` });
  await expect(callee.waitForType('hang-up')).resolves.toMatchObject({ name: `probe-a-${suffix}` });
  caller.close();
  callee.close();
}

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
  test('stamps the real sender on routed messages, overwriting a forged name, and keeps extra fields', async () => {
    await startServer();
    const alice = await peer('alice');
    const bob = await peer('bob');
    alice.send({
      type: 'video-offer',
      name: 'mallory',
      target: 'bob',
      callId: 'call-1',
      video: true,
      sdp: offerSdp,
      futureField: { keep: 'me' },
    });
    await expect(bob.waitForType('video-offer')).resolves.toEqual({
      type: 'video-offer',
      name: 'alice',
      target: 'bob',
      callId: 'call-1',
      video: true,
      sdp: offerSdp,
      futureField: { keep: 'me' },
    });
    expect(alice.received.some((m) => m.type === 'video-offer')).toBe(false);
  });

  test('routes an unknown message type that carries a target, stamped', async () => {
    await startServer();
    const alice = await peer('alice');
    const ivr = await peer('ivr');
    alice.send({ type: 'video-mute', name: 'forged', target: 'ivr', muted: true });
    await expect(ivr.waitForType('video-mute')).resolves.toEqual({ type: 'video-mute', name: 'alice', target: 'ivr', muted: true });
  });

  test('routes keys sent over signaling to the callee, stamped with the real sender', async () => {
    await startServer();
    const alice = await peer('alice');
    const ivr = await peer('ivr');
    alice.send({ type: 'dtmf', name: 'forged', target: 'ivr', callId: 'c1', tones: '1#', durationMs: 100 });
    await expect(ivr.waitForType('dtmf')).resolves.toEqual({ type: 'dtmf', name: 'alice', target: 'ivr', callId: 'c1', tones: '1#', durationMs: 100 });
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

    alice.send({ type: 'message', text: 'x'.repeat(MAX_MESSAGE_BYTES + 1) });
    await alice.waitForError('too-large');

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

  test('closes a connection that sends a frame over the hard limit with 1009', async () => {
    await startServer();
    const big = await peer('big');
    big.socket.send('x'.repeat(HARD_MAX_FRAME_BYTES + 1));
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

test.describe('command line', () => {
  const children: ChildProcess[] = [];

  function runCli(args: string[]) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
      cwd: repoRoot,
      env: { ...process.env, SOFTPHONE_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, exited, stdout: () => stdout, stderr: () => stderr };
  }

  test.afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });

  test('prints the URL it listens on, serves, and exits cleanly on SIGTERM', async () => {
    const cli = runCli(['--host', '127.0.0.1', '--port', '0']);
    await expect.poll(cli.stdout).toMatch(/ws:\/\/127\.0\.0\.1:\d+\n/);
    const url = /(ws:\/\/127\.0\.0\.1:\d+)/.exec(cli.stdout())![1];
    expect(cli.stdout().trim().split('\n')).toHaveLength(1);
    const alice = await signIn(url, 'alice');
    alice.close();
    cli.child.kill('SIGTERM');
    await expect(cli.exited).resolves.toBe(0);
  });

  test('exits 1 with a clear message when the port is taken', async () => {
    await startServer();
    const cli = runCli(['--port', String(server.port)]);
    await expect(cli.exited).resolves.toBe(1);
    expect(cli.stderr()).toContain(`Port ${server.port} on 127.0.0.1 is already in use`);
    expect(cli.stdout()).toBe('');
  });

  test('exits 1 explaining an invalid port', async () => {
    const cli = runCli(['--port', 'eighty']);
    await expect(cli.exited).resolves.toBe(1);
    expect(cli.stderr()).toContain('Invalid port "eighty"');
  });
});
