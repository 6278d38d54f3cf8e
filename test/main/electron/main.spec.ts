/**
 * The BUILT main bundle (dist/main/main.cjs, from `npx vite build --config
 * vite.electron.config.ts`) loaded in plain Node with `require('electron')`
 * answered by the recording stand-in. The core behind it is the real one,
 * pointed at a server address where nothing listens.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  ConnectionState,
  eventChannel,
  Settings,
  eventNames,
  methodChannel,
  methodNames,
  Snapshot,
} from '../../../common/ipc-contract.ts';
import { loadOrCreateLocalKey } from '../../../common/local-key.ts';
import {
  createElectronStandIn,
  StandInWebContents,
  type ElectronStandIn,
  type StandInInvokeEvent,
  type StandInOptions,
} from '../../support/electron-stand-in.ts';
import { freePort } from '../../support/free-port.ts';
import { StandInUpdater } from '../../support/updater-stand-in.ts';
import { listen, signInScript } from '../../support/scripted-signaling-server.ts';
import { WebSocket } from 'ws';
import { startSignalingServer } from '../../../server/signaling-server.ts';
import { expect, test as base } from '../../support/temp-dir.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const mainBundle = path.join(repoRoot, 'dist/main/main.cjs');
const builtPreload = path.join(repoRoot, 'dist/preload/preload.cjs');
const builtRenderer = path.join(repoRoot, 'dist/renderer');
const builtPage = path.join(builtRenderer, 'index.html');
const builtIvrWorker = path.join(repoRoot, 'dist/main/ivr-worker.cjs');
/** The page is served from the app's own privileged scheme, never from file://. */
const pageUrl = 'app://softphone/index.html';
const pageFileUrl = pathToFileURL(builtPage).href;
/** Nothing listens on port 1, so the core keeps trying to connect and never needs a server. */
const UNREACHABLE_SERVER = 'ws://127.0.0.1:1';

const require = createRequire(import.meta.url);
type ModuleLoad = (request: string, parent: unknown, isMain: boolean) => unknown;
const moduleInternals = Module as unknown as { _load: ModuleLoad };

/** electron-updater's exports as the app uses them, answered by the stand-in updater. */
interface UpdaterModule {
  autoUpdater: StandInUpdater;
  /** Whether the bundle required the package at all. */
  required: boolean;
}

/**
 * Runs the built main bundle as Electron would, with the stand-in as
 * `electron` (and `updater` as electron-updater, which cannot run outside a
 * packaged Electron) and `argv` as its command line. The stand-ins answer
 * until the returned function is called: the app requires some modules late
 * (electron-updater once ready), and the real `electron` package would try
 * to download a binary.
 */
function runMainBundle(standIn: ElectronStandIn, argv: string[], updater: UpdaterModule): () => void {
  const originalLoad = moduleInternals._load;
  const originalArgv = process.argv;
  const originalLogLevel = process.env.SOFTPHONE_LOG_LEVEL;
  moduleInternals._load = function (this: unknown, request, parent, isMain) {
    if (request === 'electron') return standIn.electronModule;
    if (request === 'electron-updater') {
      updater.required = true;
      return updater;
    }
    return originalLoad.call(this, request, parent, isMain);
  };
  process.argv = [process.execPath, mainBundle, ...argv];
  // The core logs every failed reconnect; keep test output readable.
  process.env.SOFTPHONE_LOG_LEVEL = 'silent';
  try {
    delete require.cache[mainBundle];
    require(mainBundle);
  } finally {
    process.argv = originalArgv;
    if (originalLogLevel === undefined) delete process.env.SOFTPHONE_LOG_LEVEL;
    else process.env.SOFTPHONE_LOG_LEVEL = originalLogLevel;
  }
  return () => {
    moduleInternals._load = originalLoad;
  };
}

type Launch = (argv: string[], options?: Omit<StandInOptions, 'paths'>) => ElectronStandIn;

const test = base.extend<{ launch: Launch; appData: string; updater: UpdaterModule }>({
  appData: async ({ tempDir }, use) => use(path.join(tempDir, 'appData')),
  updater: async ({}, use) => use({ autoUpdater: new StandInUpdater(), required: false }),
  launch: async ({ tempDir, appData, updater }, use) => {
    const launched: ElectronStandIn[] = [];
    const restoreModules: Array<() => void> = [];
    await use((argv, options) => {
      const standIn = createElectronStandIn({
        ...options,
        paths: { appData, userData: path.join(appData, 'Softphone'), temp: path.join(tempDir, 'tmp') },
      });
      launched.push(standIn);
      restoreModules.push(runMainBundle(standIn, argv, updater));
      return standIn;
    });
    // Quit every app the test started, so its core closes its socket and timers.
    for (const standIn of launched) {
      if (!standIn.app.quitCompleted && standIn.app.exitCode === null) standIn.app.quit();
      await standIn.whenQuit();
    }
    // Each launch wrapped the loader of the one before: unwrap in reverse.
    for (const restore of restoreModules.reverse()) restore();
  },
});

