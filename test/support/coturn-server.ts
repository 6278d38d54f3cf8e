/**
 * A real coturn TURN server on loopback for tests, with the REST-credential
 * scheme (`use-auth-secret`) the signaling server hands out credentials for.
 * `--allow-loopback-peers` because both peers are on 127.0.0.1 here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createConnection } from 'node:net';
import { freePort } from './free-port.ts';

export interface CoturnServer {
  /** e.g. turn:127.0.0.1:34567?transport=udp */
  url: string;
  secret: string;
  realm: string;
  pid: number;
  /** Everything coturn logged, for a failing test's message. */
  log(): string;
  stop(): Promise<void>;
}

export async function startCoturn(): Promise<CoturnServer> {
  const port = await freePort();
  const secret = randomBytes(16).toString('hex');
  const realm = 'softphone.test';
  const child: ChildProcess = spawn(
    'turnserver',
    [
      '-n',
      '--listening-ip=127.0.0.1',
      '--relay-ip=127.0.0.1',
      `--listening-port=${port}`,
      '--min-port=49152',
      '--max-port=65535',
      '--use-auth-secret',
      `--static-auth-secret=${secret}`,
      `--realm=${realm}`,
      '--allow-loopback-peers',
      '--no-tls',
      '--no-dtls',
      '--no-cli',
      '--log-file=stdout',
      '--simple-log',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.pid === undefined) throw new Error('Could not start turnserver (apt-get install coturn)');

  // coturn listens on TCP as well as UDP: a TCP connect says it is up.
  await waitUntil(async () => {
    if (child.exitCode !== null) throw new Error(`turnserver exited early:\n${output}`);
    return canConnect(port);
  });

  return {
    url: `turn:127.0.0.1:${port}?transport=udp`,
    secret,
    realm,
    pid: child.pid,
    log: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitUntil(check: () => Promise<boolean>, attempts = 100): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('turnserver did not start listening');
}
