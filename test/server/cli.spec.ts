/**
 * The built command-line server (dist/server/cli.mjs), run as a deployment
 * runs it: flags, a config file, the `user` subcommands, and signals.
 */
import { test, expect } from '@playwright/test';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CloseCode } from '../../common/signaling-protocol.ts';
import { startSignalingServer, type SignalingServer } from '../../server/signaling-server.ts';
import { RawPeer, connectAndSend, httpGet, killClis, quiet, requireBuiltCli, runCli, signIn } from './support.ts';

let folder: string;
let server: SignalingServer | undefined;

test.beforeAll(requireBuiltCli);
test.beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'signaling-cli-'));
});
test.afterEach(async () => {
  killClis();
  await server?.close();
  server = undefined;
  await rm(folder, { recursive: true, force: true });
});

test('prints exactly the URL it listens on, serves, and on SIGTERM closes clients with 1012 and exits 0', async () => {
  const cli = runCli(['--host', '127.0.0.1', '--port', '0']);
  const url = await cli.url();
  expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
  expect(cli.stdout().split('\n')).toEqual([url, '']);
  const alice = await signIn(url, 'alice');
  cli.child.kill('SIGTERM');
  await expect(alice.closed).resolves.toMatchObject({ code: CloseCode.ServiceRestart });
  await expect(cli.exited).resolves.toBe(0);
  expect(cli.stdout()).toBe(`${url}\n`);
});

test('exits 1 with a clear message when the port is taken', async () => {
  server = await startSignalingServer({ log: quiet });
  const cli = runCli(['--port', String(server.port)]);
  await expect(cli.exited).resolves.toBe(1);
  expect(cli.stderr()).toContain(`Port ${server.port} on 127.0.0.1 is already in use`);
  expect(cli.stdout()).toBe('');
});

test('exits 1 explaining an invalid port, an unknown flag, and a bad URL', async () => {
  const port = runCli(['--port', 'eighty']);
  await expect(port.exited).resolves.toBe(1);
  expect(port.stderr()).toContain('Invalid port "eighty"');

  const flag = runCli(['--colour', 'blue']);
  await expect(flag.exited).resolves.toBe(1);
  expect(flag.stderr()).toContain("Unknown option '--colour'");

  const stun = runCli(['--stun', 'http://stun.example']);
  await expect(stun.exited).resolves.toBe(1);
  expect(stun.stderr()).toContain('stun.0: must start with stun: or stuns:');
});

test('reads a config file, with flags taking precedence, and explains a bad one', async () => {
  const config = path.join(folder, 'server.json');
  await writeFile(config, JSON.stringify({ host: '127.0.0.1', port: 1, allowOrigin: ['http://app.example'], rateLimit: 0, signInTimeoutMs: 5000 }));
  const cli = runCli(['--config', config, '--port', '0']);
  const url = await cli.url();
  expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
  // The file's allowed origin is in effect; another origin is refused.
  const allowed = await RawPeer.open(url, { headers: { origin: 'http://app.example' } });
  allowed.close();
  await expect(RawPeer.refusal(url, { headers: { origin: 'http://evil.example' } })).resolves.toBe(403);

  const bad = path.join(folder, 'bad.json');
  await writeFile(bad, JSON.stringify({ port: 'eighty', colour: 'blue', turn: ['http://x'] }));
  const refused = runCli(['--config', bad]);
  await expect(refused.exited).resolves.toBe(1);
  expect(refused.stderr()).toContain(`Invalid settings in the config file ${bad}`);
  expect(refused.stderr()).toContain('unknown setting "colour"');
  expect(refused.stderr()).toContain('port: Invalid input: expected number, received string');
  expect(refused.stderr()).toContain('turn.0: must start with turn: or turns:');

  const notJson = path.join(folder, 'not.json');
  await writeFile(notJson, '{ port: 1 }');
  const unreadable = runCli(['--config', notJson]);
  await expect(unreadable.exited).resolves.toBe(1);
  expect(unreadable.stderr()).toContain(`The config file ${notJson} is not valid JSON`);
});

test('user add reads the password from stdin; the server then signs that account in; list and remove', async () => {
  const accounts = path.join(folder, 'accounts.json');
  const add = runCli(['user', 'add', 'Alice', '--accounts', accounts], { stdin: 'correct horse battery\n' });
  await expect(add.exited).resolves.toBe(0);
  expect(add.stdout()).toContain('Added account "Alice"');
  const service = runCli(['user', 'add', 'Bot', '--service', '--accounts', accounts], { stdin: 'another long secret\n' });
  await expect(service.exited).resolves.toBe(0);

  const text = await readFile(accounts, 'utf8');
  expect(text).not.toContain('correct horse');
  expect((await stat(accounts)).mode & 0o777).toBe(0o600);

  const list = runCli(['user', 'list', '--accounts', accounts]);
  await expect(list.exited).resolves.toBe(0);
  expect(list.stdout()).toBe('Alice\nBot (service)\n');

  const duplicate = runCli(['user', 'add', 'alice', '--accounts', accounts], { stdin: 'whatever password\n' });
  await expect(duplicate.exited).resolves.toBe(1);
  expect(duplicate.stderr()).toContain('An account named "Alice" already exists');

  const short = runCli(['user', 'add', 'Carol', '--accounts', accounts], { stdin: 'short\n' });
  await expect(short.exited).resolves.toBe(1);
  expect(short.stderr()).toContain('at least 8 characters');

  const cli = runCli(['--port', '0', '--accounts', accounts]);
  const url = await cli.url();
  const alice = await connectAndSend(url, 'alice', { auth: { kind: 'password', password: 'correct horse battery' } });
  await expect(alice.waitForType('welcome')).resolves.toMatchObject({ name: 'Alice' });
  alice.close();

  const remove = runCli(['user', 'remove', 'Alice', '--accounts', accounts]);
  await expect(remove.exited).resolves.toBe(0);
  // The running server reads the changed file by itself.
  const again = await connectAndSend(url, 'Alice', { auth: { kind: 'password', password: 'correct horse battery' } });
  await expect(again.waitForError('auth-failed')).resolves.toMatchObject({ inReplyTo: 'username' });
  await expect(again.closed).resolves.toMatchObject({ code: CloseCode.SignInRefused });

  const missing = runCli(['user', 'remove', 'Nobody', '--accounts', accounts]);
  await expect(missing.exited).resolves.toBe(1);
  expect(missing.stderr()).toContain('There is no account "Nobody"');
});

test('creates the session secret file with mode 0600 and keeps using it', async () => {
  const secretFile = path.join(folder, 'secrets', 'session');
  const cli = runCli(['--port', '0', '--session-secret-file', secretFile]);
  await cli.url();
  expect((await stat(secretFile)).mode & 0o777).toBe(0o600);
  const secret = await readFile(secretFile, 'utf8');
  expect(Buffer.from(secret.trim(), 'base64').length).toBeGreaterThanOrEqual(32);
  cli.child.kill('SIGTERM');
  await cli.exited;
  const second = runCli(['--port', '0', '--session-secret-file', secretFile]);
  await second.url();
  expect(await readFile(secretFile, 'utf8')).toBe(secret);
});

test('serves /healthz with the command-line server too', async () => {
  const cli = runCli(['--port', '0']);
  const url = await cli.url();
  const health = await httpGet(url, '/healthz');
  expect(health.status).toBe(200);
  expect(JSON.parse(health.body)).toMatchObject({ status: 'ok' });
});
