/**
 * The core's account, connection-test and network handlers, called through
 * the real IPC router (so the contract's validation is what the renderer
 * meets), against scripted signaling servers on 127.0.0.1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { Snapshot, type ConnectionState, type EventName, type MethodName, type Settings } from '../../../common/ipc-contract.ts';
import { loadOrCreateLocalKey } from '../../../common/local-key.ts';
import { CloseCode } from '../../../common/signaling-protocol.ts';
import { createIpcRouter, validateEvent } from '../../../main/core/ipc-router.ts';
import { createMemorySecretStore } from '../../../main/core/secret-store.ts';
import { createSoftphoneCore, secretNames, type SoftphoneCoreOptions } from '../../../main/core/softphone-core.ts';
import { freePort } from '../../support/free-port.ts';
import {
  hasOpenssl,
  listen,
  selfSignedCertificate,
  sendJson,
  signInScript,
  type ListenOptions,
  type ListeningServer,
  type SignInScript,
} from '../../support/scripted-signaling-server.ts';
import { expect, test as base } from '../../support/temp-dir.ts';

const quiet = pino({ level: 'silent' });
const appPage = { url: 'file:///app/index.html', isMainFrame: true };
const timings = { heartbeatIntervalMs: 5_000, heartbeatTimeoutMs: 5_000, backoff: { initialMs: 50, maxMs: 200 }, slowRetryMs: 60_000 };

type Secrets = ReturnType<typeof createMemorySecretStore>;

interface RunningCore {
  call(method: MethodName, ...args: unknown[]): Promise<unknown>;
  snapshot(): Snapshot;
  connection(): ConnectionState;
  events: Array<{ event: EventName; payload: unknown }>;
  secrets: Secrets;
  stop(): Promise<void>;
}

type StartCore = (options?: Partial<SoftphoneCoreOptions> & { secrets?: Secrets }) => Promise<RunningCore>;
type StartServer = (script?: SignInScript, options?: ListenOptions) => Promise<ListeningServer & ReturnType<typeof signInScript>>;

const test = base.extend<{ startCore: StartCore; startServer: StartServer; profile: string }>({
  profile: async ({ tempDir }, use) => use(path.join(tempDir, 'profile')),
  startCore: async ({ tempDir, profile }, use) => {
    const running: RunningCore[] = [];
    const keyFile = path.join(tempDir, 'appData', 'embedded-server.key');
    // By default "another instance" hosts the embedded server: a scripted one
    // that holds this user's key, so no test starts a real server and demo IVR.
    const hosted: ListeningServer[] = [];
    const hostedPort = async () => {
      if (!hosted.length) hosted.push(await listen(signInScript({ key: await loadOrCreateLocalKey(keyFile) }).onConnection));
      return hosted[0]!.port;
    };
    await use(async (options = {}) => {
      const secrets = options.secrets ?? createMemorySecretStore();
      const core = createSoftphoneCore({
        userDataDir: profile,
        serverUrl: null,
        embeddedPort: options.embeddedPort ?? (await hostedPort()),
        log: quiet,
        localKeyFile: keyFile,
        signalingTimings: timings,
        connectionTestTimeoutMs: 3_000,
        ...options,
        secrets,
      });
      const events: RunningCore['events'] = [];
      core.onEvent((event, payload) => events.push({ event, payload: validateEvent(event, payload) }));
      const router = createIpcRouter({ handlers: core.handlers, isTrustedSender: () => true, log: quiet });
      await core.start();
      const snapshot = () => Snapshot.parse(core.handlers.getSnapshot());
      let stopped = false;
      const handle: RunningCore = {
        call: (method, ...args) => router.invoke(appPage, method, args),
        snapshot,
        connection: () => snapshot().connection,
        events,
        secrets,
        async stop() {
          if (stopped) return;
          stopped = true;
          await core.stop();
        },
      };
      running.push(handle);
      return handle;
    });
    for (const core of running) await core.stop();
    for (const server of hosted) await server.close();
  },
  startServer: async ({}, use) => {
    const servers: ListeningServer[] = [];
    await use(async (script, options) => {
      const scripted = signInScript(script);
      const server = await listen(scripted.onConnection, options);
      servers.push(server);
      return { ...server, ...scripted };
    });
    for (const server of servers) await server.close();
  },
});

const signedIn = (core: RunningCore, name: string | null) =>
  expect.poll(() => core.connection()).toMatchObject({ status: 'connected', signedInAs: name });

test.describe('saveAccount', () => {
  for (const [what, details, message] of [
    ['an http:// address', { serverUrl: 'http://example.com', name: 'Alice' }, /ws:\/\/ or wss:\/\//],
    ['a password inside the address', { serverUrl: 'wss://alice:pw@example.com', name: 'Alice' }, /password field/],
    ['a password for the embedded server', { serverUrl: null, name: 'Alice', password: 'pw' }, /own server needs no password/],
    ['an empty password', { serverUrl: 'wss://example.com', name: 'Alice', password: '' }, /password cannot be empty/],
    ['a huge password', { serverUrl: 'wss://example.com', name: 'Alice', password: 'x'.repeat(1025) }, /at most 1024/],
    ['a huge address', { serverUrl: `wss://example.com/${'a'.repeat(2048)}`, name: 'Alice' }, /at most 2048/],
    ['an empty name', { serverUrl: null, name: ' ' }, /name cannot be empty/],
    ['an unknown field', { serverUrl: null, name: 'Alice', admin: true }, /admin/],
  ] as const) {
    test(`refuses ${what}`, async ({ startCore }) => {
      const core = await startCore({ serverUrl: 'ws://127.0.0.1:1' });
      await expect(core.call('saveAccount', details)).rejects.toThrow(message);
      await expect(core.call('testConnection', details)).rejects.toThrow(message);
      expect(core.secrets.names()).toEqual([]);
      expect(core.snapshot().settings.account).toEqual({ serverUrl: null, hasPassword: false });
    });
  }

  test('refuses to keep a password for a plain ws:// server on another machine', async ({ startCore }) => {
    const core = await startCore({ serverUrl: 'ws://127.0.0.1:1' });
    await expect(core.call('saveAccount', { serverUrl: 'ws://signaling.example:8765', name: 'Alice', password: 'pw' })).rejects.toThrow(
      'A password is only sent over an encrypted connection: use wss://signaling.example:8765 instead of ws://',
    );
    expect(core.secrets.names()).toEqual([]);
    expect(await core.call('testConnection', { serverUrl: 'ws://signaling.example:8765', name: 'Alice', password: 'pw' })).toEqual({
      ok: false,
      message: 'Refusing to send your password to signaling.example:8765 unencrypted: use a wss:// address',
    });
  });

  test('stores the password in the SecretStore only, and reconnects to the new server as the new name with it', async ({ startCore, startServer, profile }) => {
    const server = await startServer();
    const core = await startCore({ serverUrl: 'ws://127.0.0.1:1' });

    const saved = (await core.call('saveAccount', { serverUrl: server.url, name: 'Alice', password: 'pw-1' })) as Settings;
    expect(saved.account).toEqual({ serverUrl: server.url, hasPassword: true });
    expect(saved.displayName).toBe('Alice');
    await signedIn(core, 'Alice');
    expect(core.connection().serverUrl).toBe(server.url);
    expect(server.usernames.at(-1)).toMatchObject({ name: 'Alice', auth: { kind: 'password', password: 'pw-1' } });
    expect(await core.secrets.get(secretNames.password(server.url))).toBe('pw-1');
    expect(await readFile(path.join(profile, 'settings.json'), 'utf8')).not.toContain('pw-1');
    expect(core.events).toContainEqual({ event: 'settings', payload: saved });

    // undefined keeps the password.
    await core.call('saveAccount', { serverUrl: server.url, name: 'Alicia' });
    await signedIn(core, 'Alicia');
    expect(server.usernames.at(-1)).toMatchObject({ name: 'Alicia', auth: { kind: 'password', password: 'pw-1' } });

    // null forgets it.
    const forgotten = (await core.call('saveAccount', { serverUrl: server.url, name: 'Alicia', password: null })) as Settings;
    expect(forgotten.account.hasPassword).toBe(false);
    await expect.poll(() => server.usernames.length).toBe(3);
    expect(server.usernames.at(-1)?.auth).toBeUndefined();
    expect(core.secrets.names()).not.toContain(secretNames.password(server.url));
  });

  test('a refused sign-in is a notice in words and the connection says why', async ({ startCore, startServer }) => {
    const server = await startServer({
      reply: (socket) => {
        sendJson(socket, { type: 'error', code: 'auth-failed', message: 'no', inReplyTo: 'username' });
        socket.close(CloseCode.SignInRefused, 'Sign-in refused');
      },
    });
    const core = await startCore();
    await core.call('saveAccount', { serverUrl: server.url, name: 'Alice', password: 'wrong' });
    const words = `Wrong name or password for 127.0.0.1:${server.port}`;
    await expect.poll(() => core.connection()).toMatchObject({ status: 'failed', lastError: words, retryInMs: null });
    expect(core.snapshot().notices).toEqual([expect.objectContaining({ level: 'error', text: words })]);
  });

  test('--server wins over the saved server for that run, until the user saves another', async ({ startCore, startServer }) => {
    const saved = await startServer();
    const launch = await startServer();
    const first = await startCore();
    await first.call('saveAccount', { serverUrl: saved.url, name: 'Alice' });
    await signedIn(first, 'Alice');
    await first.stop();

    const core = await startCore({ serverUrl: launch.url, secrets: first.secrets });
    await signedIn(core, 'Alice');
    expect(core.connection().serverUrl).toBe(launch.url);
    expect(core.snapshot().settings.account.serverUrl).toBe(saved.url);

    await core.call('saveAccount', { serverUrl: saved.url, name: 'Alice' });
    await signedIn(core, 'Alice');
    expect(core.connection().serverUrl).toBe(saved.url);
  });

  test('keeps the session token per server in the SecretStore and presents it after a restart', async ({ startCore, startServer }) => {
    const server = await startServer({
      reply: (_socket, _username, welcome) => welcome({ session: `token-${server.usernames.length}` }),
    });
    const first = await startCore();
    await first.call('saveAccount', { serverUrl: server.url, name: 'Alice' });
    await signedIn(first, 'Alice');
    await expect.poll(() => first.secrets.get(secretNames.session(server.url))).toContain('token-1');
    await first.stop();

    const again = await startCore({ secrets: first.secrets });
    await signedIn(again, 'Alice');
    expect(server.usernames.at(-1)?.session).toBe('token-1');

    // Another name does not present Alice's token.
    await again.call('saveAccount', { serverUrl: server.url, name: 'Bob' });
    await signedIn(again, 'Bob');
    expect(server.usernames.at(-1)?.session).toBeUndefined();
  });
});

test.describe('the embedded server', () => {
  test('signs in with the per-user local key and checks the server knows it too', async ({ startCore, startServer, tempDir }) => {
    const keyFile = path.join(tempDir, 'appData', 'embedded-server.key');
    const key = await loadOrCreateLocalKey(keyFile);
    const ours = await startServer({ key });
    const core = await startCore({ embeddedPort: ours.port, localKeyFile: keyFile });
    await core.call('signIn', 'Alice');
    await signedIn(core, 'Alice');
    expect(core.connection()).toMatchObject({ serverUrl: `ws://127.0.0.1:${ours.port}`, hostingServer: false });
    expect(ours.usernames.at(-1)).toMatchObject({ name: 'Alice', auth: { kind: 'key' }, features: ['presence-delta'] });
  });

  test('another program on the port is named as such, in a notice and in the connection', async ({ startCore, startServer }) => {
    const impostor = await startServer(); // No challenge: it does not hold this user's key.
    const core = await startCore({ embeddedPort: impostor.port });
    await core.call('signIn', 'Alice');
    const words = `Another program is using ws://127.0.0.1:${impostor.port}; it is not this app's own server`;
    await expect.poll(() => core.connection()).toMatchObject({ status: 'failed', lastError: words, signedInAs: null });
    expect(core.snapshot().notices.map((n) => n.text)).toContain(words);
    expect(impostor.usernames).toEqual([]);
  });
});

test.describe('testConnection', () => {
  test('answers "Connected as …" without touching the live connection or saving a session', async ({ startCore, startServer }) => {
    const live = await startServer();
    const other = await startServer({ reply: (_s, username, welcome) => welcome({ name: username.name, session: 'secret-token' }) });
    const core = await startCore();
    await core.call('saveAccount', { serverUrl: live.url, name: 'Alice' });
    await signedIn(core, 'Alice');
    const eventsBefore = core.events.length;

    expect(await core.call('testConnection', { serverUrl: other.url, name: 'Bob', password: 'pw' })).toEqual({ ok: true, message: 'Connected as Bob' });
    expect(other.usernames.at(-1)).toMatchObject({ name: 'Bob', auth: { kind: 'password', password: 'pw' } });
    await expect.poll(() => other.sockets.every((s) => s.readyState === s.CLOSED)).toBe(true);
    expect(live.connections()).toBe(1);
    expect(core.events.slice(eventsBefore)).toEqual([]);
    expect(core.secrets.names()).toEqual([]);
    expect(core.snapshot().settings.account.serverUrl).toBe(live.url);
  });

  test('the current connection answers for itself rather than being signed out by a test', async ({ startCore, startServer }) => {
    const live = await startServer();
    const core = await startCore();
    await core.call('saveAccount', { serverUrl: live.url, name: 'Alice' });
    await signedIn(core, 'Alice');
    expect(await core.call('testConnection', { serverUrl: live.url, name: 'alice' })).toEqual({ ok: true, message: 'Connected as Alice (your current connection)' });
    expect(await core.call('testConnection', { serverUrl: live.url, name: 'Alice', password: 'new' })).toMatchObject({ ok: false, message: /would sign that connection out/ });
    expect(live.connections()).toBe(1);
  });

  for (const [code, words] of [
    ['auth-failed', (host: string) => `Wrong name or password for ${host}`],
    ['name-owned', (host: string) => `The name "Bob" belongs to someone else on ${host}; choose another name`],
  ] as const) {
    test(`says ${code} in words`, async ({ startCore, startServer }) => {
      const server = await startServer({
        reply: (socket) => {
          sendJson(socket, { type: 'error', code, message: 'refused', inReplyTo: 'username' });
          socket.close(CloseCode.SignInRefused);
        },
      });
      const core = await startCore({ serverUrl: 'ws://127.0.0.1:1' });
      expect(await core.call('testConnection', { serverUrl: server.url, name: 'Bob', password: 'pw' })).toEqual({
        ok: false,
        message: words(`127.0.0.1:${server.port}`),
      });
      expect(server.connections()).toBe(1);
    });
  }

  test('says when nothing answers, or nothing signs in within the time limit', async ({ startCore, startServer }) => {
    const core = await startCore({ serverUrl: 'ws://127.0.0.1:1', connectionTestTimeoutMs: 2_000 });
    const port = await freePort();
    expect(await core.call('testConnection', { serverUrl: `ws://127.0.0.1:${port}`, name: 'Bob' })).toEqual({
      ok: false,
      message: `Signaling server at ws://127.0.0.1:${port} is not reachable (connection refused)`,
    });

    const silent = await startServer({ reply: () => {} });
    const started = Date.now();
    expect(await core.call('testConnection', { serverUrl: silent.url, name: 'Bob' })).toEqual({
      ok: false,
      message: `No answer from ${silent.url} within 2 seconds`,
    });
    expect(Date.now() - started).toBeLessThan(4_000);
    await expect.poll(() => silent.sockets.every((s) => s.readyState === s.CLOSED)).toBe(true);
  });

  test('says when the certificate is not trusted', async ({ startCore, startServer }) => {
    test.skip(!hasOpenssl(), 'the openssl command is not installed');
    const dir = mkdtempSync(path.join(tmpdir(), 'softphone-tls-'));
    try {
      const tls = selfSignedCertificate(dir, 'loopback', 'IP:127.0.0.1');
      const server = await startServer({}, { tls });
      const wary = await startCore({ serverUrl: 'ws://127.0.0.1:1' });
      expect(await wary.call('testConnection', { serverUrl: server.url, name: 'Bob', password: 'pw' })).toEqual({
        ok: false,
        message: `The server's certificate is not trusted (self-signed or unknown issuer): ${server.url}`,
      });
      const trusting = await startCore({ serverUrl: 'ws://127.0.0.1:1', tls: { ca: tls.cert } });
      expect(await trusting.call('testConnection', { serverUrl: server.url, name: 'Bob', password: 'pw' })).toEqual({ ok: true, message: 'Connected as Bob' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test.describe('saveNetwork and the effective RTC configuration', () => {
  const turn = { urls: 'turn:turn.example.com:3478?transport=udp', username: 'me' };

  for (const [what, details, message] of [
    ['an http:// ICE address', { iceServers: [{ urls: 'http://stun.example.com' }], relayOnly: false }, /stun:host/],
    ['a stun: address with a transport', { iceServers: [{ urls: 'stun:stun.example.com?transport=udp' }], relayOnly: false }, /no \?transport/],
    ['a TURN server without a user name', { iceServers: [{ urls: 'turn:t.example.com', credential: 'c' }], relayOnly: false }, /needs a user name/],
    ['an empty credential', { iceServers: [{ ...turn, credential: '' }], relayOnly: false }, /credential cannot be empty/],
    ['nine servers', { iceServers: Array.from({ length: 9 }, (_, i) => ({ urls: `stun:s${i}.example.com` })), relayOnly: false }, /At most 8/],
    ['the same server twice', { iceServers: [{ urls: 'stun:s.example.com' }, { urls: 'stun:s.example.com' }], relayOnly: false }, /listed twice/],
    ['a port out of range', { iceServers: [{ urls: 'stun:s.example.com:70000' }], relayOnly: false }, /1–65535/],
    ['a missing relayOnly', { iceServers: [] }, /relayOnly/],
  ] as const) {
    test(`refuses ${what}`, async ({ startCore }) => {
      const core = await startCore({ serverUrl: 'ws://127.0.0.1:1' });
      await expect(core.call('saveNetwork', details)).rejects.toThrow(message);
    });
  }

  test('a TURN server needs a credential, given now or kept from before', async ({ startCore }) => {
    const core = await startCore({ serverUrl: 'ws://127.0.0.1:1' });
    await expect(core.call('saveNetwork', { iceServers: [turn], relayOnly: false })).rejects.toThrow(
      'The TURN server turn:turn.example.com:3478?transport=udp needs a password (credential)',
    );
    expect(core.secrets.names()).toEqual([]);
    await core.call('saveNetwork', { iceServers: [{ ...turn, credential: 'c1' }], relayOnly: false });
    await core.call('saveNetwork', { iceServers: [turn], relayOnly: false });
    await expect(core.call('saveNetwork', { iceServers: [{ ...turn, credential: null }], relayOnly: false })).rejects.toThrow(/needs a password/);
  });

  test("combines the server's ICE servers with the user's own (credentials from the SecretStore), and relay-only", async ({ startCore, startServer, profile }) => {
    const serverTurn = { urls: 'turn:127.0.0.1:3478', username: '1700000000:Alice', credential: 'server-cred' };
    const server = await startServer({
      reply: (socket, _username, welcome) => {
        welcome({ iceServers: [serverTurn] });
        setTimeout(() => sendJson(socket, { type: 'ice-servers', iceServers: [{ ...serverTurn, credential: 'fresh' }] }), 100);
      },
    });
    const core = await startCore();
    await core.call('saveAccount', { serverUrl: server.url, name: 'Alice' });
    await expect.poll(() => core.connection().rtc).toEqual({ iceServers: [{ ...serverTurn, credential: 'fresh' }], iceTransportPolicy: 'all' });

    const saved = (await core.call('saveNetwork', {
      iceServers: [{ urls: 'stun:stun.example.com:3478' }, { ...turn, credential: 'my-turn-secret' }],
      relayOnly: true,
    })) as Settings;
    expect(saved.network).toEqual({
      iceServers: [
        { urls: 'stun:stun.example.com:3478', hasCredential: false },
        { ...turn, hasCredential: true },
      ],
      relayOnly: true,
    });
    expect(await readFile(path.join(profile, 'settings.json'), 'utf8')).not.toContain('my-turn-secret');
    const rtc = {
      iceServers: [{ ...serverTurn, credential: 'fresh' }, { urls: 'stun:stun.example.com:3478' }, { ...turn, credential: 'my-turn-secret' }],
      iceTransportPolicy: 'relay',
    };
    expect(core.connection().rtc).toEqual(rtc);
    expect(core.events.filter((e) => e.event === 'connection').at(-1)?.payload).toMatchObject({ rtc });

    // Removing a server forgets its credential.
    await core.call('saveNetwork', { iceServers: [], relayOnly: false });
    expect(core.secrets.names()).toEqual([]);
    expect(core.connection().rtc).toEqual({ iceServers: [{ ...serverTurn, credential: 'fresh' }], iceTransportPolicy: 'all' });
  });

  test('relay-only without any TURN server warns that calls cannot connect', async ({ startCore }) => {
    const core = await startCore({ serverUrl: 'ws://127.0.0.1:1' });
    await core.call('saveNetwork', { iceServers: [{ urls: 'stun:stun.example.com' }], relayOnly: true });
    expect(core.snapshot().notices).toEqual([expect.objectContaining({ level: 'warning', text: expect.stringMatching(/no TURN server/) })]);
  });

  test('settings files from before account and network load with their defaults', async ({ startCore, profile }) => {
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(profile, { recursive: true });
    await writeFile(path.join(profile, 'settings.json'), JSON.stringify({ displayName: 'Alice', dtmf: {}, devices: {} }));
    const core = await startCore({ serverUrl: 'ws://127.0.0.1:1' });
    expect(core.snapshot().settings).toMatchObject({
      displayName: 'Alice',
      account: { serverUrl: null, hasPassword: false },
      network: { iceServers: [], relayOnly: false },
    });
    expect(core.snapshot().notices).toEqual([]);
  });
});
