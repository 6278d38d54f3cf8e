import { test, expect } from '@playwright/test';
import { once } from 'node:events';
import pino from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { CloseCode } from '../../common/signaling-protocol.ts';
import { SignalingClient, type InboundRoutedMessage, type SignalingClientOptions, type SignalingState } from '../../common/signaling-client.ts';
import { startSignalingServer, type SignalingServer } from '../../server/signaling-server.ts';

const quiet = pino({ level: 'silent' });
const fastRetry = { initialMs: 50, maxMs: 200 };
const offerSdp = { type: 'offer' as const, sdp: 'v=0\r\n' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A client plus everything it told its listeners, in order. */
interface Observed {
  client: SignalingClient;
  states: SignalingState[];
  userlists: string[][];
  signals: InboundRoutedMessage[];
  renames: { requested: string; assigned: string }[];
  serverErrors: { code: string; target?: string; callId?: string }[];
}

const clients: SignalingClient[] = [];
const servers: SignalingServer[] = [];
const rawServers: WebSocketServer[] = [];

function observe(options: Partial<SignalingClientOptions> & { url: string }): Observed {
  const client = new SignalingClient({ name: null, backoff: fastRetry, log: quiet, ...options });
  clients.push(client);
  const observed: Observed = { client, states: [], userlists: [], signals: [], renames: [], serverErrors: [] };
  client.on('state', (state) => observed.states.push(state));
  client.on('userlist', (users) => observed.userlists.push(users));
  client.on('signal', (message) => observed.signals.push(message));
  client.on('renamed', (event) => observed.renames.push(event));
  client.on('server-error', (error) => observed.serverErrors.push(error));
  return observed;
}

async function startServer(port = 0): Promise<SignalingServer> {
  const server = await startSignalingServer({ port, log: quiet });
  servers.push(server);
  return server;
}

/** A port nothing listens on (it was free a moment ago). */
async function freePort(): Promise<number> {
  const probe = await startSignalingServer({ log: quiet });
  await probe.close();
  return probe.port;
}

/** A hand-written server that speaks just enough protocol to be scripted by a test. */
async function startRawServer(
  onConnection: (socket: WebSocket) => void,
  options: { autoPong?: boolean } = {},
): Promise<{ url: string; connections: () => number }> {
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    autoPong: options.autoPong ?? true,
    handleProtocols: (protocols) => (protocols.has('json') ? 'json' : false),
  });
  rawServers.push(wss);
  await once(wss, 'listening');
  let connections = 0;
  wss.on('connection', (socket) => {
    connections++;
    socket.on('error', () => {});
    onConnection(socket);
  });
  const { port } = wss.address() as { port: number };
  return { url: `ws://127.0.0.1:${port}`, connections: () => connections };
}

async function connected(observed: Observed, signedInAs: string | null): Promise<void> {
  await expect.poll(() => observed.client.state).toMatchObject({ status: 'connected', signedInAs });
}

test.afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.stop()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
  for (const wss of rawServers.splice(0)) {
    for (const socket of wss.clients) socket.terminate();
    await new Promise((resolve) => wss.close(resolve));
  }
});

test('signs in and receives the user list', async () => {
  const server = await startServer();
  const alice = observe({ url: server.url, name: 'alice' });
  expect(alice.client.state).toEqual({ status: 'connecting', attempt: 0, retryInMs: null, lastError: null, signedInAs: null });
  alice.client.start();
  await connected(alice, 'alice');
  await expect.poll(() => alice.userlists.at(-1)).toEqual(['alice']);

  const bob = observe({ url: server.url, name: 'bob' });
  bob.client.start();
  await connected(bob, 'bob');
  await expect.poll(() => alice.userlists.at(-1)).toEqual(['alice', 'bob']);
  // The first "connected" state comes before sign-in; the name follows once the server confirmed it.
  expect(alice.states.map((s) => [s.status, s.signedInAs])).toEqual([
    ['connected', null],
    ['connected', 'alice'],
  ]);
});

test('signs in later when the name is given after connecting', async () => {
  const server = await startServer();
  const later = observe({ url: server.url, name: null });
  later.client.start();
  await connected(later, null);
  expect(server.users()).toEqual([]);
  later.client.signIn('  carol ');
  await connected(later, 'carol');
  expect(server.users()).toEqual(['carol']);
  expect(() => later.client.signIn('')).toThrow(/Invalid name/);
});

