/**
 * One client process of the server benchmark (bench/server.bench.ts starts it
 * with an IPC channel; it is not meant to be run by hand). It holds many
 * WebSocket clients of one server and does what the parent asks, one phase at
 * a time:
 *
 *   join   connect every client (at most `window` sign-ins in flight), sign in,
 *          report when the first connect started and the last sign-in ended
 *   settle wait until no frame arrived for `quietMs`, report the bytes counted
 *   route  closed-loop offer/answer between pairs for a fixed time, report
 *          routed messages, latencies and errors
 *   close  exit (the kernel closes the sockets)
 *
 * Clocks are process.hrtime (CLOCK_MONOTONIC), shared by every process on the
 * machine, so times from two client processes can be compared.
 *
 * Kept cheap on purpose, so the server and not this process is what is
 * measured: a lean WebSocket client (or `ws` without UTF-8 validation), no
 * JSON.parse of frames once signed in (large presence frames are only
 * counted), pre-serialised messages whose send time is written into them in
 * place.
 */
import type { Socket } from 'node:net';
import { WebSocket } from 'ws';
import { LeanWebSocket } from './lean-websocket.ts';
import { TIME_DIGITS, TIME_MARK, sampleSdp } from './sample-sdp.ts';
import { monotonicMs } from './stats.ts';

export type Protocol = 'ours' | 'peerjs';
/** `lean`: bench/lean-websocket.ts; `ws`: the ws package's client (about 3× the CPU per connection). */
export type ClientLibrary = 'lean' | 'ws';

export type ClientCommand =
  | { type: 'join'; protocol: Protocol; library: ClientLibrary; url: string; names: string[]; window: number; deadlineMs: number }
  | { type: 'settle'; quietMs: number; maxMs: number }
  | { type: 'route'; pairs: PairEnd[]; startAt: number; durationMs: number; drainMs: number }
  | { type: 'close' };

/** One local client's part in a pair: A offers to `peer`, B answers. */
export interface PairEnd {
  name: string;
  peer: string;
  role: 'A' | 'B';
}

export interface JoinReport {
  type: 'joined';
  firstConnectAt: number;
  lastSignedInAt: number;
  signedIn: number;
  failed: number;
  timedOut: boolean;
  errors: string[];
  /** CPU time this process used during the join, in ms. */
  cpuMs: number;
}

export interface SettleReport {
  type: 'settled';
  /** WebSocket message payloads received since the first connect (after any decompression). */
  payloadBytes: number;
  /** Bytes read from the TCP sockets: HTTP upgrade responses, frame headers and payloads. */
  wireBytes: number;
  frames: number;
  quiet: boolean;
}

export interface RouteReport {
  type: 'routed';
  /** Routed messages that arrived inside the measured window. */
  received: number;
  /** One-way latencies (ms) of the messages sent inside the window. */
  latenciesMs: number[];
  rateLimited: number;
  otherErrors: number;
  errors: string[];
  /** Pairs whose last offer got no answer before the drain ended. */
  stalled: number;
  /** CPU time this process used from receiving the command to replying, in ms. */
  cpuMs: number;
  closedDuringRoute: number;
}

/** Milliseconds of CLOCK_MONOTONIC. */

function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

const MARK = Buffer.from(TIME_MARK);
const SMALL_FRAME = 2048;
const MAX_ERRORS_KEPT = 5;

/** What the benchmark needs of a WebSocket client, from either library. */
interface BenchSocket {
  send(data: Buffer | string): void;
  /** Bytes read from the TCP socket: upgrade response, frame headers, payloads. */
  readonly bytesRead: number;
  on(event: 'message', listener: (data: Buffer) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'close', listener: (code: number) => void): unknown;
}

function openSocket(library: ClientLibrary, url: string, protocol: string | undefined): BenchSocket {
  if (library === 'lean') return new LeanWebSocket(url, protocol);
  const ws = new WebSocket(url, protocol ? [protocol] : [], { skipUTF8Validation: true, perMessageDeflate: false });
  return {
    // A Buffer sent with binary: false goes out as a text frame; ws copies it while masking.
    send: (data) => ws.send(data, { binary: false }),
    // ws keeps its net.Socket here.
    get bytesRead() {
      return (ws as unknown as { _socket?: Socket | null })._socket?.bytesRead ?? 0;
    },
    on: (event: 'message' | 'error' | 'close', listener: (...args: never[]) => void) => ws.on(event, listener as () => void),
  };
}

interface Client {
  name: string;
  socket: BenchSocket;
  signedIn: boolean;
  done: boolean;
  pair?: PairState;
}

interface PairState {
  end: PairEnd;
  message: Buffer;
  timeAt: number;
  waiting: boolean;
}

const clients = new Map<string, Client>();
let protocol: Protocol = 'ours';
let payloadBytes = 0;
let frames = 0;
let lastFrameAt = 0;
let onRoutedFrame: ((client: Client, data: Buffer) => void) | null = null;
let closedAfterJoin = 0;

