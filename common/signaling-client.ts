/**
 * The main process's connection to the signaling server: signs in, keeps the
 * user list, passes call signals both ways, and keeps reconnecting (with
 * jittered backoff) until stopped, so the UI only ever has to show `state`.
 */
import { EventEmitter } from 'node:events';
import { WebSocket, type RawData } from 'ws';
import { createLogger, type Logger } from './logger.ts';
import {
  CloseCode,
  HARD_MAX_FRAME_BYTES,
  SUBPROTOCOL,
  UserName,
  isFatalClose,
  parseServerMessage,
  stringifyClientMessage,
  type ErrorMessage,
  type RoutedMessage,
  type ServerMessage,
} from './signaling-protocol.ts';
import { backoffDelayMs, type BackoffOptions } from './backoff.ts';

export interface SignalingState {
  status: 'connecting' | 'connected' | 'reconnecting' | 'failed';
  /** Reconnect attempt number, 0 while connected. */
  attempt: number;
  /** Milliseconds until the next attempt while one is scheduled. */
  retryInMs: number | null;
  /** Why the last connection failed or closed, in words a user understands. */
  lastError: string | null;
  /** The name the server knows us by, once it confirmed it. */
  signedInAs: string | null;
}

/** A call signal from another user; `name` is the sender as stamped by the server. */
export type InboundRoutedMessage = RoutedMessage & { name: string };

export interface RenamedEvent {
  requested: string;
  assigned: string;
}

export interface SignalingClientEvents {
  state: [SignalingState];
  userlist: [string[]];
  signal: [InboundRoutedMessage];
  renamed: [RenamedEvent];
  'server-error': [ErrorMessage];
}

export interface SignalingClientOptions {
  url: string;
  name: string | null;
  heartbeatIntervalMs?: number;
  /** How long to wait for a pong before calling the server gone. */
  heartbeatTimeoutMs?: number;
  /** How long the WebSocket opening handshake may take. */
  connectTimeoutMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  /** Awaited before every (re)connect attempt, e.g. to start an embedded server when none answers. */
  beforeConnect?: () => Promise<void>;
  log?: Logger;
}

const DEFAULT_HEARTBEAT_INTERVAL_MS = 10_000;
const DEFAULT_HEARTBEAT_TIMEOUT_MS = 5_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 10_000 };
/** stop() waits this long for a polite close before cutting the socket. */
const STOP_GRACE_MS = 1_000;
const ABNORMAL_CLOSURE = 1006;

/** One connection attempt and what we learned about it. */
interface Attempt {
  socket: WebSocket;
  /** A description of the failure seen before the close, which is more telling than the close code. */
  failure: string | null;
  /** The `id` the server gave this connection; username is sent once it arrives. */
  serverId: number | string | null;
  /** The name we asked for and are waiting for the server to confirm. */
  awaitingSignInAs: string | null;
  heartbeat: NodeJS.Timeout | null;
  pongDeadline: NodeJS.Timeout | null;
}

export function describeSocketError(url: string, error: Error & { code?: string }): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return `Signaling server at ${url} is not reachable (connection refused)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Signaling server at ${url} is not reachable (host not found)`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `Signaling server at ${url} is not reachable (no route to the host)`;
    case 'ETIMEDOUT':
      return `Signaling server at ${url} is not reachable (timed out)`;
    case 'ECONNRESET':
      return `The connection to the signaling server at ${url} was reset`;
  }
  if (/handshake has timed out/i.test(error.message)) return `Signaling server at ${url} did not answer in time`;
  const httpStatus = /Unexpected server response: (\d+)/.exec(error.message);
  if (httpStatus) return `${url} answered, but is not a signaling server (HTTP ${httpStatus[1]})`;
  if (/subprotocol/i.test(error.message)) return `${url} answered, but does not speak this app's signaling protocol`;
  return `Signaling server at ${url} is not reachable (${error.message})`;
}

export function describeClose(url: string, code: number, reason: string): string {
  switch (code) {
    case CloseCode.Flooding:
      return 'The signaling server disconnected this app for sending too many messages';
    case CloseCode.BadSubprotocol:
      return `Signaling server at ${url} does not speak this app's signaling protocol`;
    case CloseCode.MessageTooBig:
      return 'The signaling server refused a message that was too large';
    case CloseCode.GoingAway:
      return `Signaling server at ${url} is shutting down`;
    case CloseCode.Replaced:
      return 'Signed in from another connection';
    case CloseCode.HeartbeatTimeout:
      return `Signaling server at ${url} stopped hearing from this app`;
    case ABNORMAL_CLOSURE:
      return `Lost the connection to the signaling server at ${url}`;
  }
  return `Signaling server at ${url} closed the connection (code ${code}${reason ? `: ${reason}` : ''})`;
}

