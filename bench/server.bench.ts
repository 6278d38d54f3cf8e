/**
 * Signaling server under load, next to the PeerJS server and to two of our
 * server processes sharing presence over Redis.
 *
 *   npm run bench:server [-- --clients 1000,10000] [--duration 10] [--pairs 200]
 *                        [--servers ours,peerjs,redis] [--server-cmd "node --max-semi-space-size=8 dist/server/cli.mjs"]
 *                        [--window 500] [--join-timeout 30] [--max-server-rss 4096] [--ws-client] [--no-pin]
 *
 * For each server and client count N it
 *  1. joins N clients: connect, wait for `id`, send `username` with features
 *     ['presence-delta'], wait for `welcome` or our own name in `userlist`
 *     (PeerJS: connect to /peerjs?key=peerjs&id=…&token=…, wait for OPEN).
 *     At most --window sign-ins are in flight, below the servers' accept
 *     backlog (511), so the kernel does not drop SYNs and add 1 s retries.
 *     Join time: first connect → last signed in. Join bytes: WebSocket message
 *     payload bytes all clients received from the first connect until no
 *     frame arrived for 300 ms (so batched presence deltas are counted).
 *  2. routes closed-loop ~3.5 KB video-offer / video-answer (PeerJS: OFFER /
 *     ANSWER) between --pairs pairs for --duration seconds: A offers to B, B
 *     answers at once, A offers again when the answer arrives. Reported:
 *     routed messages received per second, and p50/p99 one-way latency (send
 *     → receive, both stamped with the monotonic clock inside the SDP).
 *  3. reads the server's peak RSS: VmHWM from /proc/PID/status of the process
 *     holding the listening socket, just before it is stopped.
 *
 * Clients run in child processes, one per server under test, so they use the
 * other core, and speak WebSocket through bench/lean-websocket.ts: the `ws`
 * client (--ws-client) spends about three times the CPU per connection that
 * a server spends accepting it, and would be what the join time measures.
 * With two or more CPUs (Linux, taskset), a single server process runs on
 * CPU 0 and its clients on the others, so the server has a core of its own
 * and never waits behind its load generator (--no-pin: let the scheduler
 * place them; Redis rows, three server processes, are never pinned).
 * The machine's CPUs are shared: compare rows of one run, not runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort } from '../test/support/free-port.ts';
import { monotonicMs, percentile } from './stats.ts';
import {
  cpuTimeMs,
  killAll,
  machineBusyMs,
  listeningPids,
  startChild,
  statusKb,
  stopChild,
  waitForLine,
  type Child,
} from './processes.ts';
import type {
  ClientCommand,
  ClientLibrary,
  JoinReport,
  PairEnd,
  Protocol,
  RouteReport,
  SettleReport,
} from './server-bench-client.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** How the server under test is started: the one place to change it. */
/** As `npm run server` runs it (server/v8-tuning.ts says why the flag). */
const DEFAULT_SERVER_COMMAND = 'node --max-semi-space-size=8 dist/server/cli.mjs';
/** Used only when dist/server/cli.mjs has not been built: the TypeScript source, in one process. */
const SOURCE_SERVER_COMMAND = 'node --import tsx server/cli.ts';
/** Flags the rewritten server takes to switch its per-client limits off; older servers refuse them. */
const NO_LIMIT_FLAGS = ['--rate-limit', '0', '--max-connections-per-ip', '0'];
const PEERJS_BIN = join(ROOT, 'node_modules/peer/dist/bin/peerjs.js');
const CLIENT_SCRIPT = join(ROOT, 'bench/server-bench-client.ts');

const START_TIMEOUT_MS = 20_000;
// Longer than the server's longest presence batch (1 s under load), so "quiet" means presence has settled.
const SETTLE_QUIET_MS = 1500;
const SETTLE_MAX_MS = 10_000;
const DRAIN_MS = 3_000;
const STOP_GRACE_MS = 3_000;

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '1000' },
    duration: { type: 'string', default: '10' },
    pairs: { type: 'string', default: '200' },
    servers: { type: 'string', default: 'ours,peerjs,redis' },
    'server-cmd': { type: 'string' },
    window: { type: 'string', default: '500' },
    'join-timeout': { type: 'string', default: '30' },
    'ws-client': { type: 'boolean', default: false },
    'max-server-rss': { type: 'string', default: '4096' },
    rounds: { type: 'string', default: '1' },
    'no-pin': { type: 'boolean', default: false },
  },
});