function send(message: JoinReport | SettleReport | RouteReport | { type: 'error'; message: string }): void {
  process.send!(message);
}

function keepError(errors: string[], text: string): void {
  if (errors.length < MAX_ERRORS_KEPT) errors.push(text);
}

function join(command: Extract<ClientCommand, { type: 'join' }>): Promise<JoinReport> {
  protocol = command.protocol;
  const cpuStart = cpuMs();
  const errors: string[] = [];
  let firstConnectAt = Number.NaN;
  let lastSignedInAt = Number.NaN;
  let signedIn = 0;
  let failed = 0;
  let next = 0;
  let inFlight = 0;
  const total = command.names.length;

  return new Promise((resolve) => {
    let finished = false;
    const finish = (timedOut: boolean) => {
      if (finished) return;
      finished = true;
      clearTimeout(deadline);
      resolve({ type: 'joined', firstConnectAt, lastSignedInAt, signedIn, failed, timedOut, errors, cpuMs: cpuMs() - cpuStart });
    };
    const deadline = setTimeout(() => finish(true), command.deadlineMs);

    const settleOne = (client: Client, ok: boolean, why?: string) => {
      if (client.done) return;
      client.done = true;
      inFlight--;
      if (ok) {
        client.signedIn = true;
        signedIn++;
        lastSignedInAt = monotonicMs();
      } else {
        failed++;
        keepError(errors, `${client.name}: ${why}`);
      }
      pump();
    };

    const onFrameBeforeSignIn = (client: Client, data: Buffer) => {
      if (data.length < SMALL_FRAME) {
        let message: { type?: unknown; id?: unknown; users?: unknown; code?: unknown; message?: unknown; payload?: unknown };
        try {
          message = JSON.parse(data.toString('utf8'));
        } catch {
          return settleOne(client, false, 'server sent a frame that is not JSON');
        }
        if (protocol === 'peerjs') {
          if (message.type === 'OPEN') return settleOne(client, true);
          if (message.type === 'ERROR' || message.type === 'ID-TAKEN') return settleOne(client, false, `${message.type} ${JSON.stringify(message.payload)}`);
          return;
        }
        switch (message.type) {
          case 'id':
            client.socket.send(JSON.stringify({ type: 'username', id: message.id, name: client.name, features: ['presence-delta'] }));
            return;
          case 'welcome':
            return settleOne(client, true);
          case 'userlist':
            if (Array.isArray(message.users) && message.users.includes(client.name)) settleOne(client, true);
            return;
          case 'rejectusername':
            return settleOne(client, false, 'name taken (rejectusername)');
          case 'error':
            return settleOne(client, false, `error ${String(message.code)}: ${String(message.message)}`);
          default:
            return; // presence deltas and the like
        }
      }
      // A large frame before our own sign-in: only a full user list can confirm it.
      if (protocol === 'ours' && data.includes('"userlist"') && data.includes(`"${client.name}"`)) settleOne(client, true);
    };

    const start = (name: string) => {
      if (Number.isNaN(firstConnectAt)) firstConnectAt = monotonicMs();
      inFlight++;
      const url =
        protocol === 'peerjs'
          ? `${command.url}/peerjs?key=peerjs&id=${encodeURIComponent(name)}&token=${Math.random().toString(36).slice(2)}`
          : command.url;
      const socket = openSocket(command.library, url, protocol === 'peerjs' ? undefined : 'json');
      const client: Client = { name, socket, signedIn: false, done: false };
      clients.set(name, client);
      socket.on('message', (data) => {
        payloadBytes += data.length;
        frames++;
        lastFrameAt = performance.now();
        if (client.signedIn) {
          onRoutedFrame?.(client, data);
        } else {
          onFrameBeforeSignIn(client, data);
        }
      });
      socket.on('error', (error) => {
        if (!client.done) settleOne(client, false, error.message);
      });
      socket.on('close', (code) => {
        if (!client.done) settleOne(client, false, `closed with ${code} before signing in`);
        else if (client.signedIn) closedAfterJoin++;
      });
    };

    const pump = () => {
      while (inFlight < command.window && next < total) start(command.names[next++]!);
      if (signedIn + failed === total) finish(false);
    };
    pump();
  });
}

function wireBytes(): number {
  let bytes = 0;
  for (const client of clients.values()) bytes += client.socket.bytesRead;
  return bytes;
}