function validName(name: string): string {
  const result = UserName.safeParse(name);
  if (!result.success) throw new Error(`Invalid name: ${result.error.issues.map((i) => i.message).join('; ')}`);
  return result.data;
}

function frameText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

export class SignalingClient extends EventEmitter<SignalingClientEvents> {
  private readonly url: string;
  private readonly heartbeatIntervalMs: number;
  private readonly heartbeatTimeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly backoff: BackoffOptions;
  private readonly beforeConnect: (() => Promise<void>) | undefined;
  private readonly log: Logger;

  private requestedName: string | null;
  private current: Attempt | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private consecutiveFailures = 0;
  private started = false;
  private stopped = false;
  private snapshot: SignalingState = {
    status: 'connecting',
    attempt: 0,
    retryInMs: null,
    lastError: null,
    signedInAs: null,
  };

  constructor(options: SignalingClientOptions) {
    super();
    this.url = options.url;
    this.requestedName = options.name === null ? null : validName(options.name);
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
    this.heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS;
    this.connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.beforeConnect = options.beforeConnect;
    this.log = options.log ?? createLogger('signaling-client');
  }

  get state(): SignalingState {
    return { ...this.snapshot };
  }

  start(): void {
    if (this.stopped) throw new Error('This SignalingClient was stopped; create a new one');
    if (this.started) return;
    this.started = true;
    void this.connect();
  }

  /** Closes the connection and cancels every timer; no events or reconnects follow. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const attempt = this.current;
    this.current = null;
    if (!attempt) return;
    this.stopHeartbeat(attempt);
    const { socket } = attempt;
    if (socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      const grace = setTimeout(() => socket.terminate(), STOP_GRACE_MS);
      socket.once('close', () => {
        clearTimeout(grace);
        resolve();
      });
      if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
      else socket.close(CloseCode.Normal, 'Client stopped');
    });
  }

  /** Remembers the name; signs in with it now if connected, else as soon as we are. */
  signIn(name: string): void {
    this.requestedName = validName(name);
    const attempt = this.current;
    if (attempt && attempt.socket.readyState === WebSocket.OPEN && attempt.serverId !== null) {
      this.sendUsername(attempt);
    }
  }

  send(message: RoutedMessage): void {
    const attempt = this.current;
    if (!attempt || attempt.socket.readyState !== WebSocket.OPEN) {
      throw new Error('Not connected to the signaling server');
    }
    if (this.snapshot.signedInAs === null) {
      throw new Error('Not connected to the signaling server: not signed in yet');
    }
    attempt.socket.send(stringifyClientMessage(message));
  }

  private updateState(change: Partial<SignalingState>): void {
    if (this.stopped) return;
    const next = { ...this.snapshot, ...change };
    const changed = (Object.keys(next) as (keyof SignalingState)[]).some((key) => next[key] !== this.snapshot[key]);
    if (!changed) return;
    this.snapshot = next;
    this.emitSafely('state', { ...next });
  }

  /** A listener's bug must not take the connection down with it. */
  private emitSafely<K extends keyof SignalingClientEvents>(event: K, ...args: SignalingClientEvents[K]): void {
    try {
      (this.emit as (event: K, ...args: SignalingClientEvents[K]) => boolean)(event, ...args);
    } catch (error) {
      this.log.error({ err: error, event }, 'A signaling event listener threw');
    }
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    if (this.beforeConnect) {
      try {
        await this.beforeConnect();
      } catch (error) {
        this.log.warn({ err: error }, 'beforeConnect failed');
        this.scheduleReconnect(`Could not prepare the connection to ${this.url}: ${(error as Error).message}`);
        return;
      }
      if (this.stopped) return;
    }

    let socket: WebSocket;
    try {
      socket = new WebSocket(this.url, SUBPROTOCOL, {
        handshakeTimeout: this.connectTimeoutMs,
        maxPayload: HARD_MAX_FRAME_BYTES,
      });
    } catch (error) {
      // A malformed address will not get better by retrying it.
      this.log.error({ err: error, url: this.url }, 'Invalid signaling server address');
      this.updateState({ status: 'failed', retryInMs: null, lastError: `Invalid signaling server address "${this.url}"` });
      return;
    }

    const attempt: Attempt = {
      socket,
      failure: null,
      serverId: null,
      awaitingSignInAs: null,
      heartbeat: null,
      pongDeadline: null,
    };
    this.current = attempt;

    socket.on('open', () => {
      if (this.current !== attempt) return;
      this.consecutiveFailures = 0;
      this.log.info({ url: this.url }, 'Connected to the signaling server');
      this.updateState({ status: 'connected', attempt: 0, retryInMs: null, lastError: null });
      this.startHeartbeat(attempt);
    });
    socket.on('message', (data, isBinary) => {
      if (this.current !== attempt) return;
      this.handleFrame(attempt, data, isBinary);
    });
    socket.on('pong', () => {
      if (attempt.pongDeadline) clearTimeout(attempt.pongDeadline);
      attempt.pongDeadline = null;
    });
    socket.on('error', (error) => {
      attempt.failure ??= describeSocketError(this.url, error);
      this.log.warn({ err: error, url: this.url }, 'Signaling socket error');
    });
    socket.on('close', (code, reason) => {
      this.stopHeartbeat(attempt);
      if (this.current !== attempt) return;
      this.current = null;
      const closeReason = reason.toString();
      this.log.info({ code, reason: closeReason }, 'Signaling connection closed');
      if (isFatalClose(code)) {
        this.updateState({
          status: 'failed',
          attempt: 0,
          retryInMs: null,
          signedInAs: null,
          lastError: describeClose(this.url, code, closeReason),
        });
        return;
      }
      this.scheduleReconnect(attempt.failure ?? describeClose(this.url, code, closeReason));
    });
  }