function positiveInteger(text: string, what: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) {
    console.error(`--${what} must be a positive whole number, got "${text}"`);
    process.exit(2);
  }
  return value;
}

const clientCounts = values.clients.split(',').map((text) => positiveInteger(text.trim(), 'clients'));
const durationMs = positiveInteger(values.duration, 'duration') * 1000;
const pairCount = positiveInteger(values.pairs, 'pairs');
const joinWindow = positiveInteger(values.window, 'window');
const joinTimeoutMs = positiveInteger(values['join-timeout'], 'join-timeout') * 1000;
/** A server whose RSS passes this is killed, so a runaway one cannot take the shared machine's memory. */
const maxServerRss = positiveInteger(values['max-server-rss'], 'max-server-rss') * 1024 * 1024;
const library: ClientLibrary = values['ws-client'] ? 'ws' : 'lean';
const kinds = values.servers.split(',').map((text) => text.trim());
/** Each round runs every server once, interleaved, so background load falls on all of them alike; the table shows medians. */
const rounds = positiveInteger(values.rounds, 'rounds');
for (const kind of kinds) {
  if (!['ours', 'peerjs', 'redis'].includes(kind)) {
    console.error(`--servers takes ours, peerjs and redis, got "${kind}"`);
    process.exit(2);
  }
}

const notes: string[] = [];

/** taskset prefixes that give a single server CPU 0 and its clients the rest; null when that cannot be done. */
const pinning = ((): { server: string[]; clients: string[] } | null => {
  const cpus = availableParallelism();
  if (values['no-pin'] || process.platform !== 'linux' || cpus < 2) return null;
  if (spawnSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' }).status !== 0) {
    notes.push('taskset did not run: server and clients were not pinned to CPUs of their own.');
    return null;
  }
  return { server: ['taskset', '-c', '0'], clients: ['taskset', '-c', cpus === 2 ? '1' : `1-${cpus - 1}`] };
})();

function chooseServerCommand(): string {
  const requested = values['server-cmd'] ?? process.env.SOFTPHONE_BENCH_SERVER_CMD;
  if (requested) return requested;
  if (existsSync(join(ROOT, 'dist/server/cli.mjs'))) return DEFAULT_SERVER_COMMAND;
  if (existsSync(join(ROOT, 'server/cli.ts'))) {
    notes.push(`dist/server/cli.mjs is not built: ran \`${SOURCE_SERVER_COMMAND}\` instead (npm run build:server builds it).`);
    return SOURCE_SERVER_COMMAND;
  }
  throw new Error('No server to run: build dist/server/cli.mjs or pass --server-cmd.');
}

// ---- servers ----------------------------------------------------------------

interface RunningServer {
  child: Child;
  url: string;
  port: number;
}

const serverEnv = { ...process.env, SOFTPHONE_LOG_LEVEL: process.env.SOFTPHONE_LOG_LEVEL ?? 'warn' };
let serverCommand = '';
/** Whether our server takes NO_LIMIT_FLAGS; learnt before the first row. */
let noLimitFlags = false;

