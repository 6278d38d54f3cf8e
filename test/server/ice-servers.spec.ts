/**
 * STUN/TURN for clients: `welcome.iceServers` with TURN REST credentials
 * that coturn's use-auth-secret accepts, refreshed with `ice-servers`
 * before they expire.
 */
import { test, expect } from '@playwright/test';
import { createHmac } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSignalingServer, type SignalingServer, type SignalingServerOptions } from '../../server/signaling-server.ts';
import { RawPeer, connectAndSend, killClis, quiet, requireBuiltCli, runCli, signIn } from './support.ts';

const secret = 'coturn static auth secret';
const stunUrls = ['stun:stun.example.test:3478'];
const turnUrls = ['turn:turn.example.test:3478?transport=udp', 'turns:turn.example.test:5349?transport=tcp'];

let server: SignalingServer | undefined;
const peers: RawPeer[] = [];

async function startServer(options: SignalingServerOptions): Promise<SignalingServer> {
  server = await startSignalingServer({ log: quiet, ...options });
  return server;
}

/** What coturn does with a REST credential: recompute the password, check the expiry. */
function coturnAccepts(username: string, credential: string, sharedSecret: string, nowSeconds = Date.now() / 1000): boolean {
  const expiry = Number(username.split(':')[0]);
  return createHmac('sha1', sharedSecret).update(username).digest('base64') === credential && expiry > nowSeconds;
}

test.afterEach(async () => {
  for (const p of peers.splice(0)) p.close();
  killClis();
  await server?.close();
  server = undefined;
});

test('welcome lists the STUN servers and the TURN servers with credentials coturn accepts', async () => {
  await startServer({ ice: { stunUrls, turnUrls, turnSecret: secret, turnTtlSeconds: 3600 } });
  const before = Math.floor(Date.now() / 1000);
  const alice = await connectAndSend(server!.url, 'Alice', { features: [] });
  peers.push(alice);
  const { iceServers } = await alice.waitForType('welcome');
  const [stun, turn] = iceServers as { urls: string[]; username?: string; credential?: string }[];
  expect(stun).toEqual({ urls: stunUrls });
  expect(turn.urls).toEqual(turnUrls);
  const [expiry, name] = turn.username!.split(':');
  expect(name).toBe('Alice');
  expect(Number(expiry)).toBeGreaterThanOrEqual(before + 3600);
  expect(Number(expiry)).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 3600);
  expect(coturnAccepts(turn.username!, turn.credential!, secret)).toBe(true);
  expect(coturnAccepts(turn.username!, turn.credential!, 'another secret')).toBe(false);
});

test('sends fresh credentials with ice-servers before the old ones expire', async () => {
  await startServer({ ice: { turnUrls, turnSecret: secret, turnTtlSeconds: 2 } });
  const alice = await connectAndSend(server!.url, 'Alice', { features: [] });
  peers.push(alice);
  const welcome = await alice.waitForType('welcome');
  const first = (welcome.iceServers as { username: string }[])[0];
  const refresh = await alice.waitForType('ice-servers');
  const [fresh] = refresh.iceServers as { username: string; credential: string }[];
  // It came while the first ones were still valid, and the new ones last longer.
  expect(coturnAccepts(first.username, (welcome.iceServers as { credential: string }[])[0].credential, secret)).toBe(true);
  expect(Number(fresh.username.split(':')[0])).toBeGreaterThan(Number(first.username.split(':')[0]));
  expect(coturnAccepts(fresh.username, fresh.credential, secret)).toBe(true);
});

test('tutorial clients get no welcome, and TURN without a secret is listed without credentials', async () => {
  await startServer({ ice: { turnUrls } });
  const tutorial = await signIn(server!.url, 'old');
  peers.push(tutorial);
  expect(tutorial.all('welcome')).toEqual([]);
  const modern = await connectAndSend(server!.url, 'new', { features: [] });
  peers.push(modern);
  await expect(modern.waitForType('welcome')).resolves.toMatchObject({ iceServers: [{ urls: turnUrls }] });
});

test('the command-line server reads the TURN secret from a file', async () => {
  requireBuiltCli();
  const folder = await mkdtemp(path.join(tmpdir(), 'signaling-ice-'));
  try {
    const secretFile = path.join(folder, 'turn-secret');
    await writeFile(secretFile, `${secret}\n`, { mode: 0o600 });
    const cli = runCli(['--port', '0', '--stun', stunUrls[0], '--turn', turnUrls[0], '--turn', turnUrls[1], '--turn-secret-file', secretFile, '--turn-ttl', '600']);
    const url = await cli.url();
    const alice = await connectAndSend(url, 'Alice', { features: [] });
    peers.push(alice);
    const { iceServers } = await alice.waitForType('welcome');
    const turn = (iceServers as { urls: string[]; username: string; credential: string }[])[1];
    expect(turn.urls).toEqual(turnUrls);
    expect(coturnAccepts(turn.username, turn.credential, secret)).toBe(true);
    expect(Number(turn.username.split(':')[0])).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 600);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});