async function settle(command: Extract<ClientCommand, { type: 'settle' }>): Promise<SettleReport> {
  const startedAt = performance.now();
  let quiet = false;
  while (performance.now() - startedAt < command.maxMs) {
    if (performance.now() - lastFrameAt >= command.quietMs) {
      quiet = true;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { type: 'settled', payloadBytes, wireBytes: wireBytes(), frames, quiet };
}

function routedMessage(end: PairEnd): { message: Buffer; timeAt: number } {
  const kind = end.role === 'A' ? 'offer' : 'answer';
  const sdp = { type: kind, sdp: sampleSdp(kind) };
  const object =
    protocol === 'peerjs'
      ? { type: kind === 'offer' ? 'OFFER' : 'ANSWER', dst: end.peer, payload: { sdp, type: 'media', connectionId: `mc_${end.name}` } }
      : { type: kind === 'offer' ? 'video-offer' : 'video-answer', target: end.peer, sdp, ...(kind === 'offer' ? { video: true } : {}) };
  const message = Buffer.from(JSON.stringify(object));
  return { message, timeAt: message.indexOf(MARK) + MARK.length };
}

function writeTime(pair: PairState, us: number): void {
  let value = us;
  for (let i = TIME_DIGITS - 1; i >= 0; i--) {
    pair.message[pair.timeAt + i] = 48 + (value % 10);
    value = Math.floor(value / 10);
  }
}

function readTime(data: Buffer, at: number): number {
  let value = 0;
  for (let i = 0; i < TIME_DIGITS; i++) value = value * 10 + (data[at + i]! - 48);
  return value;
}

async function route(command: Extract<ClientCommand, { type: 'route' }>): Promise<RouteReport> {
  const startUs = command.startAt * 1000;
  const endUs = startUs + command.durationMs * 1000;
  const latenciesMs: number[] = [];
  const errors: string[] = [];
  let received = 0;
  let rateLimited = 0;
  let otherErrors = 0;
  const closedBefore = closedAfterJoin;
  const ends: Client[] = [];
  const cpuStart = cpuMs();

  for (const end of command.pairs) {
    const client = clients.get(end.name);
    if (!client?.signedIn) throw new Error(`${end.name} is not signed in here`);
    client.pair = { end, waiting: false, ...routedMessage(end) };
    ends.push(client);
  }

  const transmit = (client: Client, stamp: boolean) => {
    const pair = client.pair!;
    if (stamp) writeTime(pair, monotonicUs());
    pair.waiting = pair.end.role === 'A';
    // The buffer is copied while masking, so it can be reused for the next send.
    client.socket.send(pair.message);
  };

  onRoutedFrame = (client, data) => {
    const pair = client.pair;
    if (!pair) return;
    const markAt = data.indexOf(MARK);
    if (markAt < 0) {
      if (data.length >= SMALL_FRAME) return;
      let message: { type?: unknown; code?: unknown; message?: unknown };
      try {
        message = JSON.parse(data.toString('utf8'));
      } catch {
        return;
      }
      if (message.type === 'error' && message.code === 'rate-limited') {
        // Dropped by the server's flood guard: send the same message (same send time) again.
        rateLimited++;
        setTimeout(() => client.socket.send(pair.message), 25);
      } else if (message.type === 'error' || message.type === 'ERROR' || message.type === 'EXPIRE' || message.type === 'LEAVE') {
        otherErrors++;
        keepError(errors, data.toString('utf8').slice(0, 200));
      }
      return;
    }
    const nowUs = monotonicUs();
    const sentUs = readTime(data, markAt + MARK.length);
    if (nowUs >= startUs && nowUs < endUs) received++;
    if (sentUs >= startUs && sentUs < endUs) latenciesMs.push((nowUs - sentUs) / 1000);
    if (pair.end.role === 'B') {
      transmit(client, true);
    } else {
      pair.waiting = false;
      if (nowUs < endUs) transmit(client, true);
    }
  };

  await new Promise((resolve) => setTimeout(resolve, Math.max(0, command.startAt - monotonicMs())));
  for (const client of ends) if (client.pair!.end.role === 'A') transmit(client, true);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, command.startAt + command.durationMs - monotonicMs())));
  const drainUntil = performance.now() + command.drainMs;
  while (performance.now() < drainUntil && ends.some((c) => c.pair!.waiting)) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  onRoutedFrame = null;
  return {
    type: 'routed',
    received,
    latenciesMs,
    rateLimited,
    otherErrors,
    errors,
    stalled: ends.filter((c) => c.pair!.waiting).length,
    cpuMs: cpuMs() - cpuStart,
    closedDuringRoute: closedAfterJoin - closedBefore,
  };
}

// Runs only as the parent's child: without the IPC channel there is nothing to do.
if (!process.send) {
  process.stderr.write('server-bench-client.ts is started by bench/server.bench.ts\n');
  process.exit(2);
}
process.on('disconnect', () => process.exit(0));
process.on('message', (command: ClientCommand) => {
  const run = async () => {
    switch (command.type) {
      case 'join':
        return send(await join(command));
      case 'settle':
        return send(await settle(command));
      case 'route':
        return send(await route(command));
      case 'close':
        process.exit(0);
    }
  };
  run().catch((error: unknown) => send({ type: 'error', message: (error as Error).stack ?? String(error) }));
});