async function startOurs(extra: string[], pinned = false): Promise<RunningServer> {
  const port = await freePort();
  const flags = noLimitFlags ? NO_LIMIT_FLAGS : [];
  const child = startChild('our server', ['--host', '127.0.0.1', '--port', String(port), ...flags, ...extra], {
    shell: pinned && pinning ? `${pinning.server.join(' ')} ${serverCommand}` : serverCommand,
    env: serverEnv,
    cwd: ROOT,
  });
  try {
    const [url] = await waitForLine(child, /wss?:\/\/[^\s"']+/, START_TIMEOUT_MS);
    return { child, url: url.replace(/[.,;)]+$/, ''), port };
  } catch (error) {
    await stopChild(child, 500);
    throw error;
  }
}

/** Starts our server once with NO_LIMIT_FLAGS, and if that fails once without, to learn whether it takes them. */
async function detectNoLimitFlags(): Promise<void> {
  noLimitFlags = true;
  try {
    await stopChild((await startOurs([])).child, STOP_GRACE_MS);
    return;
  } catch (error) {
    noLimitFlags = false;
    try {
      await stopChild((await startOurs([])).child, STOP_GRACE_MS);
      notes.push(`Our server refused \`${NO_LIMIT_FLAGS.join(' ')}\` (${firstLine((error as Error).message)}): it ran with its own limits.`);
    } catch {
      // It does not start at all: its rows say why.
    }
  }
}

async function startPeerJs(clients: number): Promise<RunningServer> {
  const port = await freePort();
  const child = startChild('PeerJS server', [
    ...(pinning?.server ?? []),
    process.execPath,
    PEERJS_BIN,
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--concurrent_limit',
    String(clients + 100),
    // Our clients send no HEARTBEAT (peerjs clients send one every 5 s); without this it drops them after 60 s.
    '--alive_timeout',
    '600000',
  ]);
  try {
    await waitForLine(child, /Started PeerServer/, START_TIMEOUT_MS);
  } catch (error) {
    await stopChild(child, 500);
    throw error;
  }
  return { child, url: `ws://127.0.0.1:${port}`, port };
}

async function startRedis(): Promise<{ child: Child; url: string }> {
  const port = await freePort();
  const child = startChild('redis-server', ['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  try {
    await waitForLine(child, /[Rr]eady to accept connections/, START_TIMEOUT_MS);
  } catch (error) {
    await stopChild(child, 500);
    throw error;
  }
  return { child, url: `redis://127.0.0.1:${port}` };
}

/** The line of an error (with a child's stderr) that says most: one naming an error, else the first. */
function firstLine(text: string): string {
  const lines = text.split('\n').map((line) => line.trim()).filter(Boolean);
  const telling = lines.find((line, index) => index > 0 && /error|unknown|invalid|cannot|not found/i.test(line));
  return (telling ? `${lines[0]} … ${telling}` : (lines[0] ?? '')).slice(0, 200);
}

// ---- client processes -------------------------------------------------------

interface ClientProcess {
  child: Child;
  waiting: ((message: unknown) => void) | null;
}

function startClientProcess(name: string, pinned: boolean): ClientProcess {
  const loader = process.execArgv.length > 0 ? process.execArgv : ['--import', 'tsx'];
  const pin = pinned && pinning ? pinning.clients : [];
  const child = startChild(name, [...pin, process.execPath, ...loader, CLIENT_SCRIPT], { ipc: true, cwd: ROOT });
  const clientProcess: ClientProcess = { child, waiting: null };
  child.process.on('message', (message) => clientProcess.waiting?.(message));
  return clientProcess;
}

function ask<T extends { type: string }>(clientProcess: ClientProcess, command: ClientCommand, reply: T['type'], timeoutMs: number): Promise<T> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      clientProcess.waiting = null;
      reject(new Error(`${clientProcess.child.name} did not answer "${command.type}" within ${timeoutMs} ms`));
    }, timeoutMs);
    clientProcess.waiting = (message) => {
      const typed = message as { type: string; message?: string };
      clientProcess.waiting = null;
      clearTimeout(timer);
      if (typed.type === reply) resolvePromise(message as T);
      else reject(new Error(`${clientProcess.child.name}: ${typed.message ?? JSON.stringify(message)}`));
    };
    void clientProcess.child.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${clientProcess.child.name} exited with ${code}: ${clientProcess.child.stderrTail()}`));
    });
    clientProcess.child.process.send(command);
  });
}

// ---- one row ----------------------------------------------------------------

interface Row {
  server: string;
  clients: number;
  /** The numbers behind the text, for medians over rounds (NaN when not measured). */
  measured: { joinMs: number; msgsPerSecond: number; p50Ms: number; p99Ms: number; rssBytes: number };
  joinTime: string;
  joinBytes: string;
  msgsPerSecond: string;
  p50: string;
  p99: string;
  peakRss: string;
}

interface Group {
  server: RunningServer;
  protocol: Protocol;
  names: string[];
  clients?: ClientProcess;
  /** Highest VmRSS seen while polling (the fallback when VmHWM cannot be read). */
  polledRss: number;
}

/** Polls the servers' VmRSS every 200 ms; kills them all if one passes maxServerRss. */
function guardMemory(groups: Group[]): { stop(): void; tripped(): string | null } {
  let tripped: string | null = null;
  const pids = groups.map((group) => listeningPids(group.server.child, group.server.port));
  const timer = setInterval(() => {
    for (const [index, group] of groups.entries()) {
      const rss = pids[index]!.reduce((sum, pid) => sum + statusKb(pid, 'VmRSS') * 1024, 0);
      if (Number.isFinite(rss)) group.polledRss = Math.max(group.polledRss, rss);
      if (rss > maxServerRss && tripped === null) {
        tripped = `server RSS passed ${mib(maxServerRss)}, killed`;
        for (const other of groups) void stopChild(other.server.child, 0);
      }
    }
  }, 200);
  return { stop: () => clearInterval(timer), tripped: () => tripped };
}

function mib(bytes: number): string {
  if (!Number.isFinite(bytes)) return '?';
  const [value, unit] =
    bytes >= 1024 ** 3 ? [bytes / 1024 ** 3, 'GiB'] : bytes >= 1024 ** 2 ? [bytes / 1024 ** 2, 'MiB'] : [bytes / 1024, 'KiB'];
  return `${value.toFixed(value < 10 ? 2 : 1)} ${unit}`;
}
const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(value < 10 ? 2 : 1)} ms` : '—');
const seconds = (value: number) => `${(value / 1000).toFixed(2)} s`;
const percent = (part: number, whole: number) => `${Math.round((100 * part) / whole)}%`;

