/**
 * Who is online, and telling everyone. The directory of names (this
 * process's users and, with Redis, every other node's) in sign-in order, and
 * the batching of presence updates:
 *
 * - a client whose `username` succeeded gets the full `userlist` at the next flush;
 * - clients that announced `presence-delta` then get `user-left` / `user-joined`;
 * - tutorial clients get a full `userlist` whenever the list changed.
 *
 * Changes are coalesced for a short time (a join and a leave of the same name
 * cancel out) and every message is serialised once and the same bytes are
 * sent to every recipient, so a join costs O(users) sends, not O(users²) work.
 */
import { MAX_SERVER_MESSAGE_BYTES } from '../common/signaling-protocol.ts';

/** One name held by one connection somewhere in the cluster. */
export interface NameEntry {
  /** nameKey(name): what uniqueness and routing go by. */
  key: string;
  /** The name as shown. */
  name: string;
  /** The holding connection's id (unique across nodes). */
  sid: string;
  /** The server process holding the connection. */
  node: string;
  /** The client's session (kept across reconnects through its token). */
  session: string;
  /** When this session first took the name, ms since the epoch: an earlier claim wins. */
  since: number;
  /** Signed in with an account's password. */
  account: boolean;
}

/** Who holds a name, without the name: what a claim for several candidate names shares. */
export type Holder = Omit<NameEntry, 'key' | 'name'>;

/**
 * A NameEntry for `holder` under `key` and `name`. Built as one literal with
 * its fields in a fixed order, not by spreading `holder`: V8 gives every
 * object made by `{ ...holder, key, name }` a hidden class of its own, which
 * cost some 300 bytes per user and made every read of an entry while routing
 * a megamorphic lookup (10,000 users, 10,000 shapes).
 */
export function nameEntry(holder: Holder, key: string, name: string): NameEntry {
  return {
    key,
    name,
    sid: holder.sid,
    node: holder.node,
    session: holder.session,
    since: holder.since,
    account: holder.account,
  };
}

/** What happens to the connection that held a name someone else now holds. */
export type Displacement = 'replace' | 'rename';

export type PresenceEvent =
  | { op: 'set'; seq: number; entry: NameEntry; previous: NameEntry | null; displace?: Displacement }
  | { op: 'delete'; seq: number; entry: NameEntry };

/** A local connection as presence sees it. */
export interface PresenceMember {
  readonly sid: string;
  readonly wantsDeltas: boolean;
  /** Bytes already waiting to be written to it. */
  readonly queuedBytes: number;
  send(data: Buffer): boolean;
}

/**
 * A member with more than this waiting gets no presence until it has read
 * it, and then one full list instead of every batch it missed: a storm of
 * joins then costs lagging clients (and the server's memory) one list each.
 */
export const PRESENCE_LAG_BYTES = 64 * 1024;

export interface PresenceHooks {
  /** The local connection with this id, if it is still open. */
  member(sid: string): PresenceMember | undefined;
  /** A local connection lost its name to `by`. */
  displaced(member: PresenceMember, lost: NameEntry, by: NameEntry, how: Displacement | undefined): void;
  /** A local connection's name was removed, possibly not by us (another node declared this one dead). */
  removed(member: PresenceMember, entry: NameEntry): void;
}

export const DEFAULT_PRESENCE_BATCH_MS = 30;
/**
 * Under load the wait between flushes grows to this many times the last
 * flush's duration (so flushing takes at most a third of the time and each
 * flush carries more changes)…
 */
const FLUSH_SHARE = 4;
/** …but never longer than this. */
const MAX_BATCH_MS = 1000;
/** Room for the envelope around the names in one message. */
const ENVELOPE_BYTES = 64;

function toFrame(message: object): Buffer {
  return Buffer.from(JSON.stringify(message));
}

/** `names` split into frames of `type` that each fit the largest frame a client accepts. */
function chunked(type: 'userlist' | 'user-joined' | 'user-left', names: Iterable<string>): Buffer[] {
  const frame = (kind: typeof type, list: string[]) => toFrame(kind === 'userlist' ? { type: kind, users: list } : { type: kind, names: list });
  const frames: Buffer[] = [];
  let current: string[] = [];
  let bytes = ENVELOPE_BYTES;
  for (const name of names) {
    const size = Buffer.byteLength(JSON.stringify(name)) + 1;
    if (bytes + size > MAX_SERVER_MESSAGE_BYTES && current.length > 0) {
      frames.push(frame(type, current));
      // Frames after the first are always additions to a list.
      type = type === 'userlist' ? 'user-joined' : type;
      current = [];
      bytes = ENVELOPE_BYTES;
    }
    current.push(name);
    bytes += size;
  }
  if (current.length > 0 || (type === 'userlist' && frames.length === 0)) frames.push(frame(type, current));
  return frames;
}

export class Presence {
  private readonly entries = new Map<string, NameEntry>();
  private readonly namesPerNode = new Map<string, number>();
  /** Local signed-in connections, and the key each holds. */
  private readonly members = new Map<string, { member: PresenceMember; key: string }>();
  private readonly pendingJoined = new Map<string, string>();
  private readonly pendingLeft = new Map<string, string>();
  private readonly needsFullList = new Set<string>();
  private fullListCache: Buffer[] | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  /** How long the last flush took: under load, batches grow so flushing stays a small share of the time. */
  private lastFlushMs = 0;
  private changes = 0;

  constructor(
    readonly nodeId: string,
    private readonly hooks: PresenceHooks,
    private readonly batchMs = DEFAULT_PRESENCE_BATCH_MS,
  ) {}

  get(key: string): NameEntry | undefined {
    return this.entries.get(key);
  }

