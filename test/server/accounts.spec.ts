/**
 * Accounts mode: names belong to accounts in a file of scrypt hashes; a
 * password signs in under the account's name, and nothing a client sees
 * tells whether an account exists.
 */
import { test, expect } from '@playwright/test';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CloseCode } from '../../common/signaling-protocol.ts';
import { AccountStore } from '../../server/accounts.ts';
import { startSignalingServer, type SignalingServer, type SignalingServerOptions } from '../../server/signaling-server.ts';
import { RawPeer, connectAndSend, quiet, signIn } from './support.ts';

let folder: string;
let accounts: AccountStore;
let server: SignalingServer | undefined;
const peers: RawPeer[] = [];

async function startServer(options: Partial<SignalingServerOptions> & { allowGuests?: boolean } = {}): Promise<SignalingServer> {
  const { allowGuests, ...rest } = options;
  server = await startSignalingServer({ log: quiet, auth: { mode: 'accounts', accounts, allowGuests }, ...rest });
  return server;
}

async function withPassword(name: string, password: string, extra: object = {}, headers?: Record<string, string>): Promise<RawPeer> {
  const peer = await connectAndSend(server!.url, name, { auth: { kind: 'password', password }, ...extra }, { headers });
  peers.push(peer);
  return peer;
}

test.beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'signaling-accounts-'));
  accounts = await AccountStore.open(path.join(folder, 'accounts.json'));
  await accounts.add('Alice', 'alice password');
});

test.afterEach(async () => {
  for (const peer of peers.splice(0)) peer.close();
  await server?.close();
  server = undefined;
  await rm(folder, { recursive: true, force: true });
});

test('the right password signs in under the account name, whatever case was typed', async () => {
  await startServer();
  const alice = await withPassword('ALICE', 'alice password', { features: [] });
  await expect(alice.waitForType('rejectusername')).resolves.toEqual({ type: 'rejectusername', name: 'Alice' });
  await expect(alice.waitForType('welcome')).resolves.toMatchObject({ name: 'Alice', session: expect.any(String) });
  await alice.waitForUserList(['Alice']);
});

test('a wrong password and an unknown account get the same words, then SignInRefused', async () => {
  await startServer();
  const wrong = await withPassword('Alice', 'not her password');
  const unknown = await withPassword('Mallory', 'any password');
  const [wrongError, unknownError] = await Promise.all([wrong.waitForError('auth-failed'), unknown.waitForError('auth-failed')]);
  expect(wrongError).toEqual({ type: 'error', code: 'auth-failed', message: 'Wrong name or password', inReplyTo: 'username' });
  expect(unknownError).toEqual(wrongError);
  await expect(wrong.closed).resolves.toMatchObject({ code: CloseCode.SignInRefused });
  await expect(unknown.closed).resolves.toMatchObject({ code: CloseCode.SignInRefused });
  expect(server!.users()).toEqual([]);
});

test('without a password: auth-required, unless guests are allowed', async () => {
  await startServer();
  const tutorial = await connectAndSend(server!.url, 'visitor');
  peers.push(tutorial);
  await expect(tutorial.waitForError('auth-required')).resolves.toMatchObject({ inReplyTo: 'username', message: 'This server needs a name and password' });
  await expect(tutorial.closed).resolves.toMatchObject({ code: CloseCode.SignInRefused });
});

test("a guest gets any free name, but not an account's, and uniquified names skip account names", async () => {
  await accounts.add('bob1', 'bob one password');
  await startServer({ allowGuests: true });
  const guest = await signIn(server!.url, 'visitor');
  peers.push(guest);

  const impostor = await connectAndSend(server!.url, 'alice');
  peers.push(impostor);
  await expect(impostor.waitForError('name-owned')).resolves.toMatchObject({ inReplyTo: 'username', message: expect.stringContaining('belongs to an account') });
  await expect(impostor.closed).resolves.toMatchObject({ code: CloseCode.SignInRefused });

  await signIn(server!.url, 'bob').then((p) => peers.push(p));
  const second = await connectAndSend(server!.url, 'bob');
  peers.push(second);
  await expect(second.waitForType('rejectusername')).resolves.toMatchObject({ name: 'bob2' });

  // A guest cannot rename into an account's name either, but keeps its connection.
  guest.send({ type: 'username', name: 'Alice' });
  await guest.waitForError('name-owned');
  expect(guest.socket.readyState).toBe(guest.socket.OPEN);
  expect(server!.users()).toEqual(['visitor', 'bob', 'bob2']);
});