function names(count: number, offset = 0): string[] {
  return Array.from({ length: count }, (_, index) => `user-${offset + index}`);
}

/**
 * Who used the CPU during a phase: the server(s), the client processes, and
 * everything else on the machine (other users' work, kernel threads), which
 * says how much a number was squeezed by load that is not ours.
 */
function cpuMeter(serverPids: number[]): (clientCpuMs: number) => string {
  const serverCpu = () => serverPids.reduce((sum, pid) => sum + cpuTimeMs(pid), 0);
  const startedAt = monotonicMs();
  const serverStart = serverCpu();
  const machineStart = machineBusyMs();
  return (clientCpuMs) => {
    const wall = monotonicMs() - startedAt;
    const server = serverCpu() - serverStart;
    const others = machineBusyMs() - machineStart - server - clientCpuMs;
    return (
      `CPU: server ${percent(server, wall)} of a core, client processes ${percent(clientCpuMs, wall)}, ` +
      `everything else on the machine ${percent(Math.max(0, others), wall)} (of ${availableParallelism()} cores)`
    );
  };
}

/** Joins, settles and routes over the groups (one client process each); fills `row` and `rowNotes`. */
async function load(groups: Group[], clients: number, row: Row, rowNotes: string[], abort: () => string | null): Promise<void> {
  // One server process is pinned (with its clients); the Redis rows' two servers and Redis are left to the scheduler.
  const pinned = groups.length === 1;
  for (const [index, group] of groups.entries()) group.clients = startClientProcess(`client process ${index + 1}`, pinned);
  const serverPids = groups.flatMap((group) => listeningPids(group.server.child, group.server.port));
  const joinCpu = cpuMeter(serverPids);

  const joins = await Promise.all(
    groups.map((group) =>
      ask<JoinReport>(
        group.clients!,
        { type: 'join', protocol: group.protocol, library, url: group.server.url, names: group.names, window: joinWindow, deadlineMs: joinTimeoutMs },
        'joined',
        joinTimeoutMs + START_TIMEOUT_MS,
      ),
    ),
  );
  const joinMs = Math.max(...joins.map((j) => j.lastSignedInAt)) - Math.min(...joins.map((j) => j.firstConnectAt));
  const signedIn = joins.reduce((sum, j) => sum + j.signedIn, 0);
  const joinCpuNote = joinCpu(joins.reduce((sum, j) => sum + j.cpuMs, 0));
  for (const j of joins) for (const error of j.errors) rowNotes.push(`join error: ${error}`);

  const settles = await Promise.all(
    groups.map((group) =>
      ask<SettleReport>(group.clients!, { type: 'settle', quietMs: SETTLE_QUIET_MS, maxMs: SETTLE_MAX_MS }, 'settled', SETTLE_MAX_MS + 5000),
    ),
  );
  const payload = settles.reduce((sum, s) => sum + s.payloadBytes, 0);
  const wire = settles.reduce((sum, s) => sum + s.wireBytes, 0);
  const frames = settles.reduce((sum, s) => sum + s.frames, 0);
  row.joinBytes = mib(payload);
  if (abort()) {
    row.joinTime = `aborted: ${signedIn}/${clients} signed in`;
    rowNotes.push(`${abort()} during the join, ${signedIn}/${clients} clients signed in: no routing measured.`);
    return;
  }
  if (signedIn < clients) {
    const timedOut = joins.some((j) => j.timedOut);
    row.joinTime = timedOut ? `timeout: ${signedIn}/${clients} in ${seconds(joinTimeoutMs)}` : `failed: ${signedIn}/${clients}`;
    rowNotes.push(`${clients - signedIn} clients not signed in${timedOut ? ` after ${seconds(joinTimeoutMs)}` : ''}: no routing measured.`);
    return;
  }
  row.joinTime = seconds(joinMs);
  row.measured.joinMs = joinMs;
  rowNotes.push(
    `join: ${joinCpuNote}; ${frames} frames, ${mib(wire)} on the wire (HTTP upgrade + frame headers)` +
      (settles.every((s) => s.quiet) ? '' : `; still receiving after ${SETTLE_MAX_MS / 1000} s`),
  );

  // Pairs: within the one group, or A on the first server and B on the second.
  const pairsPerGroup: PairEnd[][] = groups.map(() => []);
  const pairs = Math.min(pairCount, groups.length === 1 ? Math.floor(clients / 2) : Math.min(...groups.map((g) => g.names.length)));
  for (let index = 0; index < pairs; index++) {
    const [groupA, groupB] = groups.length === 1 ? [0, 0] : [0, 1];
    const a = groups.length === 1 ? groups[0]!.names[2 * index]! : groups[0]!.names[index]!;
    const b = groups.length === 1 ? groups[0]!.names[2 * index + 1]! : groups[1]!.names[index]!;
    pairsPerGroup[groupA]!.push({ name: a, peer: b, role: 'A' });
    pairsPerGroup[groupB]!.push({ name: b, peer: a, role: 'B' });
  }
  const startAt = monotonicMs() + 300;
  const routeCpu = cpuMeter(serverPids);
  const routes = await Promise.all(
    groups.map((group, index) =>
      ask<RouteReport>(
        group.clients!,
        { type: 'route', pairs: pairsPerGroup[index]!, startAt, durationMs, drainMs: DRAIN_MS },
        'routed',
        durationMs + DRAIN_MS + 10_000,
      ),
    ),
  );
  const received = routes.reduce((sum, r) => sum + r.received, 0);
  const latencies = routes.flatMap((r) => r.latenciesMs);
  row.measured.msgsPerSecond = received / (durationMs / 1000);
  row.measured.p50Ms = percentile(latencies, 50);
  row.measured.p99Ms = percentile(latencies, 99);
  row.msgsPerSecond = Math.round(row.measured.msgsPerSecond).toLocaleString('en-US');
  row.p50 = ms(row.measured.p50Ms);
  row.p99 = ms(row.measured.p99Ms);
  const rateLimited = routes.reduce((sum, r) => sum + r.rateLimited, 0);
  const otherErrors = routes.reduce((sum, r) => sum + r.otherErrors, 0);
  const stalled = routes.reduce((sum, r) => sum + r.stalled, 0);
  const closed = routes.reduce((sum, r) => sum + r.closedDuringRoute, 0);
  rowNotes.push(
    `routing: ${pairs} pairs; ${routeCpu(routes.reduce((sum, r) => sum + r.cpuMs, 0))}` +
      (rateLimited ? `; ${rateLimited} messages refused as rate-limited (resent after 25 ms)` : '') +
      (otherErrors ? `; ${otherErrors} error replies (${routes.flatMap((r) => r.errors)[0]})` : '') +
      (stalled ? `; ${stalled} pairs got no last answer` : '') +
      (closed ? `; ${closed} clients were disconnected` : ''),
  );
}