/** Launches with a profile, fires 'ready' and waits until the window exists and the core answers. */
async function startApp(launch: Launch, profile = 'alice', server = UNREACHABLE_SERVER, options?: Omit<StandInOptions, 'paths'>) {
  const standIn = launch(['--profile', profile, '--server', server], options);
  standIn.becomeReady();
  await expect.poll(() => standIn.windows.length).toBe(1);
  const window = standIn.windows[0]!;
  // Chromium reports the loaded page as the main frame's URL.
  window.webContents.mainFrame.url = pageUrl;
  const fromAppPage: StandInInvokeEvent = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
  // The window only opens once the core has started, so the page's first call is answered.
  Snapshot.parse(await standIn.invoke(methodChannel('getSnapshot'), fromAppPage));
  return { standIn, window, fromAppPage };
}

test.beforeAll(() => {
  for (const built of [mainBundle, builtPreload]) {
    if (!existsSync(built)) throw new Error(`${built} is missing: run \`npx vite build --config vite.electron.config.ts\` first (npm test does)`);
  }
});

test.describe('startup order', () => {
  test('--profile puts userData under <appData>/Softphone/profiles before anything reads it', async ({ launch, appData }) => {
    const standIn = launch(['--profile', 'alice', '--server', UNREACHABLE_SERVER]);

    const profileDir = path.join(appData, 'Softphone', 'profiles', 'alice');
    const setUserData = standIn.calls.findIndex((c) => c.api === 'app.setPath' && c.args[0] === 'userData');
    expect(standIn.calls[setUserData]?.args).toEqual(['userData', profileDir]);
    const firstUserDataRead = standIn.calls.findIndex((c) => c.api === 'app.getPath' && c.args[0] === 'userData');
    const lock = standIn.calls.findIndex((c) => c.api === 'app.requestSingleInstanceLock');
    expect(firstUserDataRead === -1 || firstUserDataRead > setUserData).toBe(true);
    expect(lock).toBeGreaterThan(setUserData);
    // Nothing Electron-visible happens before ready.
    expect(standIn.windows).toEqual([]);
    expect(standIn.ipcHandlers.size).toBe(0);
  });

  test('without --profile the default userData is left alone', async ({ launch }) => {
    const standIn = launch(['--server', UNREACHABLE_SERVER]);

    expect(standIn.calls.filter((c) => c.api === 'app.setPath')).toEqual([]);
    expect(standIn.calls.some((c) => c.api === 'app.requestSingleInstanceLock')).toBe(true);
  });

  test('a second launch of the same profile hands over and quits without a window', async ({ launch }) => {
    const standIn = launch(['--profile', 'alice', '--server', UNREACHABLE_SERVER], { singleInstanceLock: false });
    standIn.becomeReady();
    await standIn.whenQuit();

    expect(standIn.app.quitCompleted).toBe(true);
    expect(standIn.calls.some((c) => c.api === 'app.whenReady')).toBe(false);
    expect(standIn.windows).toEqual([]);
    expect(standIn.ipcHandlers.size).toBe(0);
  });

  test('the running instance comes forward when the same profile is launched again', async ({ launch }) => {
    const { standIn, window } = await startApp(launch);
    window.minimized = true;

    standIn.app.emit('second-instance', {}, ['softphone', '--profile', 'alice'], repoRoot);

    expect(window.minimized).toBe(false);
    expect(window.focused).toBe(true);
  });

  for (const [what, argv, message] of [
    ['a profile name that climbs out of the profiles folder', ['--profile', '../evil'], /--profile/],
    ['a server that is not a WebSocket URL', ['--server', 'http://example.com'], /--server .*ws:\/\//],
    ['a port out of range', ['--port', '70000'], /--port/],
  ] as const) {
    test(`${what} stops the app with a message, before touching any path`, async ({ launch }) => {
      const standIn = launch([...argv]);

      expect(standIn.errorBoxes).toEqual([{ title: 'Softphone cannot start', content: expect.stringMatching(message) }]);
      expect(standIn.app.exitCode).toBe(2);
      expect(standIn.calls.filter((c) => c.api === 'app.setPath' || c.api === 'app.requestSingleInstanceLock')).toEqual([]);
    });
  }
});

test.describe('the window', () => {
  test('is sandboxed, isolated, uses the built preload and loads the built page', async ({ launch }) => {
    const { window } = await startApp(launch);

    expect(window.options).toMatchObject({
      title: 'Softphone',
      width: 1000,
      height: 720,
      show: false,
      webPreferences: {
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        webviewTag: false,
        preload: builtPreload,
      },
    });
    expect(window.options.minWidth).toEqual(expect.any(Number));
    const preload = (window.options.webPreferences as { preload: string }).preload;
    expect(path.isAbsolute(preload)).toBe(true);
    expect(existsSync(preload), `${preload} should exist`).toBe(true);

    expect(window.loadedUrls).toEqual([pageUrl]);
    expect(window.loadedFiles).toEqual([]);
    expect(existsSync(builtPage), `${builtPage} should exist (built by vite.renderer.config.ts)`).toBe(true);
  });

  test('is shown only once it is ready to show', async ({ launch }) => {
    const { window } = await startApp(launch);
    expect(window.shown).toBe(false);

    window.emit('ready-to-show');

    expect(window.shown).toBe(true);
  });
});

test.describe('the app:// protocol', () => {
  test('is registered as privileged before ready (standard, secure, fetch, code cache) and served from ready on', async ({ launch }) => {
    const standIn = launch(['--profile', 'alice', '--server', UNREACHABLE_SERVER]);

    expect(standIn.privilegedSchemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
    ]);
    expect(standIn.calls.some((c) => c.api === 'protocol.handle')).toBe(false);
    standIn.becomeReady();
    await expect.poll(() => standIn.windows.length).toBe(1);
    const handled = standIn.calls.findIndex((c) => c.api === 'protocol.handle');
    expect(standIn.calls[handled]?.args).toEqual(['app']);
    // Served before the window that loads from it exists.
    expect(handled).toBeLessThan(standIn.calls.findIndex((c) => c.api === 'new BrowserWindow'));
  });

  test('serves the built page and every built asset with its MIME type', async ({ launch }) => {
    const { standIn } = await startApp(launch);

    const page = await standIn.fetch(pageUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await page.text();
    expect(html).toBe(readFileSync(builtPage, 'utf8'));

    const assets = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.some((a) => a.endsWith('.js')) && assets.some((a) => a.endsWith('.css')), assets.join(', ')).toBe(true);
    for (const asset of assets) {
      const response = await standIn.fetch(`app://softphone/${asset}`);
      expect(response.status, asset).toBe(200);
      expect(response.headers.get('content-type'), asset).toBe(asset.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8');
      expect(Buffer.from(await response.arrayBuffer()).equals(readFileSync(path.join(builtRenderer, asset))), asset).toBe(true);
    }
    const head = await standIn.fetch(pageUrl, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  test('refuses paths that leave the renderer folder, other hosts, folders, missing files and writes', async ({ launch }) => {
    const { standIn } = await startApp(launch);

    for (const url of [
      'app://softphone/../../etc/passwd',
      'app://softphone/%2e%2e/%2e%2e/etc/passwd',
      'app://softphone/assets/%2E%2E/%2E%2E/main/main.cjs',
      'app://softphone/..%2f..%2fmain%2fmain.cjs',
      'app://softphone/..%5c..%5cmain%5cmain.cjs',
      'app://softphone/%2e%2e%2fpreload%2fpreload.cjs',
      'app://softphone/index.html%00.png',
      'app://softphone/%E0%A4%A',
      'app://softphone//etc/passwd',
      'app://softphone/',
      'app://softphone/assets',
      'app://softphone/nothing-here.js',
      'app://other/index.html',
      'app://softphone.evil/index.html',
    ]) {
      const response = await standIn.fetch(url);
      expect(response.status, url).toBe(404);
      expect(await response.text(), url).toBe('Not found');
    }
    expect((await standIn.fetch(pageUrl, { method: 'POST', body: 'x' })).status).toBe(405);
  });
});

test.describe('IPC', () => {
  test('there is a handler for every contract method and for nothing else', async ({ launch }) => {
    const { standIn } = await startApp(launch);

    expect([...standIn.ipcHandlers.keys()].sort()).toEqual(methodNames.map(methodChannel).sort());
    for (const method of ['signIn', 'saveAccount', 'testConnection', 'saveNetwork'] as const) {
      expect(standIn.ipcHandlers.has(methodChannel(method)), method).toBe(true);
    }
    expect(standIn.calls.filter((c) => c.api === 'ipcMain.on')).toEqual([]);
  });

  test('the app page reaches the real core, and signing in is saved in the profile', async ({ launch, appData }) => {
    const { standIn, window, fromAppPage } = await startApp(launch);

    const snapshot = Snapshot.parse(await standIn.invoke(methodChannel('getSnapshot'), fromAppPage));
    expect(snapshot.connection.serverUrl).toBe(UNREACHABLE_SERVER);
    expect(snapshot.settings).toEqual(Settings.parse({ displayName: null }));

    expect(await standIn.invoke(methodChannel('signIn'), fromAppPage, ' Alice ')).toBeNull();

    const settingsFile = path.join(appData, 'Softphone', 'profiles', 'alice', 'settings.json');
    expect(JSON.parse(await readFile(settingsFile, 'utf8'))).toMatchObject({ displayName: 'Alice' });
    expect(window.webContents.sent).toContainEqual({ channel: eventChannel('settings'), payload: Settings.parse({ displayName: 'Alice' }) });
  });

  test('calls from another page, a subframe or a vanished frame are refused', async ({ launch }) => {
    const { standIn, window } = await startApp(launch);
    const channel = methodChannel('signIn');

    const otherPage = { url: 'https://example.com/' };
    await expect(standIn.invoke(channel, { sender: window.webContents, senderFrame: otherPage }, 'Mallory')).rejects.toThrow(
      /refused: the sender \(https:\/\/example\.com\/, .*\) is not the app page/,
    );
    // Same URL as the app page, but not the window's main frame.
    const subframe = { url: pageUrl };
    await expect(standIn.invoke(channel, { sender: window.webContents, senderFrame: subframe }, 'Mallory')).rejects.toThrow(
      /refused: .*subframe/,
    );
    // The built page, had it been opened as a file, is not the app page either.
    const asFile = { url: pageFileUrl };
    await expect(standIn.invoke(channel, { sender: window.webContents, senderFrame: asFile }, 'Mallory')).rejects.toThrow(
      /refused: the sender \(file:/,
    );
    const otherHost = { url: 'app://other/index.html' };
    await expect(standIn.invoke(channel, { sender: window.webContents, senderFrame: otherHost }, 'Mallory')).rejects.toThrow(
      /refused: the sender \(app:\/\/other\/index\.html/,
    );
    await expect(standIn.invoke(channel, { sender: window.webContents, senderFrame: null }, 'Mallory')).rejects.toThrow(
      /refused: the sender \(unknown URL/,
    );
  });

  test('calls with arguments outside the contract are refused', async ({ launch }) => {
    const { standIn, fromAppPage } = await startApp(launch);

    await expect(standIn.invoke(methodChannel('signIn'), fromAppPage, '')).rejects.toThrow(
      /"signIn" called with invalid arguments: args\[0\]: A name cannot be empty/,
    );
    await expect(standIn.invoke(methodChannel('addContact'), fromAppPage, 'Bob', 'extra')).rejects.toThrow(
      /"addContact" called with invalid arguments/,
    );
    await expect(standIn.invoke(methodChannel('call'), fromAppPage, { kind: 'place', callId: 'c1', account: 'app', to: 'Bob', video: false })).rejects.toThrow(
      /"call" called with invalid arguments: args\[0\]\.offer/,
    );
  });

  test('core events reach the window on their contract channel, validated', async ({ launch }) => {
    const { window } = await startApp(launch);

    // The core reports its (failing) connection to the unreachable server.
    await expect.poll(() => window.webContents.sent.some((m) => m.channel === eventChannel('connection'))).toBe(true);
    const eventChannels = new Set(eventNames.map(eventChannel));
    for (const message of window.webContents.sent) {
      expect(eventChannels.has(message.channel), message.channel).toBe(true);
    }
    const connection = window.webContents.sent.find((m) => m.channel === eventChannel('connection'))!;
    expect(ConnectionState.parse(connection.payload).serverUrl).toBe(UNREACHABLE_SERVER);
  });
});

test.describe('secrets and keys', () => {
  const PASSWORD = 'not-in-any-file-in-plain-text';

  test('saveAccount keeps the password through safeStorage: encrypted in the profile, only "hasPassword" in settings', async ({ launch, appData }) => {
    const { standIn, fromAppPage } = await startApp(launch);
    const saved = Settings.parse(
      await standIn.invoke(methodChannel('saveAccount'), fromAppPage, { serverUrl: UNREACHABLE_SERVER, name: 'Alice', password: PASSWORD }),
    );
    expect(saved.account).toEqual({ serverUrl: UNREACHABLE_SERVER, hasPassword: true });

    const profile = path.join(appData, 'Softphone', 'profiles', 'alice');
    for (const file of await readdir(profile)) {
      const bytes = await readFile(path.join(profile, file));
      expect(bytes.includes(PASSWORD), file).toBe(false);
      expect(bytes.includes(Buffer.from(PASSWORD).toString('base64')), file).toBe(false);
    }
    expect(JSON.parse(await readFile(path.join(profile, 'secrets.json'), 'utf8')).secrets).toEqual({
      [`account-password ${new URL(UNREACHABLE_SERVER).href}`]: expect.any(String),
    });
    expect(standIn.calls.map((c) => c.api)).toContain('safeStorage.encryptString');
    expect(JSON.stringify(standIn.calls)).not.toContain(PASSWORD);
  });

  test('without encryption the password is refused with a notice in words, and nothing is written', async ({ launch, appData }) => {
    const standIn = launch(['--profile', 'alice', '--server', UNREACHABLE_SERVER], { encryptionAvailable: false });
    standIn.becomeReady();
    await expect.poll(() => standIn.windows.length).toBe(1);
    const window = standIn.windows[0]!;
    window.webContents.mainFrame.url = pageUrl;
    const fromAppPage = { sender: window.webContents, senderFrame: window.webContents.mainFrame };

    await expect(
      standIn.invoke(methodChannel('saveAccount'), fromAppPage, { serverUrl: UNREACHABLE_SERVER, name: 'Alice', password: PASSWORD }),
    ).rejects.toThrow(/no safe place for passwords/);
    expect(window.webContents.sent).toContainEqual({
      channel: eventChannel('notice'),
      payload: expect.objectContaining({ level: 'error', text: expect.stringMatching(/no safe place for passwords/) }),
    });
    expect(existsSync(path.join(appData, 'Softphone', 'profiles', 'alice', 'secrets.json'))).toBe(false);
  });

  test("the embedded server's key is one per OS user, in <appData>/Softphone, shared by every profile", async ({ launch, appData }) => {
    // "Another instance" hosts the embedded server, holding the user's key.
    const key = await loadOrCreateLocalKey(path.join(appData, 'Softphone', 'embedded-server.key'));
    const script = signInScript({ key });
    const host = await listen(script.onConnection);
    try {
      for (const profile of ['alice', 'bob']) {
        const standIn = launch(['--profile', profile, '--port', String(host.port)]);
        standIn.becomeReady();
        await expect.poll(() => standIn.windows.length).toBe(1);
        const window = standIn.windows[0]!;
        window.webContents.mainFrame.url = pageUrl;
        await standIn.invoke(methodChannel('signIn'), { sender: window.webContents, senderFrame: window.webContents.mainFrame }, profile);
        await expect.poll(() => script.usernames.map((u) => u.name)).toContain(profile);
        await expect
          .poll(() => window.webContents.sent.filter((m) => m.channel === eventChannel('connection')).map((m) => ConnectionState.parse(m.payload).signedInAs))
          .toContain(profile);
      }
      expect(script.usernames.map((u) => u.auth?.kind)).toEqual(['key', 'key']);
    } finally {
      await host.close();
    }
  });
});

test.describe('permissions', () => {
  test('media, speaker selection and full screen go to the app page only; everything else is denied', async ({ launch }) => {
    const { standIn } = await startApp(launch);
    const session = standIn.defaultSession;

    expect(await session.request('media', pageUrl)).toBe(true);
    expect(await session.request('media', `${pageUrl}#/call`)).toBe(true);
    expect(await session.request('speaker-selection', pageUrl)).toBe(true);
    expect(await session.request('fullscreen', pageUrl)).toBe(true);

    expect(await session.request('media', 'https://example.com/')).toBe(false);
    expect(await session.request('media', pageUrl, false)).toBe(false);
    expect(await session.request('media', 'file:///tmp/other.html')).toBe(false);
    // The built page opened as a file, or another page or host on the app's scheme, is not the app page.
    expect(await session.request('media', pageFileUrl)).toBe(false);
    expect(await session.request('media', 'app://softphone/other.html')).toBe(false);
    expect(await session.request('media', 'app://other/index.html')).toBe(false);
    for (const permission of ['geolocation', 'notifications', 'display-capture', 'openExternal', 'clipboard-read', 'unknown']) {
      expect(await session.request(permission, pageUrl), permission).toBe(false);
    }
  });

  test('permission checks follow the same table', async ({ launch }) => {
    const { standIn } = await startApp(launch);
    const session = standIn.defaultSession;

    expect(session.check('media', pageUrl)).toBe(true);
    expect(session.check('media', 'https://example.com/')).toBe(false);
    expect(session.check('media', undefined, false)).toBe(false);
    expect(session.check('geolocation', pageUrl)).toBe(false);
    expect(session.check('hid', pageUrl)).toBe(false);
    expect(session.devicePermissionHandler?.({ deviceType: 'usb', origin: 'file://' })).toBe(false);
  });
});

test.describe('web contents hardening', () => {
  test('the window cannot open windows, navigate away or attach a webview', async ({ launch }) => {
    const { window } = await startApp(launch);
    const contents = window.webContents;

    expect(contents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: pageUrl })).toEqual({ action: 'deny' });

    expect(contents.emitPreventable('will-navigate', { url: 'https://example.com/' })).toBe(true);
    expect(contents.emitPreventable('will-navigate', { url: 'file:///etc/passwd' })).toBe(true);
    expect(contents.emitPreventable('will-redirect', { url: 'https://example.com/' })).toBe(true);
    expect(contents.emitPreventable('will-navigate', { url: pageFileUrl })).toBe(true);
    expect(contents.emitPreventable('will-navigate', { url: 'app://softphone/assets/other.html' })).toBe(true);
    expect(contents.emitPreventable('will-navigate', { url: 'app://other/index.html' })).toBe(true);
    expect(contents.emitPreventable('will-navigate', { url: `${pageUrl}?reload=1` })).toBe(false);
    expect(contents.emitPreventable('will-attach-webview', {})).toBe(true);
  });

  test('every later web contents is hardened too', async ({ launch }) => {
    const { standIn } = await startApp(launch);
    const later = new StandInWebContents();

    standIn.app.emit('web-contents-created', {}, later);

    expect(later.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(later.emitPreventable('will-navigate', { url: 'https://example.com/' })).toBe(true);
  });
});

test.describe('quitting', () => {
  test('waits for the core to stop, then quits', async ({ launch }) => {
    const { standIn } = await startApp(launch);

    standIn.app.quit();
    // The first quit is held back while the core stops.
    expect(standIn.app.quitCompleted).toBe(false);
    await standIn.whenQuit();

    expect(standIn.app.quitCompleted).toBe(true);
    expect(standIn.calls.filter((c) => c.api === 'app.quit')).toHaveLength(2);
  });

  test('closing the last window quits (except on macOS)', async ({ launch }) => {
    test.skip(process.platform === 'darwin', 'macOS apps stay open without windows');
    const { standIn } = await startApp(launch);

    standIn.app.emit('window-all-closed');
    await standIn.whenQuit();

    expect(standIn.app.quitCompleted).toBe(true);
  });
});

test.describe('an incoming call while the window is not in front', () => {
  test('shows a notification with Accept and Decline, flashes and titles the window; Accept reaches the page and brings the window forward; the caller giving up removes it all', async ({ launch }) => {
    const server = await startSignalingServer({ host: '127.0.0.1', port: 0 });
    try {
      const { standIn, window } = await startSignedIn(launch, server.url, 'Alice');
      window.blur();

      const bob = await signedInPeer(server.url, 'Bob');
      bob.send({ type: 'video-offer', target: 'Alice', callId: 'bob-1', sdp: { type: 'offer', sdp: 'v=0\r\n' } });
      await expect.poll(() => standIn.notifications.length).toBe(1);
      const notification = standIn.notifications[0]!;
      expect(notification.options).toMatchObject({ title: 'Incoming call from Bob', body: 'Audio call', actions: [{ text: 'Accept' }, { text: 'Decline' }] });
      expect(notification.shown).toBe(true);
      expect(window.flashing).toBe(true);
      expect(window.title).toBe('Incoming call from Bob – Softphone');

      const incoming = window.webContents.sent.find((m) => m.channel === eventChannel('call') && (m.payload as { kind: string }).kind === 'incoming');
      const callId = (incoming!.payload as { callId: string }).callId;
      notification.emit('action', {}, 0);
      expect(window.webContents.sent.at(-1)).toEqual({ channel: eventChannel('callAction'), payload: { callId, action: 'accept' } });
      expect(window.focused).toBe(true);
      // In front, the ringing panel is enough: the notification goes.
      expect(notification.closed).toBe(true);
      expect(window.flashing).toBe(false);

      // (This stand-in page does not answer.) Behind again while it still rings, then Bob gives up: everything goes.
      window.blur();
      expect(standIn.notifications).toHaveLength(2);
      bob.send({ type: 'hang-up', target: 'Alice', callId: 'bob-1', reason: 'cancelled' });
      await expect.poll(() => standIn.notifications[1]!.closed).toBe(true);
      expect(window.flashing).toBe(false);
      expect(window.title).toBe('Softphone');
      bob.close();
    } finally {
      await server.close();
    }
  });

  test('with the window in front there is no notification, only the title', async ({ launch }) => {
    const server = await startSignalingServer({ host: '127.0.0.1', port: 0 });
    try {
      const { standIn, window } = await startSignedIn(launch, server.url, 'Alice');
      window.show();
      window.focus();
      const bob = await signedInPeer(server.url, 'Bob');
      bob.send({ type: 'video-offer', target: 'Alice', callId: 'bob-1', sdp: { type: 'offer', sdp: 'v=0\r\n' }, video: true });
      await expect.poll(() => window.title).toBe('Incoming call from Bob – Softphone');
      expect(standIn.notifications).toEqual([]);
      expect(window.flashing).toBe(false);
      bob.close();
    } finally {
      await server.close();
    }
  });
});

test.describe('the tray and the window’s close button', () => {
  test('the tray shows presence and missed calls, sets do not disturb, shows the window and quits', async ({ launch }) => {
    const server = await startSignalingServer({ host: '127.0.0.1', port: 0 });
    try {
      const { standIn, window } = await startSignedIn(launch, server.url, 'Alice');
      const tray = standIn.trays[0]!;
      await expect.poll(() => tray.tooltip).toBe('Softphone: Online as Alice');
      expect(tray.menu.filter((i) => i.type === 'radio').map((i) => [i.label, i.checked])).toEqual([
        ['Calls ring', true],
        ['Do not disturb: refuse calls', false],
        ['Do not disturb: ring silently', false],
      ]);

      // A call Alice missed: the tray and the badge count it.
      const bob = await signedInPeer(server.url, 'Bob');
      bob.send({ type: 'video-offer', target: 'Alice', callId: 'bob-1', sdp: { type: 'offer', sdp: 'v=0\r\n' } });
      await expect.poll(() => window.webContents.sent.some((m) => m.channel === eventChannel('call'))).toBe(true);
      bob.send({ type: 'hang-up', target: 'Alice', callId: 'bob-1', reason: 'cancelled' });
      await expect.poll(() => tray.tooltip).toBe('Softphone: Online as Alice · 1 missed call');
      expect(standIn.app.badgeCount).toBe(1);
      bob.close();

      tray.click('Do not disturb: refuse calls');
      await expect.poll(() => tray.tooltip).toContain('Softphone: Do not disturb');
      expect(tray.menu.find((i) => i.label === 'Do not disturb: refuse calls')?.checked).toBe(true);

      window.hide();
      tray.click('Show Softphone');
      expect(window.shown && window.focused).toBe(true);
      tray.click('Quit Softphone');
      await standIn.whenQuit();
      expect(standIn.app.quitCompleted).toBe(true);
    } finally {
      await server.close();
    }
  });

  test('closing the window keeps the app in the tray; with that setting off it closes, and start at login reaches the OS', async ({ launch }) => {
    const { standIn, window, fromAppPage } = await startApp(launch);
    window.close();
    expect(window.isDestroyed()).toBe(false);
    expect(window.shown).toBe(false);
    expect(standIn.app.quitCompleted).toBe(false);

    await standIn.invoke(methodChannel('updateSettings'), fromAppPage, { desktop: { closeToTray: false, startAtLogin: true, startMinimized: true } });
    await expect.poll(() => standIn.app.loginItem).toEqual({ openAtLogin: true, args: ['--hidden'] });
    window.close();
    expect(window.isDestroyed()).toBe(true);
  });
});

test.describe('tel:, callto: and sip: links', () => {
  test('the app registers for them; a link on a second start reaches the running page to confirm; a bad link is a notice', async ({ launch }) => {
    const { standIn, window } = await startApp(launch);
    expect([...standIn.app.protocolClients.keys()].sort()).toEqual(['callto', 'sip', 'sips', 'tel']);

    standIn.app.emit('second-instance', {}, ['softphone', '--profile', 'alice', 'tel:+1-201-555-0123;ext=42'], repoRoot);
    expect(window.webContents.sent.at(-1)).toEqual({ channel: eventChannel('dialRequest'), payload: { dialString: '+12015550123,42', kind: 'number' } });
    expect(window.focused).toBe(true);

    const openUrl = { preventDefault: () => {} };
    standIn.app.emit('open-url', openUrl, 'sip:bob@pbx.example.org;transport=tcp');
    expect(window.webContents.sent.at(-1)).toEqual({ channel: eventChannel('dialRequest'), payload: { dialString: 'sip:bob@pbx.example.org', kind: 'sip' } });

    standIn.app.emit('open-url', openUrl, 'tel:call-me-maybe');
    const notice = window.webContents.sent.at(-1)!;
    expect(notice.channel).toBe(eventChannel('notice'));
    expect((notice.payload as { text: string }).text).toContain('The link could not be opened: "call-me-maybe" is not a phone number');
  });

  test('a link that started the app waits for the page: it is in the first snapshot', async ({ launch }) => {
    const standIn = launch(['--profile', 'alice', '--server', UNREACHABLE_SERVER, 'callto:Demo%20IVR']);
    standIn.becomeReady();
    await expect.poll(() => standIn.windows.length).toBe(1);
    const window = standIn.windows[0]!;
    window.webContents.mainFrame.url = pageUrl;
    const fromAppPage: StandInInvokeEvent = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
    const snapshot = Snapshot.parse(await standIn.invoke(methodChannel('getSnapshot'), fromAppPage));
    expect(snapshot.dialRequest).toEqual({ dialString: 'Demo IVR', kind: 'name' });
    await standIn.invoke(methodChannel('dialRequestSeen'), fromAppPage);
    expect(Snapshot.parse(await standIn.invoke(methodChannel('getSnapshot'), fromAppPage)).dialRequest).toBeNull();
  });
});

/** The app started against `serverUrl` and signed in as `name` from its page. */
async function startSignedIn(launch: Launch, serverUrl: string, name: string) {
  const started = await startApp(launch, name.toLowerCase(), serverUrl);
  await started.standIn.invoke(methodChannel('signIn'), started.fromAppPage, name);
  const signedIn = (m: { channel: string; payload: unknown }) => m.channel === eventChannel('connection') && (m.payload as ConnectionState).signedInAs === name;
  await expect.poll(() => started.window.webContents.sent.some(signedIn)).toBe(true);
  return started;
}

/** A peer on the signaling server speaking the wire protocol by hand, as the tutorial's client does. */
async function signedInPeer(url: string, name: string): Promise<{ send(message: object): void; close(): void }> {
  const socket = new WebSocket(url, 'json');
  await new Promise<void>((resolve, reject) => {
    socket.once('message', () => resolve());
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ type: 'username', name }));
  await new Promise<void>((resolve) => socket.once('message', () => resolve()));
  return { send: (message) => socket.send(JSON.stringify(message)), close: () => socket.close() };
}

test.describe('the demo IVR of the embedded server', () => {
  test('runs in a utility process started from the built worker beside main.cjs, and is told to stop on quit', async ({ launch }) => {
    const port = await freePort();
    const standIn = launch(['--profile', 'alice', '--port', String(port)]);
    standIn.becomeReady();
    await expect.poll(() => standIn.utilityProcesses.length).toBe(1);
    const ivr = standIn.utilityProcesses[0]!;

    expect(ivr.modulePath).toBe(builtIvrWorker);
    expect(existsSync(ivr.modulePath), `${ivr.modulePath} should exist`).toBe(true);
    expect(ivr.options).toMatchObject({ serviceName: 'Softphone demo IVR' });
    expect(ivr.args).toEqual(expect.arrayContaining(['--server', `ws://127.0.0.1:${port}`, '--name', 'Demo IVR', '--key-file', '--parent-pid', String(process.pid)]));
    // It is given where the key is, never the key.
    const keyFile = ivr.args[ivr.args.indexOf('--key-file') + 1]!;
    expect(existsSync(keyFile), `${keyFile} should exist`).toBe(true);
    expect(ivr.args.join(' ')).not.toContain(readFileSync(keyFile, 'utf8').trim());

    ivr.spawn(4242);
    ivr.sendFromChild({ type: 'ready', name: 'Demo IVR', pid: 4242 });
    standIn.app.quit();
    await standIn.whenQuit();
    expect(ivr.posted).toEqual([{ type: 'stop' }]);
    expect(ivr.exited).toBe(true);
  });
});

test.describe('updates', () => {
  test('in development (not packaged) electron-updater is not even loaded, and the tray offers no update', async ({ launch, updater }) => {
    const { standIn } = await startApp(launch);
    await expect.poll(() => standIn.trays[0]?.menu.length ?? 0).toBeGreaterThan(0);

    expect(updater.required).toBe(false);
    expect(updater.autoUpdater.calls).toEqual([]);
    expect(standIn.trays[0]!.menu.map((item) => item.label)).not.toContain('Check for updates…');
  });

  test('packaged: checked at start and from the tray; a downloaded version asks, and Restart now closes the window and installs', async ({ launch, updater }) => {
    const { standIn, window } = await startApp(launch, 'alice', UNREACHABLE_SERVER, { packaged: true });
    const autoUpdater = updater.autoUpdater;
    expect(updater.required).toBe(true);
    expect([autoUpdater.autoDownload, autoUpdater.autoInstallOnAppQuit]).toEqual([false, false]);
    expect(autoUpdater.calls).toEqual(['checkForUpdates']);
    const tray = standIn.trays[0]!;
    // The update item sits just above Quit.
    const updateItem = () => tray.menu.at(-2);
    await expect.poll(() => updateItem()?.label).toBe('Checking for updates…');
    expect(updateItem()?.enabled).toBe(false);

    autoUpdater.answerNone('0.1.0');
    await expect.poll(() => updateItem()?.label).toBe('Check for updates…');
    expect(standIn.messageBoxes).toEqual([]);

    tray.click('Check for updates…');
    expect(autoUpdater.calls).toEqual(['checkForUpdates', 'checkForUpdates']);
    autoUpdater.answerAvailable('0.2.0');
    expect(autoUpdater.calls.at(-1)).toBe('downloadUpdate');
    await expect.poll(() => updateItem()?.label).toBe('Downloading version 0.2.0…');
    autoUpdater.finishDownload('0.2.0');
    await expect.poll(() => standIn.messageBoxes.length).toBe(2);
    expect(standIn.messageBoxes.map((box) => box.options.message)).toEqual(['Version 0.2.0 is available.', 'Version 0.2.0 is ready to install.']);

    standIn.messageBoxes[1]!.answer(0);
    await expect.poll(() => autoUpdater.calls.at(-1)).toBe('quitAndInstall');
    // The installer's restart closes the windows (on macOS before 'before-quit'): close-to-tray must not hold them.
    window.close();
    expect(window.isDestroyed()).toBe(true);
  });
});
