/**
 * Helpers for the server's tests: a bare WebSocket client that records what
 * the server says (as a browser or our app would see it), sign-in helpers,
 * and a runner for the built command-line server.
 */
import { expect } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { WebSocket, type ClientOptions } from 'ws';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const quiet = pino({ level: 'silent' });
export const offerSdp = { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' };
export const answerSdp = { type: 'answer', sdp: 'v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\n' };

export type Received = Record<string, unknown> & { type: string };

export interface OpenOptions {
  protocols?: string[];
  autoPong?: boolean;
  headers?: Record<string, string>;
  /** e.g. `ca` for a self-signed certificate. */
  client?: ClientOptions;
}

/** A bare WebSocket client that records everything the server says, like a browser would see it. */
export class RawPeer {
  readonly received: Received[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly consumed = new Set<Received>();
  private readonly listeners = new Set<() => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.received.push(JSON.parse(data.toString()) as Received);
      for (const listener of [...this.listeners]) listener();
    });
    socket.on('error', () => {});
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static open(url: string, options: OpenOptions = {}): Promise<RawPeer> {
    const socket = new WebSocket(url, options.protocols ?? ['json'], {
      autoPong: options.autoPong ?? true,
      headers: options.headers,
      ...options.client,
    });
    const peer = new RawPeer(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(peer));
      socket.once('error', reject);
    });
  }

  /** The HTTP status a refused handshake answered with. */
  static refusal(url: string, options: OpenOptions = {}): Promise<number> {
    const socket = new WebSocket(url, options.protocols ?? ['json'], { headers: options.headers, ...options.client });
    return new Promise((resolve, reject) => {
      socket.once('unexpected-response', (_request, response) => {
        resolve(response.statusCode ?? 0);
        socket.terminate();
      });
      socket.once('open', () => {
        socket.terminate();
        reject(new Error('The handshake was accepted'));
      });
      socket.once('error', () => {});
    });
  }

  send(message: object): void {
    this.socket.send(JSON.stringify(message));
  }

  /** The next not-yet-taken message matching `predicate`, waiting for it if needed. */
  waitFor(predicate: (message: Received) => boolean, what: string, timeoutMs = 10_000): Promise<Received> {
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
        reject(new Error(`Timed out waiting for ${what}; received ${JSON.stringify(this.received).slice(0, 4000)}`));
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

  /** Messages of a type received so far. */
  all(type: string): Received[] {
    return this.received.filter((m) => m.type === type);
  }

  close(): void {
    this.socket.terminate();
  }
}

/** Connects and signs in the way the tutorial client does: wait for `id`, answer with `username`. */
export async function signIn(url: string, name: string, options?: OpenOptions): Promise<RawPeer> {
  const peer = await RawPeer.open(url, options);
  const { id } = await peer.waitForType('id');
  peer.send({ type: 'username', name, id, date: Date.now() });
  await peer.waitFor((m) => m.type === 'userlist' && (m.users as string[]).includes(name), `userlist with ${name}`);
  return peer;
}

/** Connects and sends `username` with `extra` fields (features, auth, session), without waiting for the outcome. */
export async function connectAndSend(url: string, name: string, extra: object = {}, options?: OpenOptions): Promise<RawPeer> {
  const peer = await RawPeer.open(url, options);
  const { id } = await peer.waitForType('id');
  peer.send({ type: 'username', name, id, ...extra });
  return peer;
}

/** Proves the server still routes between two fresh clients. */
export async function expectServerStillServes(url: string, options?: OpenOptions): Promise<void> {
  const suffix = Math.random().toString(36).slice(2, 8);
  const caller = await signIn(url, `probe-a-${suffix}`, options);
  const callee = await signIn(url, `probe-b-${suffix}`, options);
  caller.send({ type: 'hang-up', target: `probe-b-${suffix}` });
  await expect(callee.waitForType('hang-up')).resolves.toMatchObject({ name: `probe-a-${suffix}` });
  caller.close();
  callee.close();
}

// ---- the built command-line server ----------------------------------------

export const builtCli = path.join(repoRoot, 'dist/server/cli.mjs');

function newestSource(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * The CLI tests run the built server, as deployments do. `npm test` builds
 * it; a focused run needs `npm run build:server` first, and says so.
 */
export function requireBuiltCli(): void {
  if (!existsSync(builtCli)) {
    throw new Error(`${builtCli} is missing: run "npm run build:server" first (npm test builds it).`);
  }
  const sources = Math.max(newestSource(path.join(repoRoot, 'server')), newestSource(path.join(repoRoot, 'common')));
  if (statSync(builtCli).mtimeMs < sources) {
    throw new Error(`${builtCli} is older than the server's sources: run "npm run build:server" again.`);
  }
}

export interface RunningCli {
  child: ChildProcess;
  exited: Promise<number | null>;
  stdout(): string;
  stderr(): string;
  /** The URL line the server prints once it listens. */
  url(): Promise<string>;
}

const running: ChildProcess[] = [];

export function runCli(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): RunningCli {
  const child = spawn(process.execPath, [builtCli, ...args], {
    cwd: repoRoot,
    env: { ...process.env, SOFTPHONE_LOG_LEVEL: 'warn', ...options.env },
    stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  running.push(child);
  if (options.stdin !== undefined) child.stdin!.end(options.stdin);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = async () => {
    await expect.poll(() => stdout, { message: `the server's URL line; stderr: ${stderr}` }).toMatch(/^wss?:\/\/\S+\n/);
    return stdout.trim();
  };
  return { child, exited, stdout: () => stdout, stderr: () => stderr, url };
}

/** Kills every CLI process a test started that is still running. */
export function killClis(): void {
  for (const child of running.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** GET on the server's HTTP side. */
export async function httpGet(url: string, pathname: string): Promise<{ status: number; body: string; type: string | null }> {
  const response = await fetch(new URL(pathname, url.replace(/^ws/, 'http')));
  return { status: response.status, body: await response.text(), type: response.headers.get('content-type') };
}

/** A metric's value from Prometheus text. */
export function metricValue(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}