  private scheduleReconnect(lastError: string): void {
    if (this.stopped) return;
    this.consecutiveFailures += 1;
    const retryInMs = backoffDelayMs(this.consecutiveFailures - 1, this.backoff);
    this.updateState({ status: 'reconnecting', attempt: this.consecutiveFailures, retryInMs, lastError, signedInAs: null });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.updateState({ retryInMs: null });
      void this.connect();
    }, retryInMs);
  }

  private startHeartbeat(attempt: Attempt): void {
    attempt.heartbeat = setInterval(() => {
      if (attempt.pongDeadline) return;
      attempt.pongDeadline = setTimeout(() => {
        attempt.failure = `Signaling server at ${this.url} stopped responding`;
        this.log.warn({ url: this.url }, 'No pong from the signaling server; reconnecting');
        attempt.socket.terminate();
      }, this.heartbeatTimeoutMs);
      try {
        attempt.socket.ping();
      } catch (error) {
        this.log.warn({ err: error }, 'Could not ping the signaling server');
      }
    }, this.heartbeatIntervalMs);
  }

  private stopHeartbeat(attempt: Attempt): void {
    if (attempt.heartbeat) clearInterval(attempt.heartbeat);
    if (attempt.pongDeadline) clearTimeout(attempt.pongDeadline);
    attempt.heartbeat = null;
    attempt.pongDeadline = null;
  }

  private sendUsername(attempt: Attempt): void {
    const name = this.requestedName;
    if (name === null) return;
    attempt.awaitingSignInAs = name;
    const id = attempt.serverId ?? undefined;
    attempt.socket.send(stringifyClientMessage({ type: 'username', name, id, date: Date.now() }));
  }

  private handleFrame(attempt: Attempt, data: RawData, isBinary: boolean): void {
    if (isBinary) {
      this.log.warn('Ignored a binary frame from the signaling server');
      return;
    }
    const result = parseServerMessage(frameText(data));
    if (!result.ok) {
      this.log.warn({ code: result.code, error: result.error, type: result.type }, 'Ignored a bad frame from the signaling server');
      return;
    }
    this.handleMessage(attempt, result.message);
  }

  private handleMessage(attempt: Attempt, message: ServerMessage): void {
    switch (message.type) {
      case 'id':
        attempt.serverId = message.id;
        this.sendUsername(attempt);
        return;
      case 'rejectusername': {
        const requested = attempt.awaitingSignInAs ?? this.requestedName ?? message.name;
        attempt.awaitingSignInAs = null;
        this.updateState({ signedInAs: message.name });
        this.emitSafely('renamed', { requested, assigned: message.name });
        return;
      }
      case 'userlist':
        // Our own name in the list is the server's confirmation of our `username`.
        if (attempt.awaitingSignInAs !== null && message.users.includes(attempt.awaitingSignInAs)) {
          this.updateState({ signedInAs: attempt.awaitingSignInAs });
          attempt.awaitingSignInAs = null;
        }
        this.emitSafely('userlist', [...message.users]);
        return;
      case 'error':
        this.log.warn({ code: message.code, inReplyTo: message.inReplyTo, target: message.target }, message.message);
        this.emitSafely('server-error', message);
        return;
      case 'message':
        // Tutorial chat lines: the softphone has no chat.
        return;
      case 'welcome':
      case 'ice-servers':
      case 'user-joined':
      case 'user-left':
        return;
      default:
        if (!message.name) {
          this.log.warn({ type: message.type }, 'Dropped a call signal without a sender');
          return;
        }
        this.emitSafely('signal', message as InboundRoutedMessage);
    }
  }
}
