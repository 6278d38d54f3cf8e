/**
 * Several server processes, one set of users: names are claimed in a Redis
 * hash (atomically, by the scripts in redis-scripts.ts), every change is
 * published in order and applied to each node's Presence mirror, call
 * signals go to the owning node's channel, and each node keeps a heartbeat
 * key alive. A node whose key expired (killed, frozen, cut off) has its
 * users removed by whichever node notices first.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../../common/logger.ts';
import type { Directory, DirectoryHandlers, RemoteSignal } from '../directory.ts';
import type { Displacement, NameEntry, Presence, PresenceEvent } from '../presence.ts';
import { CLAIM, RELEASE, SNAPSHOT, SWEEP_NODE } from './redis-scripts.ts';

export interface RedisDirectoryOptions {
  url: string;
  nodeId: string;
  presence: Presence;
  /** Heartbeat period; a node is declared dead after three missed beats. */
  heartbeatIntervalMs: number;
  log: Logger;
  handlers: DirectoryHandlers;
  /** Key and channel prefix, so several deployments can share one Redis. */
  prefix?: string;
}

type RedisWithScripts = Redis & {
  claimName(hash: string, seq: string, key: string, expectedSid: string, entry: string, channel: string, displace: string): Promise<number>;
  releaseName(hash: string, seq: string, key: string, sid: string, channel: string): Promise<number>;
  sweepNode(hash: string, seq: string, nodeKey: string, node: string, channel: string, force: string): Promise<number>;
  presenceSnapshot(hash: string, seq: string): Promise<[string, string[]]>;
};

/** How long a claim waits for its own event before resynchronising the mirror instead. */
const ECHO_TIMEOUT_MS = 5_000;
/** Heartbeats a node may miss before the others remove its users. */
const MISSED_BEATS = 3;

function withScripts(redis: Redis): RedisWithScripts {
  redis.defineCommand('claimName', { numberOfKeys: 2, lua: CLAIM });
  redis.defineCommand('releaseName', { numberOfKeys: 2, lua: RELEASE });
  redis.defineCommand('sweepNode', { numberOfKeys: 3, lua: SWEEP_NODE });
  redis.defineCommand('presenceSnapshot', { numberOfKeys: 2, lua: SNAPSHOT });
  return redis as RedisWithScripts;
}

interface WireEvent {
  op: 'set' | 'delete';
  seq: number;
  entry: NameEntry;
  previous?: NameEntry | null;
  displace?: string;
}

export class RedisDirectory implements Directory {
  readonly nodeId: string;
  private readonly commands: RedisWithScripts;
  private readonly subscriber: Redis;
  private readonly presence: Presence;
  private readonly log: Logger;
  private readonly handlers: DirectoryHandlers;
  private readonly keys: { hash: string; seq: string; node: (id: string) => string };
  private readonly channels: { presence: string; chat: string; node: (id: string) => string };
  private readonly heartbeatIntervalMs: number;
  /** The last event applied to the mirror; events arrive numbered without gaps. */
  private appliedSeq = 0;
  /** Events that arrived while a snapshot was being taken. */
  private buffered: WireEvent[] | null = null;
  private resyncing: Promise<void> | null = null;
  private readonly waiters = new Map<number, (() => void)[]>();
  private heartbeat: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(options: RedisDirectoryOptions, RedisClient: typeof Redis) {
    this.nodeId = options.nodeId;
    this.presence = options.presence;
    this.log = options.log;
    this.handlers = options.handlers;
    this.heartbeatIntervalMs = options.heartbeatIntervalMs;
    const prefix = options.prefix ?? 'softphone:';
    this.keys = { hash: `${prefix}presence`, seq: `${prefix}presence:seq`, node: (id) => `${prefix}node:${id}` };
    this.channels = { presence: `${prefix}presence-events`, chat: `${prefix}chat`, node: (id) => `${prefix}to:${id}` };
    const redisOptions = { lazyConnect: true, maxRetriesPerRequest: 3, connectionName: `signaling-${options.nodeId}` };
    this.commands = withScripts(new RedisClient(options.url, redisOptions));
    this.subscriber = new RedisClient(options.url, redisOptions);
    for (const [name, connection] of [['commands', this.commands], ['subscriber', this.subscriber]] as const) {
      connection.on('error', (error) => this.log.warn({ err: error, connection: name }, 'Redis connection error'));
    }
  }

