/**
 * The embedded server host with its demo IVR in a process of its own (forked
 * from TypeScript source through tsx). Calls make media flow, so run inside
 * the loopback namespace:
 *   node scripts/in-loopback-netns.mjs npx playwright test --project=node test/main/core/embedded-server-host.spec.ts
 */
import { fork, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pino from 'pino';
import { loadOrCreateLocalKey } from '../../../common/local-key.ts';
import { SignalingClient, type SignalingClientOptions } from '../../../common/signaling-client.ts';
import { EmbeddedServerHost, forkIvrWorker, type EmbeddedServerHostOptions, type IvrLauncher } from '../../../main/core/embedded-server-host.ts';
import { createCapturingLogger } from '../../support/capturing-logger.ts';
import { freePort } from '../../support/free-port.ts';
import { isAlive } from '../../support/process-alive.ts';
import { expect, test as base } from '../../support/temp-dir.ts';
import { WeriftCaller, weriftOfferSdp, withExtraAudioSection } from '../../ivr/werift-caller.ts';

const quiet = pino({ level: process.env.SOFTPHONE_LOG_LEVEL ?? 'warn' });

interface Fixtures {
  keyFile: string;
  key: Buffer;
  /** Hosts made with this are stopped after the test, and their IVR processes checked gone. */
  makeHost: (options?: Partial<EmbeddedServerHostOptions>) => Promise<EmbeddedServerHost>;
  /** Werift callers signed in with the key; closed after the test. */
  makeCaller: (host: EmbeddedServerHost, name: string, options?: { video?: boolean }) => Promise<WeriftCaller>;
}

const test = base.extend<Fixtures>({
  keyFile: async ({ tempDir }, use) => use(path.join(tempDir, 'Softphone', 'local-key')),
  key: async ({ keyFile }, use) => use(await loadOrCreateLocalKey(keyFile)),
  makeHost: async ({ key, keyFile }, use) => {
    const hosts: EmbeddedServerHost[] = [];
    await use(async (options = {}) => {
      const host = new EmbeddedServerHost({ port: await freePort(), log: quiet, key, keyFile, ...options });
      hosts.push(host);
      return host;
    });
    for (const host of hosts) await host.stop();
  },
  makeCaller: async ({ key }, use) => {
    const callers: WeriftCaller[] = [];
    await use(async (host, name, options = {}) => {
      const caller = await WeriftCaller.signIn({ serverUrl: host.url, name, codec: 'opus', telephoneEventRates: [48000, 8000], log: quiet, auth: { localKey: key }, ...options });
      callers.push(caller);
      return caller;
    });
    await Promise.all(callers.map((caller) => caller.close()));
  },
});

/** Signs in with the key, waits for a user list that satisfies `until`, signs out. */
async function userList(url: string, key: Buffer, until: (users: string[]) => boolean, name = 'Observer'): Promise<string[]> {
  const options: SignalingClientOptions = { url, name, log: quiet, auth: { localKey: key } };
  const client = new SignalingClient(options);
  try {
    return await new Promise<string[]>((resolve) => {
      client.on('userlist', (users) => until(users) && resolve(users));
      client.start();
    });
  } finally {
    await client.stop();
  }
}

test('the hosted IVR runs in a process of its own, answers a werift caller through the hosted server, and is gone after stop()', async ({ makeHost, makeCaller, key }) => {
  const host = await makeHost();
  await host.ensure();
  expect(host.hosting).toBe(true);
  const ivr = await host.demoIvr();
  expect(ivr).toEqual({ name: 'Demo IVR', pid: expect.any(Number) });
  expect(ivr!.pid).not.toBe(process.pid);
  expect(isAlive(ivr!.pid)).toBe(true);
  if (process.platform === 'linux') {
    // It was given the key file, never the key.
    const commandLine = readFileSync(`/proc/${ivr!.pid}/cmdline`, 'utf8').split('\0');
    expect(commandLine).toContain('--key-file');
    expect(commandLine.join(' ')).not.toContain(key.toString('base64'));
  }
  expect(await userList(host.url, key, (users) => users.includes('Demo IVR'))).toContain('Demo IVR');

  const alice = await makeCaller(host, 'Alice');
  await alice.call('Demo IVR');
  await expect.poll(() => alice.connectionState).toBe('connected');
  expect(alice.signals.find((s) => s.type === 'video-answer')).toMatchObject({ name: 'Demo IVR', features: ['dtmf-signaling'] });
  // The IVR speaks: its prompt arrives as audio well above silence.
  await expect.poll(() => alice.receivedLevels.filter((level) => level > 300).length, { timeout: 10_000 }).toBeGreaterThan(10);

  await host.stop();
  expect(host.hosting).toBe(false);
  expect(isAlive(ivr!.pid)).toBe(false);
  expect(await host.demoIvr()).toBeNull();
  // It hung up on its caller on the way out.
  await expect.poll(() => alice.signals.map((s) => s.type)).toContain('hang-up');
});

test('a second instance on the same port joins and starts no IVR of its own', async ({ makeHost, key }) => {
  const first = await makeHost();
  const second = await makeHost({ port: first.port });
  await first.ensure();
  await second.ensure();
  expect(second.hosting).toBe(false);
  expect(await second.demoIvr()).toBeNull();
  expect(await first.demoIvr()).toMatchObject({ name: 'Demo IVR' });
  const users = await userList(first.url, key, (list) => list.includes('Demo IVR'));
  expect(users.filter((user) => user.startsWith('Demo IVR'))).toEqual(['Demo IVR']);
});

test('the demo IVR can be turned off', async ({ makeHost, key }) => {
  const launches: string[][] = [];
  const host = await makeHost({ demoIvr: false, launchIvr: (args) => (launches.push(args), forkIvrWorker(args)) });
  await host.ensure();
  expect(await host.demoIvr()).toBeNull();
  expect(await userList(host.url, key, (users) => users.includes('Observer'))).toEqual(['Observer']);
  expect(launches).toEqual([]);
});

test('a stalled IVR does not stall the host: with the IVR process frozen, the hosted server still signs in new clients and routes their calls', async ({ makeHost, makeCaller, key }) => {
  test.skip(process.platform === 'win32', 'freezes the IVR with SIGSTOP');
  const host = await makeHost();
  await host.ensure();
  const { pid } = (await host.demoIvr())!;
  // The worst a caller could do to the IVR: it stops running altogether.
  process.kill(pid, 'SIGSTOP');
  let bob: WeriftCaller;
  try {
    expect(await userList(host.url, key, (users) => users.includes('Observer'), 'Observer')).toEqual(['Demo IVR', 'Observer']);
    bob = await makeCaller(host, 'Bob');
    await bob.call('Demo IVR');
    // The server accepted and routed the offer (no unknown-target error), the IVR simply has not answered yet.
    expect(await userList(host.url, key, (users) => users.includes('Second'), 'Second')).toContain('Bob');
    expect(bob.signals).toEqual([]);
  } finally {
    process.kill(pid, 'SIGCONT');
  }
  // Thawed, it works through what queued up and answers the call that waited.
  await expect.poll(() => bob!.connectionState).toBe('connected');
  expect((await host.demoIvr())?.pid).toBe(pid);
});

test('a caller flooding the hosted IVR with offers gets refusals and one call at most; the host keeps serving and the IVR keeps answering others', async ({ makeHost, makeCaller, key }) => {
  const host = await makeHost();
  await host.ensure();
  const { pid } = (await host.demoIvr())!;
  const mallory = await makeCaller(host, 'Mallory');
  const good = await weriftOfferSdp();
  const bad = withExtraAudioSection(await weriftOfferSdp({ video: true }));
  // Well within the server's rate limit for a client, so every offer reaches the IVR.
  for (let i = 0; i < 40; i++) {
    mallory.client.send({ type: 'video-offer', target: 'Demo IVR', callId: `flood-${i}`, sdp: { type: 'offer', sdp: i % 2 ? good : bad } });
    mallory.client.send({ type: 'dtmf', target: 'Demo IVR', callId: `flood-${i}`, tones: '1234567890*#' });
  }
  // Meanwhile the host's own server answers a newcomer.
  expect(await userList(host.url, key, (users) => users.includes('Newcomer'), 'Newcomer')).toContain('Mallory');

  await expect.poll(() => mallory.signals.filter((s) => s.type === 'hang-up' && s.reason === 'failed').length, { timeout: 30_000 }).toBe(20);
  expect(mallory.signals.filter((s) => s.type === 'hang-up' && s.reason === 'busy')).toEqual([]);
  const carol = await makeCaller(host, 'Carol');
  await carol.call('Demo IVR');
  await expect.poll(() => carol.connectionState).toBe('connected');
  expect((await host.demoIvr())?.pid).toBe(pid);
});

test('an offer with three media sections to the hosted IVR is refused with "failed"', async ({ makeHost, makeCaller }) => {
  const host = await makeHost();
  await host.ensure();
  await host.demoIvr();
  const mallory = await makeCaller(host, 'Mallory', { video: true });
  await mallory.sendOffer('Demo IVR', withExtraAudioSection);
  await expect.poll(() => mallory.signals.filter((s) => s.type === 'hang-up').map((s) => s.reason)).toEqual(['failed']);
  expect(mallory.signals.map((s) => s.type)).not.toContain('video-answer');
});

test('the hosted IVR holds at most four calls: the fifth caller hears "busy"', async ({ makeHost, makeCaller }) => {
  const host = await makeHost();
  await host.ensure();
  await host.demoIvr();
  const callers = await Promise.all(['A1', 'A2', 'A3', 'A4', 'A5'].map((name) => makeCaller(host, name)));
  for (const caller of callers.slice(0, 4)) await caller.call('Demo IVR');
  await expect.poll(() => callers.slice(0, 4).map((c) => c.connectionState)).toEqual(['connected', 'connected', 'connected', 'connected']);
  await callers[4]!.call('Demo IVR');
  await expect.poll(() => callers[4]!.signals.filter((s) => s.type === 'hang-up').map((s) => s.reason)).toEqual(['busy']);
});

test('a crashed IVR is logged and started again in a new process; stop() leaves none behind', async ({ makeHost }) => {
  const capture = createCapturingLogger();
  const host = await makeHost({ log: capture.log, ivrRestartBackoff: { initialMs: 200, maxMs: 400, floorMs: 50 } });
  await host.ensure();
  const first = (await host.demoIvr())!;
  process.kill(first.pid, 'SIGKILL');
  await expect.poll(() => capture.warnings().some((line) => line.msg === 'the demo IVR process ended unexpectedly')).toBe(true);
  const restarted = { pid: first.pid };
  await expect
    .poll(async () => {
      restarted.pid = (await host.demoIvr())?.pid ?? first.pid;
      return restarted.pid !== first.pid;
    }, { timeout: 30_000 })
    .toBe(true);
  expect(isAlive(restarted.pid)).toBe(true);
  await host.stop();
  expect(isAlive(restarted.pid)).toBe(false);
});

test('an IVR that cannot start is logged, and the hosted server works without it', async ({ makeHost, key }) => {
  const capture = createCapturingLogger();
  const broken: IvrLauncher = () => {
    throw new Error('no such worker');
  };
  const host = await makeHost({ log: capture.log, launchIvr: broken });
  await host.ensure();
  expect(host.hosting).toBe(true);
  expect(await host.demoIvr()).toBeNull();
  expect(capture.warnings()).toContainEqual(expect.objectContaining({ msg: 'could not start the demo IVR process; the softphone works without it' }));
  expect(await userList(host.url, key, (users) => users.includes('Observer'))).toEqual(['Observer']);
});

test('stop() ends an IVR that ignores "stop", by its pid', async ({ makeHost }) => {
  let pid: number | undefined;
  // A worker that never hears "stop", and a launcher whose kill() does nothing: only its pid is left to end it by.
  const deaf: IvrLauncher = (args) => {
    const child = forkIvrWorker(args);
    pid = child.pid;
    return { pid: child.pid, onMessage: child.onMessage, onExit: child.onExit, postMessage: () => {}, kill: () => {} };
  };
  const host = await makeHost({ launchIvr: deaf });
  await host.ensure();
  expect((await host.demoIvr())?.pid).toBe(pid);
  await host.stop();
  expect(isAlive(pid!)).toBe(false);
});

test.describe('no orphans', () => {
  test.skip(process.platform === 'win32', 'kills processes with POSIX signals');

  test('when the app process dies without stopping anything, its IVR process goes too', async ({ keyFile }) => {
    const script = fileURLToPath(new URL('../../ivr/embedded-host-child.ts', import.meta.url));
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const app = fork(script, [String(await freePort()), keyFile], { execArgv: ['--import', tsx], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    try {
      const { ivrPid } = await new Promise<{ ivrPid: number | null }>((resolve, reject) => {
        app.once('message', (message) => resolve(message as { ivrPid: number | null }));
        app.once('exit', (code) => reject(new Error(`the app stand-in exited (${code}) before its IVR was up`)));
      });
      expect(ivrPid).toEqual(expect.any(Number));
      expect(isAlive(ivrPid!)).toBe(true);
      app.kill('SIGKILL');
      await expect.poll(() => isAlive(ivrPid!)).toBe(false);
    } finally {
      if (app.exitCode === null && app.signalCode === null) app.kill('SIGKILL');
    }
  });

  test('an IVR whose parent pid is gone exits even while its IPC channel is open (a utility process gets no disconnect)', async ({ makeHost }) => {
    // Stands in for the parent: the worker watches this pid instead of ours.
    const parent = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      const host = await makeHost({
        launchIvr: (args) => forkIvrWorker(args.map((arg, i) => (args[i - 1] === '--parent-pid' ? String(parent.pid) : arg))),
        ivrRestartBackoff: { initialMs: 60_000, maxMs: 60_000, floorMs: 60_000 },
      });
      await host.ensure();
      const { pid } = (await host.demoIvr())!;
      parent.kill('SIGKILL');
      await expect.poll(() => isAlive(pid)).toBe(false);
    } finally {
      parent.kill('SIGKILL');
    }
  });
});

test.describe('with the local-key server', () => {
  test('the hosted server admits the IVR (signed in with the key file) but not a client without the key', async ({ makeHost, key }) => {
    const host = await makeHost();
    await host.ensure();
    expect(await host.demoIvr()).toMatchObject({ name: 'Demo IVR' });
    const stranger = new SignalingClient({ url: host.url, name: 'Stranger', log: quiet });
    try {
      stranger.start();
      // Refused at sign-in (auth-required): the client stops in `failed` with the words for it.
      await expect.poll(() => stranger.state.status).toBe('failed');
      expect(stranger.state.lastError).toMatch(/needs a password/);
      expect(stranger.state.signedInAs).toBeNull();
    } finally {
      await stranger.stop();
    }
    expect(await userList(host.url, key, (users) => users.includes('Observer'))).toEqual(['Demo IVR', 'Observer']);
  });

  test('an IVR with a different key cannot sign in: logged, and the host serves on without it', async ({ makeHost, tempDir }) => {
    const capture = createCapturingLogger();
    const otherKeyFile = path.join(tempDir, 'other', 'local-key');
    await loadOrCreateLocalKey(otherKeyFile);
    const host = await makeHost({ log: capture.log, launchIvr: (args) => forkIvrWorker(args.map((arg, i) => (args[i - 1] === '--key-file' ? otherKeyFile : arg))) });
    await host.ensure();
    expect(await host.demoIvr()).toBeNull();
    expect(capture.warnings()).toContainEqual(expect.objectContaining({ msg: 'the demo IVR could not start' }));
    expect(host.hosting).toBe(true);
  });
});