test('a second sign-in to the same account replaces the first connection', async () => {
  await startServer();
  const watcher = await withPassword('Alice', 'alice password', { features: ['presence-delta'] });
  await watcher.waitForUserList(['Alice']);
  await accounts.add('Bob', 'bob password');
  const bob = await withPassword('Bob', 'bob password');
  await bob.waitForUserList(['Alice', 'Bob']);

  const laptop = await withPassword('Bob', 'bob password', { features: [] });
  await expect(laptop.waitForType('welcome')).resolves.toMatchObject({ name: 'Bob' });
  await expect(bob.closed).resolves.toMatchObject({ code: CloseCode.Replaced });
  await laptop.waitForUserList(['Alice', 'Bob']);
  expect(server!.users()).toEqual(['Alice', 'Bob']);
  // Bob never went offline for the others: no leave, no second join.
  laptop.send({ type: 'hang-up', target: 'Alice' });
  await watcher.waitForType('hang-up');
  expect(watcher.all('user-left')).toEqual([]);
  expect(watcher.all('user-joined')).toEqual([{ type: 'user-joined', names: ['Bob'] }]);
});

test('an account signing in takes its name back from a guest who held it, who is renamed', async () => {
  await startServer({ allowGuests: true });
  const guest = await signIn(server!.url, 'Carol');
  peers.push(guest);
  await accounts.add('Carol', 'carol password');
  const carol = await withPassword('Carol', 'carol password');
  await carol.waitForUserList(['Carol', 'Carol1']);
  await expect(guest.waitForType('rejectusername')).resolves.toMatchObject({ name: 'Carol1' });
});

test('keeps hashes, never passwords, in a versioned file readable by its owner only', async () => {
  await accounts.add('Dave', 'alice password');
  const file = path.join(folder, 'accounts.json');
  const text = await readFile(file, 'utf8');
  expect(text).not.toContain('alice password');
  expect((await stat(file)).mode & 0o777).toBe(0o600);
  const content = JSON.parse(text);
  expect(content.version).toBe(1);
  const [alice, dave] = content.accounts;
  expect(alice.password).toMatchObject({ algorithm: 'scrypt', N: expect.any(Number), r: expect.any(Number), p: expect.any(Number) });
  // The same password, salted differently.
  expect(alice.password.salt).not.toBe(dave.password.salt);
  expect(alice.password.hash).not.toBe(dave.password.hash);
  // Another process reading the file agrees.
  const reopened = await AccountStore.open(file);
  await expect(reopened.verify('alice', 'alice password')).resolves.toEqual({ name: 'Alice', service: false });
  await expect(reopened.verify('alice', 'dave password')).resolves.toBeNull();
});

test('throttles failed password attempts per address', async () => {
  await startServer({ trustProxy: true });
  const from = { 'x-forwarded-for': '198.51.100.20' };
  for (let i = 0; i < 5; i++) {
    const guess = await withPassword('Alice', `guess ${i}`, {}, from);
    await guess.waitForError('auth-failed');
  }
  // Now even the right password is not checked from that address…
  const blocked = await withPassword('Alice', 'alice password', {}, from);
  await expect(blocked.waitForError('rate-limited')).resolves.toMatchObject({ inReplyTo: 'username', message: expect.stringContaining('Too many failed sign-ins') });
  await expect(blocked.closed).resolves.toMatchObject({ code: CloseCode.SignInRefused });
  // …while Alice at another address signs in.
  const alice = await withPassword('Alice', 'alice password', {}, { 'x-forwarded-for': '198.51.100.21' });
  await alice.waitForUserList(['Alice']);
});

test('service accounts are not rate limited; people are', async () => {
  await accounts.add('IVR', 'ivr service password', { service: true });
  await accounts.add('Bob', 'bob password');
  await startServer({ rateLimit: { messagesPerSecond: 1, burst: 5 } });
  const ivr = await withPassword('IVR', 'ivr service password');
  const bob = await withPassword('Bob', 'bob password');
  // Both online; the list's order is whichever password check finished first.
  await bob.waitFor((m) => m.type === 'userlist' && [...(m.users as string[])].sort().join() === 'Bob,IVR', 'userlist with IVR and Bob');
  for (let i = 0; i < 50; i++) ivr.send({ type: 'dtmf', target: 'Bob', tones: '1', callId: `k${i}` });
  await bob.waitFor((m) => m.type === 'dtmf' && m.callId === 'k49', 'the 50th key');
  expect(bob.all('dtmf')).toHaveLength(50);
  expect(ivr.all('error')).toEqual([]);

  for (let i = 0; i < 10; i++) bob.send({ type: 'dtmf', target: 'IVR', tones: '1' });
  await bob.waitForError('rate-limited');
});