function hwmBytes(group: Group): number {
  return listeningPids(group.server.child, group.server.port).reduce((sum, pid) => sum + statusKb(pid, 'VmHWM') * 1024, 0);
}

function peakRss(group: Group): string {
  const hwm = hwmBytes(group);
  return Number.isFinite(hwm) ? mib(hwm) : `≥ ${mib(group.polledRss)} (polled)`;
}

function unmeasured(): Row['measured'] {
  return { joinMs: NaN, msgsPerSecond: NaN, p50Ms: NaN, p99Ms: NaN, rssBytes: NaN };
}

function median(values: number[]): number {
  const measured = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (measured.length === 0) return NaN;
  const middle = Math.floor(measured.length / 2);
  return measured.length % 2 ? measured[middle]! : (measured[middle - 1]! + measured[middle]!) / 2;
}

/** One row per server and client count, each number the median of its rounds. */
function medianRows(all: Row[]): Row[] {
  const groups = new Map<string, Row[]>();
  for (const row of all) groups.set(`${row.server}|${row.clients}`, [...(groups.get(`${row.server}|${row.clients}`) ?? []), row]);
  return [...groups.values()].map((these) => {
    const first = these[0]!;
    const pick = (key: keyof Row['measured']) => median(these.map((row) => row.measured[key]));
    const measured = { joinMs: pick('joinMs'), msgsPerSecond: pick('msgsPerSecond'), p50Ms: pick('p50Ms'), p99Ms: pick('p99Ms'), rssBytes: pick('rssBytes') };
    const text = (value: number, format: (v: number) => string, fallback: string) => (Number.isFinite(value) ? format(value) : fallback);
    return {
      ...first,
      measured,
      joinTime: text(measured.joinMs, seconds, first.joinTime),
      msgsPerSecond: text(measured.msgsPerSecond, (v) => Math.round(v).toLocaleString('en-US'), first.msgsPerSecond),
      p50: text(measured.p50Ms, ms, first.p50),
      p99: text(measured.p99Ms, ms, first.p99),
      peakRss: text(measured.rssBytes, mib, first.peakRss),
    };
  });
}

