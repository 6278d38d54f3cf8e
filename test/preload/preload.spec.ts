/**
 * The BUILT preload (dist/preload/preload.cjs) run as Electron runs a
 * sandboxed preload: in its own JavaScript context, with a `require` that
 * knows nothing but 'electron' (here the recording stand-in). If the bundle
 * needed any other module, or any Node global, this would fail.
 */
import { expect, test } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { eventChannel, eventNames, methodChannel, methodNames, type SoftphoneApi } from '../../common/ipc-contract.ts';
import { createElectronStandIn } from '../support/electron-stand-in.ts';

const builtPreload = fileURLToPath(new URL('../../dist/preload/preload.cjs', import.meta.url));

function runBuiltPreload() {
  if (!existsSync(builtPreload)) {
    throw new Error(`${builtPreload} is missing: run \`npx vite build --config vite.electron.config.ts\` first (npm test does)`);
  }
  const standIn = createElectronStandIn();
  const required: string[] = [];
  const sandboxedRequire = (id: string) => {
    required.push(id);
    if (id === 'electron') return standIn.electronModule;
    throw new Error(`A sandboxed preload cannot require "${id}"`);
  };
  const context = vm.createContext({});
  const run = vm.compileFunction(readFileSync(builtPreload, 'utf8'), ['require', 'module', 'exports'], {
    parsingContext: context,
    filename: builtPreload,
  });
  const module = { exports: {} };
  run(sandboxedRequire, module, module.exports);
  return { standIn, required };
}

function exposedApi(standIn: ReturnType<typeof createElectronStandIn>): SoftphoneApi {
  return standIn.exposedInMainWorld[0]!.api as SoftphoneApi;
}

test('requires nothing but electron', () => {
  const { required } = runBuiltPreload();

  expect([...new Set(required)]).toEqual(['electron']);
});

test('carries channel names and forwarding only: no validation library, and small', () => {
  const source = readFileSync(builtPreload, 'utf8');

  // Validation happens in main; zod (or any schema) in the preload would be dead weight a page could probe.
  expect(source).not.toMatch(/\bzod\b|ZodError|safeParse/);
  // About 3 KB today; it was ~210 KB while it bundled the contract's schemas.
  expect(source.length).toBeLessThan(16 * 1024);
});

test('exposes window.softphone once, with exactly the contract methods and `on`', () => {
  const { standIn } = runBuiltPreload();

  expect(standIn.exposedInMainWorld.map((e) => e.key)).toEqual(['softphone']);
  const api = exposedApi(standIn);
  expect(Object.keys(api).sort()).toEqual([...methodNames, 'on'].sort());
  // The account and network methods the Settings page uses, beside the older ones.
  expect(Object.keys(api)).toEqual(expect.arrayContaining(['signIn', 'saveAccount', 'testConnection', 'saveNetwork']));
  for (const key of Object.keys(api)) expect(typeof (api as unknown as Record<string, unknown>)[key], key).toBe('function');
  // contextBridge copies what it is given; a frozen object guarantees nobody adds to it first.
  expect(Object.isFrozen(api)).toBe(true);
});

test('each method invokes its contract channel with the arguments and returns the reply', async () => {
  const { standIn } = runBuiltPreload();
  const api = exposedApi(standIn);
  standIn.ipcRenderer.replies.set(methodChannel('getSnapshot'), { from: 'main' });

  const call = api as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const method of methodNames) await call[method]!('first', { second: 2 });
  const reply = await api.getSnapshot();

  expect(standIn.ipcRenderer.invocations).toEqual([
    ...methodNames.map((method) => ({ channel: methodChannel(method), args: ['first', { second: 2 }] })),
    { channel: methodChannel('getSnapshot'), args: [] },
  ]);
  expect(reply).toEqual({ from: 'main' });
});

test('`on` listens on the event channel, hands over only the payload, and can stop', () => {
  const { standIn } = runBuiltPreload();
  const api = exposedApi(standIn);

  for (const event of eventNames) {
    const received: unknown[][] = [];
    const stop = api.on(event, (...args: unknown[]) => received.push(args));

    standIn.ipcRenderer.emitFromMain(eventChannel(event), { n: 1 });
    expect(received, event).toEqual([[{ n: 1 }]]);

    stop();
    standIn.ipcRenderer.emitFromMain(eventChannel(event), { n: 2 });
    expect(received, event).toEqual([[{ n: 1 }]]);
    expect(standIn.ipcRenderer.listenerCount(eventChannel(event)), event).toBe(0);
  }
});

test('`on` refuses an event the contract does not have, and a listener that is not a function', () => {
  const { standIn } = runBuiltPreload();
  const api = exposedApi(standIn);

  expect(() => api.on('bogus' as 'notice', () => {})).toThrow(/Unknown softphone event "bogus"/);
  expect(() => api.on('notice', 'not a function' as unknown as () => void)).toThrow(/listener must be a function/);
  expect(standIn.ipcRenderer.eventNames()).toEqual([]);
});