test('reports the name the server assigned when the requested one is taken, and can rename', async () => {
  const server = await startServer();
  const first = observe({ url: server.url, name: 'alice' });
  first.client.start();
  await connected(first, 'alice');

  const second = observe({ url: server.url, name: 'alice' });
  second.client.start();
  await connected(second, 'alice1');
  expect(second.renames).toEqual([{ requested: 'alice', assigned: 'alice1' }]);

  second.client.signIn('dave');
  await connected(second, 'dave');
  await expect.poll(() => first.userlists.at(-1)).toEqual(['alice', 'dave']);
});

test('sends call signals, receives them stamped with the sender, and surfaces server errors', async () => {
  const server = await startServer();
  const alice = observe({ url: server.url, name: 'alice' });
  const bob = observe({ url: server.url, name: 'bob' });
  alice.client.start();
  bob.client.start();
  await connected(alice, 'alice');
  await connected(bob, 'bob');

  alice.client.send({ type: 'video-offer', target: 'bob', callId: 'call-1', sdp: offerSdp, video: false });
  await expect.poll(() => bob.signals).toEqual([
    { type: 'video-offer', name: 'alice', sid: expect.any(String), target: 'bob', callId: 'call-1', sdp: offerSdp, video: false },
  ]);

  alice.client.send({ type: 'hang-up', target: 'nobody', callId: 'call-2' });
  await expect.poll(() => alice.serverErrors).toMatchObject([{ code: 'unknown-target', target: 'nobody', callId: 'call-2' }]);
  expect(() => alice.client.send({ type: 'hang-up', target: '' })).toThrow();
});

test('send throws a clear error while not connected', async () => {
  const offline = observe({ url: `ws://127.0.0.1:${await freePort()}`, name: 'alice' });
  const send = () => offline.client.send({ type: 'hang-up', target: 'bob' });
  expect(send).toThrow('Not connected to the signaling server');
  offline.client.start();
  await expect.poll(() => offline.client.state.status).toBe('reconnecting');
  expect(send).toThrow('Not connected to the signaling server');
});

test('reconnects with growing backoff after the server dies, and signs in again when it is back', async () => {
  let server = await startServer();
  const port = server.port;
  const alice = observe({ url: server.url, name: 'alice' });
  alice.client.start();
  await connected(alice, 'alice');

  await server.close();
  await expect.poll(() => alice.client.state.attempt).toBeGreaterThanOrEqual(3);

  const waiting = alice.states.filter((s) => s.status === 'reconnecting' && s.retryInMs !== null);
  expect(waiting.map((s) => s.attempt).slice(0, 3)).toEqual([1, 2, 3]);
  for (const state of waiting) {
    expect(state.retryInMs).toBeGreaterThan(0);
    expect(state.signedInAs).toBeNull();
  }
  // A server that shuts down cleanly says so with 1012 (ServiceRestart) instead of just dropping the connection.
  expect(waiting[0].lastError).toBe(`Signaling server at ${server.url} closed the connection (code 1012: Server restarting)`);
  expect(waiting[1].lastError).toBe(`Signaling server at ${server.url} is not reachable (connection refused)`);

  const userlistsBefore = alice.userlists.length;
  server = await startServer(port);
  await connected(alice, 'alice');
  expect(alice.client.state).toEqual({ status: 'connected', attempt: 0, retryInMs: null, lastError: null, signedInAs: 'alice' });
  await expect.poll(() => alice.userlists.slice(userlistsBefore)).toContainEqual(['alice']);
  expect(server.users()).toEqual(['alice']);
});

test('notices a server that stops answering pings and reconnects', async () => {
  const raw = await startRawServer((socket) => socket.send(JSON.stringify({ type: 'id', id: 1 })), { autoPong: false });
  const client = observe({ url: raw.url, name: 'alice', heartbeatIntervalMs: 100, heartbeatTimeoutMs: 100 });
  client.client.start();
  await expect
    .poll(() => client.states.find((s) => s.status === 'reconnecting'))
    .toMatchObject({ lastError: `Signaling server at ${raw.url} stopped responding` });
  await expect.poll(raw.connections).toBeGreaterThanOrEqual(2);
});

