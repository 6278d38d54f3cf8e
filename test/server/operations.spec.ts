/**
 * Running the server: /healthz, /metrics, 426 for other HTTP, and a graceful
 * close that tells every client to reconnect (1012) while health says 503.
 */
import { test, expect } from '@playwright/test';
import type { Socket } from 'node:net';
import { CloseCode } from '../../common/signaling-protocol.ts';
import { startSignalingServer, type SignalingServer } from '../../server/signaling-server.ts';
import { RawPeer, httpGet, metricValue, quiet, signIn } from './support.ts';

let server: SignalingServer | undefined;
const peers: RawPeer[] = [];

test.afterEach(async () => {
  for (const p of peers.splice(0)) p.close();
  await server?.close();
  server = undefined;
});

test('/healthz answers 200 with JSON; other requests get 426', async () => {
  server = await startSignalingServer({ log: quiet });
  peers.push(await signIn(server.url, 'alice'));
  const health = await httpGet(server.url, '/healthz');
  expect(health.status).toBe(200);
  expect(health.type).toContain('application/json');
  expect(JSON.parse(health.body)).toEqual({ status: 'ok', users: 1, connections: 1 });
  const root = await httpGet(server.url, '/');
  expect(root.status).toBe(426);
  expect(root.body).toContain('WebSocket signaling server');
  const post = await fetch(new URL('/healthz', server.url.replace('ws', 'http')), { method: 'POST' });
  expect(post.status).toBe(426);
});

test('/metrics reports users, connections, routed messages, rejections, closes and queued bytes', async () => {
  server = await startSignalingServer({ log: quiet, signInTimeoutMs: 500 });
  const alice = await signIn(server.url, 'alice');
  const bob = await signIn(server.url, 'bob');
  const lurker = await RawPeer.open(server.url);
  peers.push(alice, bob, lurker);
  alice.send({ type: 'hang-up', target: 'bob' });
  alice.send({ type: 'ringing', target: 'bob', callId: 'c' });
  await bob.waitForType('ringing');
  alice.send({ type: 'hang-up', target: 'nobody' });
  await alice.waitForError('unknown-target');
  alice.socket.send('not json');
  await alice.waitForError('bad-json');
  await lurker.closed;

  const { status, type, body } = await httpGet(server.url, '/metrics');
  expect(status).toBe(200);
  expect(type).toContain('text/plain');
  expect(body).toContain('# TYPE signaling_users gauge');
  expect(metricValue(body, 'signaling_users')).toBe(2);
  expect(metricValue(body, 'signaling_connections')).toBe(2);
  expect(metricValue(body, 'signaling_routed_messages_total')).toBe(2);
  expect(metricValue(body, 'signaling_rejections_total', '{code="unknown-target"}')).toBe(1);
  expect(metricValue(body, 'signaling_rejections_total', '{code="bad-json"}')).toBe(1);
  expect(metricValue(body, 'signaling_closes_total', `{code="${CloseCode.SignInTimeout}"}`)).toBe(1);
  expect(metricValue(body, 'signaling_bytes_queued')).toBeGreaterThanOrEqual(0);
  expect(metricValue(body, 'process_resident_memory_bytes')).toBeGreaterThan(0);
});

test('close() tells every client to reconnect with 1012, /healthz says 503 meanwhile, and new connections are refused', async () => {
  server = await startSignalingServer({ log: quiet });
  const alice = await signIn(server.url, 'alice');
  // A client that does not answer the close frame keeps the server in its closing phase for a moment.
  const hung = await signIn(server.url, 'hung');
  peers.push(alice, hung);
  const tcp = (hung.socket as unknown as { _socket: Socket })._socket;
  tcp.resume = () => tcp;
  tcp.pause();

  const closed = server.close();
  await expect(alice.closed).resolves.toMatchObject({ code: CloseCode.ServiceRestart });
  const health = await httpGet(server.url, '/healthz');
  expect(health.status).toBe(503);
  expect(JSON.parse(health.body)).toMatchObject({ status: 'closing' });
  await expect(RawPeer.refusal(server.url)).resolves.toBe(503);
  await closed;
  await expect(fetch(new URL('/healthz', server.url.replace('ws', 'http')))).rejects.toThrow();
  server = undefined;
});
