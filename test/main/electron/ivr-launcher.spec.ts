/**
 * The Electron IVR launcher with the BUILT worker (dist/main/ivr-worker.cjs,
 * from `npx vite build --config vite.electron.config.ts`): `utilityProcess`
 * is stood in for by plain Node processes, so the worker talks over
 * process.send instead of parentPort; the rest is the real thing. Media
 * flows, so run inside the loopback namespace.
 */
import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { UtilityProcess } from 'electron';
import pino from 'pino';
import { loadOrCreateLocalKey } from '../../../common/local-key.ts';
import { EmbeddedServerHost } from '../../../main/core/embedded-server-host.ts';
import { builtIvrWorkerPath, utilityProcessIvrLauncher, type UtilityProcessModule } from '../../../main/electron/ivr-launcher.ts';
import { freePort } from '../../support/free-port.ts';
import { isAlive } from '../../support/process-alive.ts';
import { expect, test } from '../../support/temp-dir.ts';
import { WeriftCaller } from '../../ivr/werift-caller.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const builtWorker = path.join(repoRoot, 'dist/main/ivr-worker.cjs');
const quiet = pino({ level: process.env.SOFTPHONE_LOG_LEVEL ?? 'warn' });

interface Forked {
  modulePath: string;
  args: string[];
  options: unknown;
  stderr: string[];
}

/** utilityProcess.fork done with child_process.fork, shaped like Electron's UtilityProcess. */
function nodeBackedUtilityProcess(): UtilityProcessModule & { forks: Forked[] } {
  const forks: Forked[] = [];
  return {
    forks,
    fork(modulePath, args = [], options) {
      const record: Forked = { modulePath, args, options, stderr: [] };
      forks.push(record);
      const child = fork(modulePath, args, { stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
      child.stderr!.setEncoding('utf8').on('data', (text: string) => record.stderr.push(text));
      const utility = new EventEmitter() as EventEmitter & { pid: number | undefined; postMessage(m: unknown): void; kill(): boolean };
      utility.pid = child.pid;
      child.on('message', (message) => utility.emit('message', message));
      child.on('exit', (code) => {
        utility.emit('exit', code ?? 1);
        utility.pid = undefined;
      });
      utility.postMessage = (message) => child.send(message as object);
      utility.kill = () => child.kill('SIGTERM');
      return utility as unknown as UtilityProcess;
    },
  };
}

test.beforeAll(() => {
  if (!existsSync(builtWorker)) throw new Error(`${builtWorker} is missing: run \`npx vite build --config vite.electron.config.ts\` first (npm test does)`);
});

test('the build puts the IVR worker and its prompts beside main.cjs, where the launcher looks', () => {
  expect(builtIvrWorkerPath(path.join(repoRoot, 'dist/main'))).toBe(builtWorker);
  expect(existsSync(path.join(repoRoot, 'dist/main/main.cjs'))).toBe(true);
  const prompts = readdirSync(path.join(repoRoot, 'dist/main/ivr-prompts'));
  expect(prompts).toEqual(expect.arrayContaining(['main.wav', 'support.wav', 'echo.wav']));
});

test('the built worker, started through the utility-process launcher, signs in, answers a call with the shipped prompts, and stops', async ({ tempDir }) => {
  const keyFile = path.join(tempDir, 'local-key');
  const key = await loadOrCreateLocalKey(keyFile);
  const utility = nodeBackedUtilityProcess();
  const host = new EmbeddedServerHost({ port: await freePort(), log: quiet, key, keyFile, launchIvr: utilityProcessIvrLauncher(utility, builtWorker) });
  let caller: WeriftCaller | null = null;
  try {
    await host.ensure();
    const ivr = await host.demoIvr();
    expect(ivr).toEqual({ name: 'Demo IVR', pid: expect.any(Number) });
    expect(ivr!.pid).not.toBe(process.pid);
    expect(utility.forks).toEqual([expect.objectContaining({ modulePath: builtWorker, options: { serviceName: 'Softphone demo IVR', stdio: 'inherit' } })]);

    caller = await WeriftCaller.signIn({ serverUrl: host.url, name: 'Alice', codec: 'opus', telephoneEventRates: [48000, 8000], log: quiet, auth: { localKey: key } });
    await caller.call('Demo IVR');
    await expect.poll(() => caller!.connectionState).toBe('connected');
    await expect.poll(() => caller!.receivedLevels.filter((level) => level > 300).length, { timeout: 10_000 }).toBeGreaterThan(10);
    // The spoken prompts were found in dist/main/ivr-prompts (no tone stand-ins).
    expect(utility.forks[0]!.stderr.join('')).not.toContain('prompt files missing');

    await host.stop();
    expect(isAlive(ivr!.pid)).toBe(false);
  } finally {
    await caller?.close();
    await host.stop();
  }
});
