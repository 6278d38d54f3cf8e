/**
 * The MDN "signaling and video calling" tutorial's own client, run as its code
 * runs (tutorial-client-page/chatclient.js says which line comes from where),
 * to prove the softphone stays wire-compatible with it: no call ids, no
 * ringing, candidates without a sender name, every offer answered at once,
 * and a hang-up sent with `target: null` after it forgot its peer.
 *
 * The tests drive it the way its user would: type a name and click "Log in",
 * click a name in the user list to call, click "Hang Up".
 */
import type { BrowserContext, Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PAGE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'tutorial-client-page');
const FILES: Record<string, string> = { '/': 'index.html', '/chatclient.js': 'chatclient.js' };
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

/** A signal as the tutorial client sent or received it (SDP and candidates left out). */
export interface WireRecord {
  type: string;
  name?: string;
  target?: string | null;
  callId?: string;
  reason?: string;
}

export interface TutorialClientState {
  myUsername: string | null;
  signedIn: boolean;
  users: string[];
  targetUsername: string | null;
  /** The RTCPeerConnection's connectionState; null when the client holds none (no call). */
  peerConnection: RTCPeerConnectionState | null;
  remoteVideoWidth: number;
  /** The page's "Hang Up" button is enabled (a remote track arrived). */
  hangUpEnabled: boolean;
  sent: WireRecord[];
  received: WireRecord[];
}

let pageServer: Promise<string> | null = null;

/**
 * The origin the tutorial page is served from (a real loopback HTTP server, one
 * per test worker: Chromium's local-network checks refuse a WebSocket to
 * 127.0.0.1 from a page that was not). A signaling server must allow this
 * origin (`allowedOrigins`), as an operator allows the tutorial's page.
 */
export function tutorialPageOrigin(): Promise<string> {
  pageServer ??= (async () => {
    const http = createServer((request, response) => {
      const file = FILES[new URL(request.url ?? '/', 'http://x').pathname];
      if (!file) return void response.writeHead(404).end();
      readFile(path.join(PAGE_DIR, file)).then(
        (body) => response.writeHead(200, { 'content-type': TYPES[path.extname(file)]! }).end(body),
        () => response.writeHead(500).end(),
      );
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    // Lives as long as the worker process; nothing to stop between tests.
    http.unref();
    return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  })();
  return pageServer;
}

/** Opens the client's page and logs in as `name`, resolving once the server lists it. */
export async function openTutorialClient(context: BrowserContext, serverUrl: string, name: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${await tutorialPageOrigin()}/?server=${encodeURIComponent(serverUrl)}`);
  await page.locator('#name').fill(name);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForFunction(() => (window as unknown as { tutorialState(): TutorialClientState }).tutorialState().signedIn);
  return page;
}

export function tutorialState(page: Page): Promise<TutorialClientState> {
  return page.evaluate(() => (window as unknown as { tutorialState(): TutorialClientState }).tutorialState());
}

/** Click a name in the client's user list: its invite() starts a call. */
export async function tutorialInvite(page: Page, who: string): Promise<void> {
  await page.locator('.user-list-box li').getByText(who, { exact: true }).click();
}

/** Click the client's "Hang Up" button: its hangUpCall() closes the call, then sends a hang-up with target null. */
export async function tutorialHangUp(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Hang Up' }).click();
}