  /** Connects, joins the cluster, and fills the Presence mirror with everyone already online. */
  static async connect(options: RedisDirectoryOptions): Promise<RedisDirectory> {
    // Loaded here, not at the top: bundles that inline this module (the app's
    // main process hosts a server that never uses Redis) do not load ioredis.
    const { Redis: RedisClient } = await import('ioredis');
    const directory = new RedisDirectory(options, RedisClient);
    try {
      await directory.start();
    } catch (error) {
      directory.subscriber.disconnect();
      directory.commands.disconnect();
      throw new Error(`Cannot use Redis at ${options.url}: ${(error as Error).message}`);
    }
    return directory;
  }

  private get nodeTtlMs(): number {
    return this.heartbeatIntervalMs * MISSED_BEATS;
  }

  private async start(): Promise<void> {
    await Promise.all([this.commands.connect(), this.subscriber.connect()]);
    await this.beat();
    this.subscriber.on('message', (channel: string, message: string) => this.onMessage(channel, message));
    await this.subscriber.subscribe(this.channels.presence, this.channels.chat, this.channels.node(this.nodeId));
    await this.resync();
    // After a lost connection, events may have been missed: start again from a snapshot.
    this.subscriber.on('ready', () => {
      if (!this.closed) void this.resync();
    });
    this.heartbeat = setInterval(() => void this.beatAndSweep(), this.heartbeatIntervalMs);
    this.heartbeat.unref();
    await this.sweepDeadNodes();
    this.log.info({ node: this.nodeId, users: this.presence.size }, 'Joined the Redis cluster');
  }

  async claim(entry: NameEntry, expected: NameEntry | null, displace?: Displacement): Promise<boolean> {
    const seq = await this.commands.claimName(
      this.keys.hash,
      this.keys.seq,
      entry.key,
      expected?.sid ?? '',
      JSON.stringify(entry),
      this.channels.presence,
      displace ?? '',
    );
    if (!seq) return false;
    await this.applied(Number(seq));
    return true;
  }

  async release(entry: NameEntry): Promise<void> {
    try {
      const seq = await this.commands.releaseName(this.keys.hash, this.keys.seq, entry.key, entry.sid, this.channels.presence);
      if (seq) await this.applied(Number(seq));
    } catch (error) {
      // The heartbeat's sweep removes it if this node goes away meanwhile; otherwise the next resync shows it.
      this.log.warn({ err: error, name: entry.name }, 'Could not release a name in Redis');
    }
  }

  deliverRemote(node: string, signal: RemoteSignal): void {
    this.commands.publish(this.channels.node(node), JSON.stringify(signal)).catch((error: unknown) => {
      this.log.warn({ err: error, node }, 'Could not pass a signal to another node');
    });
  }

