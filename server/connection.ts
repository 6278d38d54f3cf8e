/**
 * One client's WebSocket as the server sees it: its id, what it announced,
 * the name it holds, its budgets, and a send that refuses to queue without
 * bound: a client that does not read what it is sent is dropped (SlowReader)
 * instead of growing the server's memory.
 */
import { WebSocket } from 'ws';
import type { Logger } from '../common/logger.ts';
import { CloseCode } from '../common/signaling-protocol.ts';
import type { NameEntry, PresenceMember } from './presence.ts';
import { FloodGuard, renameBudget, type RateLimit, type TokenBucket } from './rate-limit.ts';

/** How long a slow reader gets to read its close frame before its TCP connection is cut. */
const SLOW_READER_GRACE_MS = 5_000;
/** How long a client may take to answer our close frame before its TCP connection is cut. */
export const CLOSE_GRACE_MS = 2_000;
/** Frames a client may send while its sign-in is still being checked (scrypt, token checks). */
const MAX_BACKLOG = 16;
/** Every frame goes out as text (a Buffer too: presence frames are serialised once for everyone). */
const AS_TEXT = { binary: false } as const;
/** Call partners remembered per connection (for the tutorial's `hang-up` with `target: null`). */
const MAX_PARTNERS = 16;

/** Where a socket keeps its Connection, so one set of handlers serves every socket. */
const OWNER = Symbol('connection');
type OwnedSocket = WebSocket & { [OWNER]?: Connection };

export interface ConnectionLimits {
  maxQueuedBytes: number;
  rateLimit: RateLimit | null;
}

export class Connection implements PresenceMember {
  /** The name this connection holds, once signed in. */
  entry: NameEntry | null = null;
  /** Whether it ever signed in (a refused first `username` closes the connection, a refused rename does not). */
  signedInOnce = false;
  /** It sent `features` or `auth`: it reads `welcome` and `ice-servers`. */
  wantsWelcome = false;
  wantsDeltas = false;
  /** Its client session: stays the same across reconnects through the session token. */
  session: string | null = null;
  /** The account it proved (accounts mode). */
  account: string | null = null;
  /** The nonce of the local-key proof it gave (embedded server). */
  keyNonce: string | null = null;
  /** A service (its user's own IVR, a service account): no message or rename budget. */
  exempt = false;
  /** Its message budget; null when exempt or when rate limiting is off. */
  flood: FloodGuard | null;
  answeredLastPing = true;
  /** The close code the server chose for it, for the metrics. */
  closeCode: number | undefined;
  /**
   * Its rename budget, and below the peers it negotiated with: both made when
   * first needed, since most connections never rename and a server with
   * thousands of idle clients would otherwise hold an empty Map (~300 bytes)
   * and a bucket for each.
   */
  private renames: TokenBucket | null = null;
  /** sid → name key of the peers it exchanged offers/answers with, oldest first. */
  private partners: Map<string, string> | null = null;
  /** The partner remembered last, and its key: the newest in `partners` (forgetting it clears these). */
  private lastPartner: string | null = null;
  private lastPartnerKey: string | null = null;
  /**
   * Where its last routed message went: the target as the client wrote it,
   * the name entry it resolved to and that holder's connection here (if
   * local), valid while presence is at `routeVersion`. A call sends most of
   * its signals to one peer; this spares each the name lookups.
   */
  private routeTarget: string | null = null;
  private routeHolder: NameEntry | null = null;
  private routeRecipient: Connection | undefined = undefined;
  private routeVersion = -1;
  /** The local-key challenge sent with `id`. */
  challenge: string | undefined;
  /** The logger with this connection's id and user, made when first used: most connections never log on their own. */
  private ownLog: Logger | null = null;
  private logUser: string | null = null;
  signInTimer: NodeJS.Timeout | null = null;
  iceTimer: NodeJS.Timeout | null = null;
  /** Set once the server decided to drop it: nothing more is queued for it. */
  private dropping = false;
  private pending: Promise<void> | null = null;
  private backlog = 0;

  constructor(
    readonly socket: WebSocket,
    readonly sid: string,
    readonly address: string,
    private readonly limits: ConnectionLimits,
    private readonly serverLog: Logger,
    private readonly onSlowReader: (connection: Connection) => void,
  ) {
    this.flood = limits.rateLimit ? new FloodGuard(limits.rateLimit) : null;
    (socket as OwnedSocket)[OWNER] = this;
  }

  /** The Connection made for this socket, if one was. */
  static of(socket: WebSocket): Connection | undefined {
    return (socket as OwnedSocket)[OWNER];
  }

  get queuedBytes(): number {
    return this.socket.bufferedAmount;
  }

  get log(): Logger {
    this.ownLog ??= this.serverLog.child(this.logUser === null ? { connection: this.sid } : { connection: this.sid, user: this.logUser });
    return this.ownLog;
  }

  /** From now on its log lines name this user. */
  setLogUser(name: string): void {
    this.logUser = name;
    this.ownLog = null;
  }