function label(kind: string): string {
  return kind === 'ours' ? 'ours' : kind === 'peerjs' ? 'PeerJS 1.0.2' : 'ours ×2 + Redis';
}

async function runRow(kind: string, clients: number): Promise<{ row: Row; notes: string[] }> {
  const row: Row = { server: label(kind), clients, measured: unmeasured(), joinTime: '—', joinBytes: '—', msgsPerSecond: '—', p50: '—', p99: '—', peakRss: '—' };
  const rowNotes: string[] = [];
  const started: Child[] = [];
  const groups: Group[] = [];
  try {
    if (kind === 'ours') {
      const server = await startOurs([], true);
      started.push(server.child);
      groups.push({ server, protocol: 'ours', names: names(clients), polledRss: 0 });
    } else if (kind === 'peerjs') {
      const server = await startPeerJs(clients);
      started.push(server.child);
      groups.push({ server, protocol: 'peerjs', names: names(clients), polledRss: 0 });
    } else {
      const redis = await startRedis();
      started.push(redis.child);
      let first: RunningServer;
      try {
        first = await startOurs(['--redis', redis.url]);
      } catch (error) {
        const message = (error as Error).message;
        row.joinTime = /redis/i.test(message) && /unknown|unexpected|not (supported|allowed)/i.test(message)
          ? 'n/a (server has no --redis)'
          : `n/a (${firstLine(message)})`;
        return { row, notes: rowNotes };
      }
      started.push(first.child);
      const second = await startOurs(['--redis', redis.url]);
      started.push(second.child);
      const half = Math.ceil(clients / 2);
      groups.push({ server: first, protocol: 'ours', names: names(half), polledRss: 0 });
      groups.push({ server: second, protocol: 'ours', names: names(clients - half, half), polledRss: 0 });
    }
    const memory = guardMemory(groups);
    try {
      await load(groups, clients, row, rowNotes, memory.tripped);
    } catch (error) {
      rowNotes.push(`failed: ${firstLine((error as Error).message)}`);
    } finally {
      memory.stop();
    }
    row.peakRss = groups.map(peakRss).join(' + ');
    row.measured.rssBytes = groups.map(hwmBytes).reduce((sum, bytes) => sum + bytes, 0);
    if (kind === 'redis') rowNotes.push(`redis-server peak RSS ${mib(statusKb(started[0]!.pid, 'VmHWM') * 1024)} (not in the table)`);
  } finally {
    await Promise.all(groups.map((group) => group.clients && stopChild(group.clients.child, STOP_GRACE_MS)));
    await Promise.all(started.reverse().map((child) => stopChild(child, STOP_GRACE_MS)));
  }
  return { row, notes: rowNotes };
}