  /** Changes with every name taken or given up: what get() answered stays true while it is the same. */
  get version(): number {
    return this.changes;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Every name online, in the order they signed in. */
  names(): string[] {
    return Array.from(this.entries.values(), (entry) => entry.name);
  }

  get size(): number {
    return this.entries.size;
  }

  get localSize(): number {
    return this.members.size;
  }

  /** Entries held on this node. */
  localEntries(): NameEntry[] {
    const result: NameEntry[] = [];
    for (const { key } of this.members.values()) {
      const entry = this.entries.get(key);
      if (entry) result.push(entry);
    }
    return result;
  }

  /** Nodes other than this one that hold names. */
  remoteNodes(): string[] {
    return [...this.namesPerNode.keys()].filter((node) => node !== this.nodeId);
  }

  /** Every entry (for a resync against a fresh snapshot). */
  allEntries(): NameEntry[] {
    return [...this.entries.values()];
  }

  apply(event: PresenceEvent): void {
    if (event.op === 'set') this.applySet(event.entry, event.displace);
    else this.applyDelete(event.entry);
  }

  /** Sends whatever is pending now (tests and shutdown; normally a timer does it). */
  flush(): void {
    const startedAt = performance.now();
    this.send();
    this.lastFlushMs = performance.now() - startedAt;
  }

  private send(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const changed = this.pendingJoined.size + this.pendingLeft.size > 0;
    if (!changed && this.needsFullList.size === 0) return;
    const left = this.pendingLeft.size > 0 ? chunked('user-left', this.pendingLeft.values()) : [];
    const joined = this.pendingJoined.size > 0 ? chunked('user-joined', this.pendingJoined.values()) : [];
    this.pendingLeft.clear();
    this.pendingJoined.clear();
    if (changed) this.fullListCache = null;
    const fullList = () => (this.fullListCache ??= chunked('userlist', this.names()));

    const sendFullList = (member: PresenceMember) => {
      const frames = fullList();
      // A tutorial client understands only `userlist`: it gets as many names as one frame holds.
      const count = member.wantsDeltas ? frames.length : 1;
      for (let i = 0; i < count; i++) if (!member.send(frames[i])) return;
    };

    const lagging: string[] = [];
    if (!changed) {
      for (const sid of this.needsFullList) {
        const member = this.members.get(sid)?.member;
        if (!member) continue;
        if (member.queuedBytes > PRESENCE_LAG_BYTES) lagging.push(sid);
        else sendFullList(member);
      }
    } else {
      for (const { member } of this.members.values()) {
        if (member.queuedBytes > PRESENCE_LAG_BYTES) {
          lagging.push(member.sid);
        } else if (this.needsFullList.has(member.sid)) {
          sendFullList(member);
        } else if (member.wantsDeltas) {
          for (const frame of left) if (!member.send(frame)) break;
          for (const frame of joined) if (!member.send(frame)) break;
        } else {
          member.send(fullList()[0]);
        }
      }
    }
    this.needsFullList.clear();
    // Those behind catch up with one full list once they have read what they have.
    for (const sid of lagging) this.needsFullList.add(sid);
    if (lagging.length > 0) this.schedule();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private applySet(entry: NameEntry, displace: Displacement | undefined): void {
    const previous = this.entries.get(entry.key);
    this.entries.set(entry.key, entry);
    this.changes++;
    if (previous) this.countNode(previous.node, -1);
    this.countNode(entry.node, 1);
    if (previous && (previous.sid !== entry.sid || previous.name !== entry.name)) this.left(previous);
    if (!previous || previous.sid !== entry.sid || previous.name !== entry.name) this.joined(entry);

    if (previous && previous.sid !== entry.sid && previous.node === this.nodeId) {
      const held = this.members.get(previous.sid);
      if (held && held.key === entry.key) {
        this.members.delete(previous.sid);
        this.needsFullList.delete(previous.sid);
        this.hooks.displaced(held.member, previous, entry, displace);
      }
    }
    if (entry.node === this.nodeId) {
      const member = this.hooks.member(entry.sid);
      if (member) {
        // A rename keeps the member; the old key is released right after.
        this.members.set(entry.sid, { member, key: entry.key });
        // Every successful `username` is answered with the full list.
        this.needsFullList.add(entry.sid);
      }
    }
    this.schedule();
  }

  private applyDelete(entry: NameEntry): void {
    const current = this.entries.get(entry.key);
    if (!current || current.sid !== entry.sid) return;
    this.entries.delete(entry.key);
    this.changes++;
    this.countNode(current.node, -1);
    this.left(current);
    if (current.node === this.nodeId) {
      const held = this.members.get(current.sid);
      if (held && held.key === current.key) {
        this.members.delete(current.sid);
        this.needsFullList.delete(current.sid);
        this.hooks.removed(held.member, current);
      }
    }
    this.schedule();
  }

  private countNode(node: string, change: number): void {
    const count = (this.namesPerNode.get(node) ?? 0) + change;
    if (count > 0) this.namesPerNode.set(node, count);
    else this.namesPerNode.delete(node);
  }

  private joined(entry: NameEntry): void {
    if (this.pendingLeft.get(entry.key) === entry.name) this.pendingLeft.delete(entry.key);
    else this.pendingJoined.set(entry.key, entry.name);
  }

  private left(entry: NameEntry): void {
    if (this.pendingJoined.get(entry.key) === entry.name) this.pendingJoined.delete(entry.key);
    else this.pendingLeft.set(entry.key, entry.name);
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    const delay = Math.min(MAX_BATCH_MS, Math.max(this.batchMs, this.lastFlushMs * FLUSH_SHARE));
    this.timer = setTimeout(() => this.flush(), delay);
  }
}