  get open(): boolean {
    return !this.dropping && this.socket.readyState === WebSocket.OPEN;
  }

  get name(): string | null {
    return this.entry?.name ?? null;
  }

  /**
   * Queues a text frame unless the client already has more than its share
   * waiting: then it is closed with SlowReader and gets nothing more.
   */
  send(data: Buffer | string): boolean {
    if (!this.open) return false;
    if (this.socket.bufferedAmount > this.limits.maxQueuedBytes) {
      this.dropSlowReader();
      return false;
    }
    this.socket.send(data, AS_TEXT);
    return true;
  }

  /** Closes politely, then cuts the connection if the client does not answer. */
  close(code: CloseCode, reason: string, graceMs = CLOSE_GRACE_MS): void {
    if (this.dropping) return;
    this.dropping = true;
    this.clearTimers();
    const socket = this.socket;
    if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) {
      try {
        socket.close(code, reason);
      } catch {
        socket.terminate();
      }
    }
    setTimeout(() => socket.terminate(), graceMs).unref();
  }

  /** Whether its rename budget allows one more rename now (and takes it). */
  takeRename(): boolean {
    this.renames ??= renameBudget();
    return this.renames.take();
  }

  /**
   * What a signal exchanged with `sid` (name key `key`) says of the call:
   * offers and answers make it a partner, a hang-up ends that.
   */
  notePartner(type: string, sid: string, key: string): void {
    if (type === 'video-offer' || type === 'video-answer') this.rememberPartner(sid, key);
    else if (type === 'hang-up') this.forgetPartner(sid);
  }

  private rememberPartner(sid: string, key: string): void {
    // Every offer and answer of a call lands here; the usual case is the partner already last in line.
    if (this.lastPartner === sid && this.lastPartnerKey === key) return;
    const partners = (this.partners ??= new Map());
    this.lastPartner = sid;
    this.lastPartnerKey = key;
    partners.delete(sid);
    partners.set(sid, key);
    if (partners.size > MAX_PARTNERS) partners.delete(partners.keys().next().value as string);
  }

  private forgetPartner(sid: string): void {
    if (this.partners === null) return;
    this.partners.delete(sid);
    if (this.lastPartner === sid) this.lastPartner = this.lastPartnerKey = null;
  }

  /** The partners remembered ([sid, name key], oldest first), which it forgets. */
  takePartners(): Iterable<[string, string]> {
    const partners = this.partners ?? [];
    this.partners = null;
    this.lastPartner = this.lastPartnerKey = null;
    return partners;
  }

  /** The holder `target` resolved to last time, if presence has not changed since (`version`). */
  cachedRoute(target: string, version: number): NameEntry | null {
    return this.routeVersion === version && this.routeTarget === target ? this.routeHolder : null;
  }

  /** The local connection of the holder cachedRoute() returned, as looked up then. */
  get cachedRecipient(): Connection | undefined {
    return this.routeRecipient;
  }

  cacheRoute(target: string, version: number, holder: NameEntry, recipient: Connection | undefined): void {
    this.routeTarget = target;
    this.routeVersion = version;
    this.routeHolder = holder;
    this.routeRecipient = recipient;
  }

  /**
   * Runs `handler(this, item)` after the handlers before it: a frame that
   * arrives while an earlier one still waits (a password check) is handled
   * after it, in order; past MAX_BACKLOG waiting, `onOverflow(this, item)`
   * instead. Handler and item are passed apart, not as a closure, because
   * every frame comes through here and most find nothing waiting: they run
   * at once and allocate nothing.
   */
  serially<T>(handler: (connection: Connection, item: T) => void | Promise<void>, item: T, onOverflow: (connection: Connection, item: T) => void): void {
    if (this.pending === null) {
      const result = handler(this, item);
      if (result instanceof Promise) this.track(result);
      return;
    }
    if (this.backlog >= MAX_BACKLOG) {
      onOverflow(this, item);
      return;
    }
    this.backlog++;
    this.track(
      this.pending.then(() => {
        this.backlog--;
        if (this.socket.readyState !== WebSocket.OPEN) return;
        return handler(this, item);
      }),
    );
  }

  clearTimers(): void {
    if (this.signInTimer) clearTimeout(this.signInTimer);
    if (this.iceTimer) clearTimeout(this.iceTimer);
    this.signInTimer = null;
    this.iceTimer = null;
  }

  private track(promise: Promise<void>): void {
    const current: Promise<void> = promise
      .catch((error: unknown) => this.log.error({ err: error }, 'Failed to handle a message'))
      .then(() => {
        if (this.pending === current) this.pending = null;
      });
    this.pending = current;
  }

  private dropSlowReader(): void {
    this.log.warn({ queued: this.socket.bufferedAmount }, 'Closing a client that does not read what it is sent');
    this.onSlowReader(this);
    this.close(CloseCode.SlowReader, 'Not reading fast enough', SLOW_READER_GRACE_MS);
  }
}
