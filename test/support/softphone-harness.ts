/**
 * One softphone for browser tests: the real renderer in a Chromium page, the
 * real main-process core in this process, joined through the real IPC router
 * and the contract's bridge. Only the transport differs from Electron.
 */
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '../../common/logger.ts';
import { createIpcRouter, isAppPage, validateEvent } from '../../main/core/ipc-router.ts';
import { createSoftphoneCore, type SoftphoneCore, type SoftphoneCoreOptions } from '../../main/core/softphone-core.ts';
import { createTestSecretStore } from './test-secret-store.ts';
import { pageBridgeScript } from './page-bridge-bundle.ts';

export interface SoftphoneLaunch {
  browser: Browser;
  rendererUrl: string;
  serverUrl: string | null;
  embeddedPort?: number;
  /** Reuse a profile to simulate a restart; a fresh temp folder otherwise. */
  userDataDir?: string;
  signalingTimings?: SoftphoneCoreOptions['signalingTimings'];
  /**
   * The embedded server's key file. Default: one per test process, shared by
   * every softphone it launches, as the app shares one per OS user.
   */
  localKeyFile?: string;
  /** A touch screen, for tapping instead of clicking. */
  touch?: boolean;
  /** PEM of a CA to trust for wss:// servers with a test certificate. */
  tlsCa?: string;
  /** The browser's language (what the 'system' language setting follows); English unless a test says otherwise. */
  locale?: string;
}

export interface Softphone {
  page: Page;
  context: BrowserContext;
  core: SoftphoneCore;
  userDataDir: string;
  /** Close the window and stop the core, keeping the profile folder. */
  close(): Promise<void>;
}

/** Short timings so reconnects happen within a test's patience; same code paths as real use. */
export const TEST_SIGNALING_TIMINGS = {
  heartbeatIntervalMs: 1000,
  heartbeatTimeoutMs: 1000,
  backoff: { initialMs: 200, maxMs: 1000 },
};

export async function launchSoftphone(options: SoftphoneLaunch): Promise<Softphone> {
  const userDataDir = options.userDataDir ?? (await mkdtemp(path.join(tmpdir(), 'softphone-profile-')));
  const log = createLogger('test-core');
  const core = createSoftphoneCore({
    userDataDir,
    serverUrl: options.serverUrl,
    embeddedPort: options.embeddedPort ?? 0,
    log,
    secrets: createTestSecretStore(userDataDir, log),
    localKeyFile: options.localKeyFile ?? path.join(tmpdir(), `softphone-harness-${process.pid}`, 'embedded-server.key'),
    signalingTimings: options.signalingTimings ?? TEST_SIGNALING_TIMINGS,
    tls: options.tlsCa ? { ca: options.tlsCa } : undefined,
    // Main follows the system's language as the page does (Electron: app.getLocale()).
    systemLocale: () => options.locale ?? 'en-US',
  });
  const router = createIpcRouter({ handlers: core.handlers, isTrustedSender: isAppPage(options.rendererUrl), log });

  const context = await options.browser.newContext({ viewport: { width: 1000, height: 720 }, hasTouch: options.touch ?? false, locale: options.locale ?? 'en-US' });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') console.error(`[renderer] ${message.text()}`);
  });
  page.on('pageerror', (error) => console.error(`[renderer] ${error.message}`));
  // JSON text each way: see page-bridge.ts.
  await page.exposeBinding('__softphoneInvoke', async (source, method: string, args: unknown[]) => {
    const result = await router.invoke({ url: source.frame.url(), isMainFrame: source.frame === source.page.mainFrame() }, method, args);
    return result === undefined ? undefined : JSON.stringify(result);
  });
  await page.addInitScript({ content: await pageBridgeScript() });
  await page.addInitScript(recordPeerConnections);

  // Deliver events in order, validated exactly as the Electron entry does.
  let delivery = Promise.resolve();
  const stopEvents = core.onEvent((event, payload) => {
    const valid = validateEvent(event, payload);
    delivery = delivery
      .then(() => page.evaluate(([e, p]) => window.__softphoneDeliver(e, p), [event, JSON.stringify(valid)] as const))
      .catch(() => {
        /* the page is closing */
      });
  });

  await core.start();
  await page.goto(options.rendererUrl);

  let closed = false;
  return {
    page,
    context,
    core,
    userDataDir,
    async close() {
      if (closed) return;
      closed = true;
      stopEvents();
      await context.close();
      await core.stop();
    },
  };
}

/** Test instrumentation: keep every RTCPeerConnection the page makes, to read getStats(). */
function recordPeerConnections(): void {
  const Original = window.RTCPeerConnection;
  const made: RTCPeerConnection[] = [];
  (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections = made;
  window.RTCPeerConnection = class extends Original {
    constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
      super(...args);
      made.push(this);
    }
  } as typeof RTCPeerConnection;
}

export async function removeProfile(softphone: Softphone): Promise<void> {
  await rm(softphone.userDataDir, { recursive: true, force: true });
}