// ---- main -------------------------------------------------------------------

process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

const rowBudgetMs = START_TIMEOUT_MS * 3 + joinTimeoutMs + SETTLE_MAX_MS + durationMs + DRAIN_MS + 30_000;
const watchdog = setTimeout(() => {
  console.error('bench:server: ran past its time budget; stopping everything.');
  killAll();
  process.exit(1);
}, rowBudgetMs * clientCounts.length * kinds.length * rounds);
watchdog.unref();

serverCommand = chooseServerCommand();
if (kinds.includes('ours') || kinds.includes('redis')) await detectNoLimitFlags();
const rows: Row[] = [];
const rowNotes: string[] = [];
for (let round = 1; round <= rounds; round++) {
for (const clients of clientCounts) {
  for (const kind of kinds) {
    process.stderr.write(`bench:server: ${kind}, ${clients} clients${rounds > 1 ? `, round ${round} of ${rounds}` : ''}…\n`);
    try {
      const { row, notes: these } = await runRow(kind, clients);
      rows.push(row);
      for (const note of these) rowNotes.push(`${row.server}, ${clients}${rounds > 1 ? `, round ${round}` : ''}: ${note}`);
    } catch (error) {
      // A server that does not start is a row that says so, not the end of the table.
      const failed = `failed: ${firstLine((error as Error).message)}`;
      rows.push({ server: label(kind), clients, measured: unmeasured(), joinTime: failed, joinBytes: '—', msgsPerSecond: '—', p50: '—', p99: '—', peakRss: '—' });
    }
  }
}
}
clearTimeout(watchdog);

console.log(
  `\nSignaling servers under load: our server = \`${serverCommand}\`; ${Math.round(durationMs / 1000)} s closed-loop routing of ` +
    `~3.5 KB offers/answers between up to ${pairCount} pairs; join window ${joinWindow}; ` +
    `clients: ${library === 'lean' ? 'bench/lean-websocket.ts' : 'ws'}, one process per server` +
    (pinning ? `; a single server on CPU 0, its clients on CPU ${pinning.clients[2]} (taskset).\n` : '.\n'),
);
if (rounds > 1) console.log(`Each number is the median of ${rounds} rounds (the servers take turns in every round); every round's rows follow the notes.\n`);
console.log('| server | clients | join time | join bytes | routed msgs/s | p50 | p99 | peak RSS |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const row of rounds > 1 ? medianRows(rows) : rows) {
  console.log(
    `| ${row.server} | ${row.clients.toLocaleString('en-US')} | ${row.joinTime} | ${row.joinBytes} | ${row.msgsPerSecond} | ${row.p50} | ${row.p99} | ${row.peakRss} |`,
  );
}
console.log(
  '\njoin time: first connect → last client signed in. join bytes: WebSocket message payloads received by all clients until ' +
    `${SETTLE_QUIET_MS} ms without a frame. routed msgs/s: offers + answers received per second. p50/p99: one-way latency, ` +
    'send → receive. peak RSS: VmHWM of the server process(es).',
);
for (const note of [...notes, ...rowNotes]) console.log(`- ${note}`);
if (rounds > 1) {
  console.log('\nEvery round:\n');
  console.log('| round | server | clients | join time | routed msgs/s | p50 | p99 | peak RSS |');
  console.log('|---:|---|---:|---:|---:|---:|---:|---:|');
  const perRound = rows.length / rounds;
  rows.forEach((row, index) =>
    console.log(`| ${Math.floor(index / perRound) + 1} | ${row.server} | ${row.clients.toLocaleString('en-US')} | ${row.joinTime} | ${row.msgsPerSecond} | ${row.p50} | ${row.p99} | ${row.peakRss} |`),
  );
}
