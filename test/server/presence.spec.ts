/**
 * Presence: one full list per sign-in, then deltas for clients that asked
 * for them and full lists for tutorial clients; batched, serialised once,
 * and never larger than a client accepts.
 */
import { test, expect } from '@playwright/test';
import { MAX_SERVER_MESSAGE_BYTES } from '../../common/signaling-protocol.ts';
import { PRESENCE_LAG_BYTES, Presence, type NameEntry, type PresenceMember } from '../../server/presence.ts';
import { startSignalingServer, type SignalingServer, type SignalingServerOptions } from '../../server/signaling-server.ts';
import { RawPeer, connectAndSend, quiet, signIn, type Received } from './support.ts';

let server: SignalingServer | undefined;
const peers: RawPeer[] = [];

async function startServer(options: SignalingServerOptions = {}): Promise<SignalingServer> {
  server = await startSignalingServer({ log: quiet, ...options });
  return server;
}

async function deltaClient(name: string): Promise<RawPeer> {
  const peer = await connectAndSend(server!.url, name, { features: ['presence-delta'] });
  peers.push(peer);
  await peer.waitFor((m) => m.type === 'userlist', `${name}'s first list`);
  return peer;
}

/** The list a delta client has in mind: its one full list, then every delta in order. */
function viewOf(peer: RawPeer): string[] {
  const view: string[] = [];
  for (const message of peer.received as Received[]) {
    if (message.type === 'userlist') view.splice(0, view.length, ...(message.users as string[]));
    if (message.type === 'user-joined') view.push(...(message.names as string[]));
    if (message.type === 'user-left') for (const name of message.names as string[]) view.splice(view.indexOf(name), 1);
  }
  return view;
}

test.afterEach(async () => {
  for (const p of peers.splice(0)) p.close();
  await server?.close();
  server = undefined;
});

test('a delta client gets the full list once, then user-joined / user-left; a tutorial client gets full lists', async () => {
  await startServer();
  const watcher = await deltaClient('watcher');
  const tutorial = await signIn(server!.url, 'tutorial');
  peers.push(tutorial);
  await watcher.waitFor((m) => m.type === 'user-joined', 'tutorial joining');
  const others = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((name) => signIn(server!.url, name)));
  peers.push(...others);
  others[1].close();
  others[3].close();
  const final = ['watcher', 'tutorial', 'a', 'c', 'e'];
  await expect.poll(() => viewOf(watcher)).toEqual(final);
  await tutorial.waitForUserList(final);
  expect(server!.users()).toEqual(final);
  expect(watcher.all('userlist')).toHaveLength(1);
  expect(tutorial.received.every((m) => m.type === 'id' || m.type === 'userlist')).toBe(true);
});

test('a user who joins and leaves within one batch is never announced', async () => {
  await startServer({ presenceBatchMs: 1000 });
  const watcher = await deltaClient('watcher');
  const tutorial = await signIn(server!.url, 'tutorial');
  peers.push(tutorial);
  await watcher.waitFor((m) => m.type === 'user-joined', 'tutorial joining');
  const flicker = await RawPeer.open(server!.url);
  await flicker.waitForType('id');
  flicker.send({ type: 'username', name: 'flicker' });
  flicker.close();
  const steady = await signIn(server!.url, 'steady');
  peers.push(steady);
  await watcher.waitFor((m) => m.type === 'user-joined' && (m.names as string[]).includes('steady'), 'steady joining');
  await tutorial.waitForUserList(['watcher', 'tutorial', 'steady']);
  const announced = [...watcher.received, ...tutorial.received].flatMap((m) => (m.names ?? m.users ?? []) as string[]);
  expect(announced).not.toContain('flicker');
});

class RecordingMember implements PresenceMember {
  readonly frames: Buffer[] = [];
  /** What the member's socket has not written yet; a test raises it to play a client that lags. */
  queuedBytes = 0;
  constructor(
    readonly sid: string,
    readonly wantsDeltas: boolean,
  ) {}
  send(data: Buffer): boolean {
    this.frames.push(data);
    return true;
  }
  messages(): Received[] {
    return this.frames.map((frame) => JSON.parse(frame.toString()) as Received);
  }
}

function entry(name: string, sid: string, node = 'local'): NameEntry {
  return { key: name.toLowerCase(), name, sid, node, session: sid, since: 0, account: false };
}