  broadcastRemote(text: string): void {
    this.commands.publish(this.channels.chat, JSON.stringify({ node: this.nodeId, text })).catch((error: unknown) => {
      this.log.warn({ err: error }, 'Could not pass a chat line to the other nodes');
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    try {
      await this.commands.del(this.keys.node(this.nodeId));
      await this.commands.sweepNode(this.keys.hash, this.keys.seq, this.keys.node(this.nodeId), this.nodeId, this.channels.presence, '1');
    } catch (error) {
      this.log.warn({ err: error }, 'Could not remove this node from Redis; the others will once its heartbeat expires');
    }
    for (const wake of [...this.waiters.values()].flat()) wake();
    this.waiters.clear();
    this.subscriber.disconnect();
    await this.commands.quit().catch(() => this.commands.disconnect());
  }

  // ---- the mirror ------------------------------------------------------------

  private onMessage(channel: string, message: string): void {
    try {
      if (channel === this.channels.presence) this.onPresenceEvent(JSON.parse(message) as WireEvent);
      else if (channel === this.channels.chat) {
        const { node, text } = JSON.parse(message) as { node: string; text: string };
        if (node !== this.nodeId) this.handlers.chat(text);
      } else if (channel === this.channels.node(this.nodeId)) this.handlers.deliver(JSON.parse(message) as RemoteSignal);
    } catch (error) {
      this.log.error({ err: error, channel }, 'Could not handle a message from Redis');
    }
  }

  private onPresenceEvent(event: WireEvent): void {
    if (this.buffered) {
      this.buffered.push(event);
      return;
    }
    if (event.seq <= this.appliedSeq) return;
    if (event.seq !== this.appliedSeq + 1) {
      this.log.warn({ expected: this.appliedSeq + 1, got: event.seq }, 'Missed presence events; resynchronising');
      void this.resync();
      return;
    }
    this.apply(event);
  }

  private apply(event: WireEvent): void {
    const presenceEvent: PresenceEvent =
      event.op === 'set'
        ? { op: 'set', seq: event.seq, entry: event.entry, previous: event.previous ?? null, displace: (event.displace || undefined) as Displacement | undefined }
        : { op: 'delete', seq: event.seq, entry: event.entry };
    this.presence.apply(presenceEvent);
    this.appliedSeq = event.seq;
    this.wake(event.seq);
  }

  /** Resolves once the mirror has applied the event `seq` (or after a resync that includes it). */
  private applied(seq: number): Promise<void> {
    if (this.appliedSeq >= seq || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.log.warn({ seq }, 'Did not hear back a presence change; resynchronising');
        void this.resync().then(resolve);
      }, ECHO_TIMEOUT_MS);
      const list = this.waiters.get(seq) ?? [];
      list.push(() => {
        clearTimeout(timer);
        resolve();
      });
      this.waiters.set(seq, list);
    });
  }

  private wake(upTo: number): void {
    for (const [seq, list] of this.waiters) {
      if (seq > upTo) continue;
      this.waiters.delete(seq);
      for (const wake of list) wake();
    }
  }

  /** Makes the mirror equal to Redis: a snapshot, the differences applied, then the events that came meanwhile. */
  private resync(): Promise<void> {
    this.resyncing ??= (async () => {
      this.buffered = [];
      try {
        const [seqText, flat] = await this.commands.presenceSnapshot(this.keys.hash, this.keys.seq);
        const seq = Number(seqText);
        const snapshot = new Map<string, NameEntry>();
        for (let i = 0; i < flat.length; i += 2) snapshot.set(flat[i], JSON.parse(flat[i + 1]) as NameEntry);
        for (const entry of this.presence.allEntries()) {
          const now = snapshot.get(entry.key);
          if (!now || now.sid !== entry.sid) this.presence.apply({ op: 'delete', seq, entry });
        }
        for (const entry of snapshot.values()) {
          const mirrored = this.presence.get(entry.key);
          if (!mirrored || mirrored.sid !== entry.sid || mirrored.name !== entry.name) {
            this.presence.apply({ op: 'set', seq, entry, previous: mirrored ?? null });
          }
        }
        this.appliedSeq = Math.max(this.appliedSeq, seq);
        const pending = this.buffered;
        this.buffered = null;
        this.wake(this.appliedSeq);
        for (const event of pending.sort((a, b) => a.seq - b.seq)) this.onPresenceEvent(event);
      } catch (error) {
        const pending = this.buffered ?? [];
        this.buffered = null;
        this.log.error({ err: error }, 'Could not read presence from Redis');
        for (const event of pending) this.onPresenceEvent(event);
      } finally {
        this.resyncing = null;
      }
    })();
    return this.resyncing;
  }

  // ---- liveness --------------------------------------------------------------

  private async beat(): Promise<void> {
    await this.commands.set(this.keys.node(this.nodeId), String(Date.now()), 'PX', this.nodeTtlMs);
  }

  private async beatAndSweep(): Promise<void> {
    if (this.closed) return;
    try {
      await this.beat();
      await this.sweepDeadNodes();
    } catch (error) {
      this.log.warn({ err: error }, 'Redis heartbeat failed');
    }
  }

  /** Removes the users of nodes whose heartbeat key expired. */
  private async sweepDeadNodes(): Promise<void> {
    const nodes = [...this.presence.remoteNodes()];
    if (nodes.length === 0) return;
    const alive = await this.commands.exists(...nodes.map((node) => this.keys.node(node))).then(
      // EXISTS with several keys counts; ask one by one only when something is missing.
      (count) => count === nodes.length,
    );
    if (alive) return;
    for (const node of nodes) {
      if (await this.commands.exists(this.keys.node(node))) continue;
      const removed = await this.commands.sweepNode(this.keys.hash, this.keys.seq, this.keys.node(node), node, this.channels.presence, '0');
      if (removed > 0) this.log.warn({ node, removed }, 'A server node stopped; removed its users');
    }
  }
}
