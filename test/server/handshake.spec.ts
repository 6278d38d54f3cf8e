/**
 * What is refused before a WebSocket opens: foreign web origins (403), too
 * many connections from one address (429); and the server over TLS (wss://).
 */
import { test, expect } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSignalingServer, type SignalingServer, type SignalingServerOptions } from '../../server/signaling-server.ts';
import { hasOpenssl, selfSignedCertificate } from '../support/scripted-signaling-server.ts';
import { RawPeer, expectServerStillServes, killClis, quiet, requireBuiltCli, runCli, signIn } from './support.ts';

let server: SignalingServer | undefined;
const peers: RawPeer[] = [];

async function startServer(options: SignalingServerOptions = {}): Promise<SignalingServer> {
  server = await startSignalingServer({ log: quiet, ...options });
  return server;
}

async function open(url: string, headers?: Record<string, string>): Promise<RawPeer> {
  const peer = await RawPeer.open(url, { headers });
  peers.push(peer);
  return peer;
}

test.afterEach(async () => {
  for (const peer of peers.splice(0)) peer.close();
  killClis();
  await server?.close();
  server = undefined;
});

test.describe('origin', () => {
  test('refuses a web page from an origin that is not allowed with 403, and accepts allowed origins and non-browser clients', async () => {
    await startServer({ allowedOrigins: ['https://app.example', 'http://127.0.0.1:5173'] });
    await expect(RawPeer.refusal(server!.url, { headers: { origin: 'https://evil.example' } })).resolves.toBe(403);
    // Exact match only: same host, other scheme or port, is another origin.
    await expect(RawPeer.refusal(server!.url, { headers: { origin: 'http://app.example' } })).resolves.toBe(403);
    await expect(RawPeer.refusal(server!.url, { headers: { origin: 'http://127.0.0.1:5174' } })).resolves.toBe(403);

    const page = await open(server!.url, { origin: 'https://app.example' });
    await page.waitForType('id');
    // Our app's sockets (Node) send no Origin at all.
    const app = await signIn(server!.url, 'app');
    peers.push(app);
    expect(server!.users()).toEqual(['app']);
  });

  test('refuses every web page when no origin is allowed', async () => {
    await startServer();
    await expect(RawPeer.refusal(server!.url, { headers: { origin: 'http://127.0.0.1:8080' } })).resolves.toBe(403);
    await expectServerStillServes(server!.url);
  });
});

test.describe('connections per address', () => {
  test('answers 429 once an address holds its share, and frees the slot when a connection ends', async () => {
    await startServer({ maxConnectionsPerIp: 3 });
    const held = [await open(server!.url), await open(server!.url), await open(server!.url)];
    await expect(RawPeer.refusal(server!.url)).resolves.toBe(429);
    // Forwarded-for headers are not believed without trustProxy.
    await expect(RawPeer.refusal(server!.url, { headers: { 'x-forwarded-for': '198.51.100.7' } })).resolves.toBe(429);
    held[0].close();
    await held[0].closed;
    await expect.poll(async () => (await RawPeer.open(server!.url).then((p) => (peers.push(p), 'open'), () => 'refused'))).toBe('open');
  });

  test('behind a trusted proxy, counts the address the proxy appended to X-Forwarded-For', async () => {
    await startServer({ maxConnectionsPerIp: 2, trustProxy: true });
    // The client may claim anything first; the last entry is what our proxy saw.
    await open(server!.url, { 'x-forwarded-for': '10.9.9.9, 203.0.113.1' });
    await open(server!.url, { 'x-forwarded-for': '10.9.9.8, 203.0.113.1' });
    await expect(RawPeer.refusal(server!.url, { headers: { 'x-forwarded-for': '203.0.113.1' } })).resolves.toBe(429);
    const other = await open(server!.url, { 'x-forwarded-for': '203.0.113.2' });
    await other.waitForType('id');
  });

  test('has no cap by default (the embedded server sees every client from 127.0.0.1)', async () => {
    await startServer();
    for (let i = 0; i < 60; i++) await open(server!.url);
    await expectServerStillServes(server!.url);
  });
});

test.describe('TLS', () => {
  let folder: string;
  let cert: string;
  let key: string;

  test.beforeAll(async () => {
    if (!hasOpenssl()) throw new Error('These tests need the openssl command (apt-get install openssl) to make a certificate');
    folder = await mkdtemp(path.join(tmpdir(), 'signaling-tls-'));
    ({ cert, key } = selfSignedCertificate(folder, 'server', 'IP:127.0.0.1'));
  });

  test.afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  test('serves wss:// with the given certificate; clients that trust it sign in and call', async () => {
    await startServer({ tls: { cert, key } });
    expect(server!.url).toBe(`wss://127.0.0.1:${server!.port}`);
    const trusting = { client: { ca: cert } };
    const alice = await signIn(server!.url, 'alice', trusting);
    const bob = await signIn(server!.url, 'bob', trusting);
    peers.push(alice, bob);
    alice.send({ type: 'hang-up', target: 'bob' });
    await expect(bob.waitForType('hang-up')).resolves.toMatchObject({ name: 'alice' });
    // A client that does not trust the certificate cannot connect.
    await expect(RawPeer.open(server!.url)).rejects.toThrow(/self-signed|self signed/);
  });

  test('the command-line server serves wss:// with --tls-cert and --tls-key', async () => {
    requireBuiltCli();
    const cli = runCli(['--port', '0', '--tls-cert', path.join(folder, 'server.crt'), '--tls-key', path.join(folder, 'server.key')]);
    const url = await cli.url();
    expect(url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+$/);
    const alice = await signIn(url, 'alice', { client: { ca: cert } });
    peers.push(alice);

    const half = runCli(['--port', '0', '--tls-cert', path.join(folder, 'server.crt')]);
    await expect(half.exited).resolves.toBe(1);
    expect(half.stderr()).toContain('TLS needs both --tls-cert and --tls-key');
  });
});