test('serialises each batch once: every delta client gets the very same bytes', () => {
  const members = new Map<string, RecordingMember>();
  const presence = new Presence('local', { member: (sid) => members.get(sid), displaced: () => {}, removed: () => {} }, 60_000);
  for (let i = 0; i < 50; i++) {
    members.set(`s${i}`, new RecordingMember(`s${i}`, i % 2 === 0));
    presence.apply({ op: 'set', seq: i, entry: entry(`user${i}`, `s${i}`), previous: null });
  }
  presence.flush();
  for (const member of members.values()) member.frames.length = 0;

  presence.apply({ op: 'set', seq: 100, entry: entry('remote', 'r1', 'other-node'), previous: null });
  presence.apply({ op: 'delete', seq: 101, entry: entry('user7', 's7') });
  presence.flush();
  const deltaFrames = [...members.values()].filter((m) => m.wantsDeltas).map((m) => m.frames);
  const listFrames = [...members.values()].filter((m) => !m.wantsDeltas && m.sid !== 's7').map((m) => m.frames);
  for (const frames of deltaFrames) {
    expect(frames).toHaveLength(2);
    expect(frames[0]).toBe(deltaFrames[0][0]);
    expect(frames[1]).toBe(deltaFrames[0][1]);
  }
  expect(JSON.parse(deltaFrames[0][0].toString())).toEqual({ type: 'user-left', names: ['user7'] });
  expect(JSON.parse(deltaFrames[0][1].toString())).toEqual({ type: 'user-joined', names: ['remote'] });
  for (const frames of listFrames) expect(frames).toEqual([listFrames[0][0]]);
  presence.close();
});

test('a client far behind gets no batches until it has read, then one full list with everyone', async () => {
  const members = new Map<string, RecordingMember>();
  const presence = new Presence('local', { member: (sid) => members.get(sid), displaced: () => {}, removed: () => {} }, 10);
  const keeping = new RecordingMember('keeping', true);
  const lagging = new RecordingMember('lagging', true);
  members.set('keeping', keeping);
  members.set('lagging', lagging);
  presence.apply({ op: 'set', seq: 0, entry: entry('Keeping', 'keeping'), previous: null });
  presence.apply({ op: 'set', seq: 1, entry: entry('Lagging', 'lagging'), previous: null });
  presence.flush();
  keeping.frames.length = 0;
  lagging.frames.length = 0;

  lagging.queuedBytes = PRESENCE_LAG_BYTES + 1;
  for (let i = 0; i < 20; i++) {
    presence.apply({ op: 'set', seq: 2 + i, entry: entry(`joiner${i}`, `j${i}`, 'other-node'), previous: null });
    presence.flush();
  }
  expect(keeping.messages().flatMap((m) => m.names as string[])).toHaveLength(20);
  expect(lagging.frames).toEqual([]);

  // Once its socket has drained, the next flush (which comes by itself) catches it up in one list.
  lagging.queuedBytes = 0;
  await expect.poll(() => lagging.messages().length).toBe(1);
  const [list] = lagging.messages();
  expect(list!.type).toBe('userlist');
  expect(list!.users).toEqual(['Keeping', 'Lagging', ...Array.from({ length: 20 }, (_, i) => `joiner${i}`)]);
  presence.close();
});

test('splits a full list that would pass MAX_SERVER_MESSAGE_BYTES: delta clients get all of it, tutorial clients one frame', () => {
  const members = new Map<string, RecordingMember>();
  const presence = new Presence('local', { member: (sid) => members.get(sid), displaced: () => {}, removed: () => {} }, 60_000);
  const count = 40_000;
  for (let i = 0; i < count; i++) {
    // 32-character names with multi-byte letters: about 70 bytes each on the wire.
    const name = `ü${String(i).padStart(6, '0')}${'é'.repeat(25)}`;
    presence.apply({ op: 'set', seq: i, entry: { ...entry(name, `r${i}`, 'other-node'), key: name }, previous: null });
  }
  const modern = new RecordingMember('me', true);
  const tutorial = new RecordingMember('tut', false);
  members.set('me', modern);
  members.set('tut', tutorial);
  presence.apply({ op: 'set', seq: count, entry: entry('Me', 'me'), previous: null });
  presence.apply({ op: 'set', seq: count + 1, entry: entry('Tut', 'tut'), previous: null });
  presence.flush();

  for (const frame of [...modern.frames, ...tutorial.frames]) expect(frame.byteLength).toBeLessThanOrEqual(MAX_SERVER_MESSAGE_BYTES);
  const [first, ...rest] = modern.messages();
  expect(first.type).toBe('userlist');
  expect(rest.length).toBeGreaterThan(0);
  expect(rest.every((m) => m.type === 'user-joined')).toBe(true);
  const names = [...(first.users as string[]), ...rest.flatMap((m) => m.names as string[])];
  expect(names).toHaveLength(count + 2);
  expect(names.slice(-2)).toEqual(['Me', 'Tut']);
  expect(tutorial.messages()).toEqual([first]);
  presence.close();
});