test('ignores bad frames from the server without crashing or disconnecting', async () => {
  const raw = await startRawServer((socket) => {
    socket.send(JSON.stringify({ type: 'id', id: 1 }));
    socket.once('message', () => {
      socket.send('this is not json');
      socket.send(Buffer.from([0xff, 0x00]), { binary: true });
      socket.send('[]');
      socket.send(JSON.stringify({ type: 'video-offer', name: 'bob', target: 'alice' }));
      socket.send(JSON.stringify({ type: 'error', code: 'no-such-code', message: 'x' }));
      socket.send(JSON.stringify({ type: 'mystery' }));
      socket.send(JSON.stringify({ type: 'mystery', target: 'alice', name: 'bob' }));
      socket.send(JSON.stringify({ type: 'hang-up', target: 'alice' }));
      socket.send(JSON.stringify({ type: 'hang-up', target: 'alice', name: 'bob', callId: 'c-1' }));
      socket.send(JSON.stringify({ type: 'userlist', users: ['alice', 'bob'] }));
    });
  });
  const alice = observe({ url: raw.url, name: 'alice' });
  alice.client.start();
  await connected(alice, 'alice');
  await expect.poll(() => alice.userlists).toEqual([['alice', 'bob']]);
  // Only the well-formed signal with a sender got through.
  expect(alice.signals).toEqual([{ type: 'hang-up', target: 'alice', name: 'bob', callId: 'c-1' }]);
  expect(alice.states.map((s) => s.status)).not.toContain('reconnecting');
});

test('awaits beforeConnect before every attempt', async () => {
  const port = await freePort();
  let calls = 0;
  const alice = observe({
    url: `ws://127.0.0.1:${port}`,
    name: 'alice',
    beforeConnect: async () => {
      calls++;
      // Like the app: the third time, bring up a server, slowly, before the client may dial.
      if (calls === 3) {
        await sleep(150);
        await startServer(port);
      }
    },
  });
  alice.client.start();
  await connected(alice, 'alice');
  expect(calls).toBe(3);
  expect(alice.states.filter((s) => s.status === 'reconnecting' && s.retryInMs !== null).map((s) => s.attempt)).toEqual([1, 2]);
});

test('retries when beforeConnect fails, and says why', async () => {
  const server = await startServer();
  let calls = 0;
  const alice = observe({
    url: server.url,
    name: 'alice',
    beforeConnect: async () => {
      if (++calls === 1) throw new Error('port 8765 is busy');
    },
  });
  alice.client.start();
  await connected(alice, 'alice');
  expect(alice.states[0]).toMatchObject({
    status: 'reconnecting',
    attempt: 1,
    lastError: `Could not prepare the connection to ${server.url}: port 8765 is busy`,
  });
});

test('stop() ends the connection and every retry', async () => {
  const server = await startServer();
  const port = server.port;
  let calls = 0;
  const alice = observe({ url: server.url, name: 'alice', beforeConnect: async () => void calls++ });
  alice.client.start();
  await connected(alice, 'alice');
  await server.close();
  await expect.poll(() => alice.client.state.attempt).toBeGreaterThanOrEqual(2);

  await alice.client.stop();
  const callsAtStop = calls;
  const statesAtStop = alice.states.length;
  const revived = await startServer(port);
  // Several maximum backoff periods: a retry would have happened by now.
  await sleep(fastRetry.maxMs * 4);
  expect(calls).toBe(callsAtStop);
  expect(alice.states.length).toBe(statesAtStop);
  expect(revived.users()).toEqual([]);
  expect(() => alice.client.start()).toThrow(/stopped/);
});

test('stop() while connected closes the socket and the server forgets the user', async () => {
  const server = await startServer();
  const alice = observe({ url: server.url, name: 'alice' });
  alice.client.start();
  await connected(alice, 'alice');
  await alice.client.stop();
  await expect.poll(() => server.users()).toEqual([]);
  expect(() => alice.client.send({ type: 'hang-up', target: 'bob' })).toThrow('Not connected to the signaling server');
});

test('gives up with a clear reason when the server closes with a fatal code', async () => {
  let calls = 0;
  const raw = await startRawServer((socket) => socket.close(CloseCode.BadSubprotocol, 'Offer the "json" subprotocol'));
  const alice = observe({ url: raw.url, name: 'alice', beforeConnect: async () => void calls++ });
  alice.client.start();
  await expect.poll(() => alice.client.state).toMatchObject({
    status: 'failed',
    retryInMs: null,
    lastError: `Signaling server at ${raw.url} does not speak this app's signaling protocol`,
  });
  await sleep(fastRetry.maxMs * 4);
  expect(calls).toBe(1);
  expect(raw.connections()).toBe(1);
});

test('a throwing listener does not break the connection', async () => {
  const server = await startServer();
  const alice = observe({ url: server.url, name: 'alice' });
  alice.client.on('userlist', () => {
    throw new Error('listener bug');
  });
  alice.client.start();
  await connected(alice, 'alice');
  const bob = observe({ url: server.url, name: 'bob' });
  bob.client.start();
  await expect.poll(() => alice.userlists.at(-1)).toEqual(['alice', 'bob']);
  expect(alice.client.state.status).toBe('connected');
});
