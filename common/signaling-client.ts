/**
 * The main process's connection to the signaling server: signs in, keeps the
 * user list, passes call signals both ways, and keeps reconnecting (with
 * jittered backoff) until stopped, so the UI only ever has to show `state`.
 *
 * Signing in follows the handshake in signaling-protocol.ts: the client
 * announces `presence-delta`, answers the server's challenge with the local
 * key (the embedded server) or sends a password (accounts), presents a saved
 * session token, and takes `welcome` as the confirmation. A server that only
 * speaks the tutorial's protocol confirms by listing our name in `userlist`.
 *
 * What happens after a failure depends on what failed:
 *   - the network or the server went away: reconnect with growing backoff;
 *   - the server restarts (close 1012): reconnect at once;
 *   - the server refused the sign-in (password, name), the session was taken
 *     over elsewhere, or the address is unusable: `failed`, no retry until the
 *     user changes something (signIn() starts again);
 *   - a configuration problem that may clear by itself (a certificate, another
 *     program on the embedded server's port): `failed`, and a slow retry.
 */
import { EventEmitter } from 'node:events';
import { WebSocket, type ClientOptions, type RawData } from 'ws';
import { createLogger, type Logger } from './logger.ts';
import { frameText } from './websocket-frames.ts';
import { isValidProof, keyProof, randomChallenge } from './local-key.ts';
import {
  CloseCode,
  HARD_MAX_FRAME_BYTES,
  SUBPROTOCOL,
  UserName,
  isFatalClose,
  isImmediateRetryClose,
  nameKey,
  parseServerMessage,
  stringifyClientMessage,
  type ClientFeature,
  type ErrorMessage,
  type IceServer,
  type RoutedMessage,
  type ServerMessage,
  type SignInAuth,
} from './signaling-protocol.ts';
import { backoffDelayMs, type BackoffOptions } from './backoff.ts';
import { connectionProblemWords, type ConnectionProblem, type ConnectionProblemCode } from './connection-problem.ts';
import { english } from './i18n/index.ts';

export interface SignalingState {
  status: 'connecting' | 'connected' | 'reconnecting' | 'failed';
  /** Reconnect attempt number, 0 while connected. */
  attempt: number;
  /** Milliseconds until the next attempt while one is scheduled. */
  retryInMs: number | null;
  /** Why the last connection failed or closed, in English words (for logs; the UI words come from `problem`). */
  lastError: string | null;
  /** Why the last connection failed or closed, as a code with its details. */
  problem: ConnectionProblem | null;
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
  /** The whole list of users online, after every change (full list or delta). */
  userlist: [string[]];
  signal: [InboundRoutedMessage];
  renamed: [RenamedEvent];
  'server-error': [ErrorMessage];
  /** STUN/TURN servers the server handed out (in `welcome` or `ice-servers`). */
  'ice-servers': [IceServer[]];
}

/**
 * How to prove who we are:
 *   password  an account on a server in accounts mode; asked for at every sign-in
 *             (null: sign in without one). Never sent over ws:// to another machine.
 *   localKey  the embedded server's per-user key: the client proves it knows the
 *             key and insists the server proves it too (else it is an impostor).
 */
export type SignalingAuth = { password: () => Promise<string | null> } | { localKey: Buffer; service?: boolean };

/** Where the session token of the last `welcome` is kept between connections. */
export interface SessionTokenStore {
  load(): Promise<string | null>;
  save(token: string): Promise<void>;
}

export interface SignalingClientOptions {
  url: string;
  name: string | null;
  auth?: SignalingAuth;
  session?: SessionTokenStore;
  /** Extra trust for wss:// (tests trust their self-signed certificate this way). */
  tls?: { ca?: string | Buffer };
  heartbeatIntervalMs?: number;
  /** How long to wait for a pong before calling the server gone. */
  heartbeatTimeoutMs?: number;
  /** How long the WebSocket opening handshake may take. */
  connectTimeoutMs?: number;
  backoff?: BackoffOptions;
  /** How long to wait after a configuration error (certificate, impostor server) before trying again. */
  slowRetryMs?: number;
  /** Awaited before every (re)connect attempt, e.g. to start an embedded server when none answers. */
  beforeConnect?: () => Promise<void>;
  log?: Logger;
}

/** What this client understands beyond the tutorial protocol. */
export const CLIENT_FEATURES: readonly ClientFeature[] = ['presence-delta'];

const DEFAULT_HEARTBEAT_INTERVAL_MS = 10_000;
const DEFAULT_HEARTBEAT_TIMEOUT_MS = 5_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 10_000 };
const DEFAULT_SLOW_RETRY_MS = 60_000;
/** After close 1012 the next attempt starts within this (so a whole server's clients do not arrive at once). */
const IMMEDIATE_RETRY_JITTER_MS = 250;
/** A server that keeps "restarting" gets ordinary backoff after this many immediate retries in a row. */
const MAX_IMMEDIATE_RETRIES = 3;
/** Hang-ups sent while offline are kept (at most this many, this long) and sent after the next sign-in. */
export const HANG_UP_QUEUE_LIMIT = 32;
export const HANG_UP_QUEUE_TTL_MS = 5 * 60_000;
/** stop() waits this long for a polite close before cutting the socket. */
const STOP_GRACE_MS = 1_000;
const ABNORMAL_CLOSURE = 1006;

type RetryPolicy = 'never' | 'slow';

/** One connection attempt and what we learned about it. */
interface Attempt {
  socket: WebSocket;
  /** The failure seen before the close, which is more telling than the close code. */
  failure: ConnectionProblem | null;
  /** The failure is a configuration problem (certificate, TLS): retry slowly, as `failed`. */
  configurationError: boolean;
  /** Set when we decided this attempt cannot succeed; its close then ends in `failed`. */
  fatal: { problem: ConnectionProblem; retry: RetryPolicy } | null;
  /** Close this attempt and connect again at once (e.g. to sign in under a new name). */
  restartOnClose: boolean;
  /** The `id` the server gave this connection; username is sent once it arrives. */
  serverId: number | string | null;
  /** The server's challenge from `id` (local-key mode). */
  challenge: string | null;
  /** Our own challenge, sent on `username`, that the server's proof must answer. */
  nonce: string | null;
  /** Counts `username` messages being prepared, so a stale one is never sent. */
  usernameSeq: number;
  /** The name we asked for and are waiting for the server to confirm. */
  awaitingSignInAs: string | null;
  /** The server confirmed with `welcome` (it speaks the extended protocol). */
  welcomed: boolean;
  /** A `rejectusername` already told the user about the new name. */
  renameReported: boolean;
  /** Who is online on this connection, once the first full list came. */
  users: string[] | null;
  heartbeat: NodeJS.Timeout | null;
  pongDeadline: NodeJS.Timeout | null;
}

const UNTRUSTED_CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REJECTED',
]);

/** A TLS problem the user (or the server's admin) has to fix; retrying soon will not help. */
export function isConfigurationError(error: Error & { code?: string }): boolean {
  const code = error.code ?? '';
  return (
    UNTRUSTED_CERTIFICATE_CODES.has(code) ||
    code === 'ERR_TLS_CERT_ALTNAME_INVALID' ||
    code === 'CERT_HAS_EXPIRED' ||
    code === 'CERT_NOT_YET_VALID' ||
    code === 'ERR_SSL_WRONG_VERSION_NUMBER' ||
    (code === 'EPROTO' && /wrong version number|packet length too long/i.test(error.message))
  );
}

/** A failed WebSocket connection as a problem; `server` says what was called. */
export function socketProblem(url: string, error: Error & { code?: string }, server: 'signaling' | 'sip' = 'signaling'): ConnectionProblem {
  const problem = (code: ConnectionProblemCode, detail?: string): ConnectionProblem => ({
    code,
    url,
    ...(server === 'sip' ? { server } : {}),
    ...(detail !== undefined ? { detail } : {}),
  });
  const code = error.code ?? '';
  if (UNTRUSTED_CERTIFICATE_CODES.has(code)) return problem('certificate-untrusted', code);
  switch (code) {
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return problem('certificate-wrong-host');
    case 'CERT_HAS_EXPIRED':
      return problem('certificate-expired');
    case 'CERT_NOT_YET_VALID':
      return problem('certificate-not-yet-valid');
    case 'ECONNREFUSED':
      return problem('connection-refused');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return problem('host-not-found');
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return problem('no-route');
    case 'ETIMEDOUT':
      return problem('timed-out');
    case 'ECONNRESET':
      return problem('connection-reset');
  }
  if (isConfigurationError(error)) return problem('not-tls', code);
  if (/handshake has timed out/i.test(error.message)) return problem('no-answer-in-time');
  const httpStatus = /Unexpected server response: (\d+)/.exec(error.message);
  if (httpStatus) return problem('not-a-server', httpStatus[1]);
  if (/subprotocol/i.test(error.message)) return problem('wrong-protocol');
  return problem('unreachable', error.message);
}

/** A failed WebSocket connection in English words (for logs and errors). */
export function describeSocketError(url: string, error: Error & { code?: string }, server: 'signaling' | 'sip' = 'signaling'): string {
  return connectionProblemWords(socketProblem(url, error, server), english);
}

export function closeProblem(url: string, code: number, reason: string): ConnectionProblem {
  const problem = (which: ConnectionProblemCode, detail?: string): ConnectionProblem => ({ code: which, url, ...(detail ? { detail } : {}) });
  switch (code) {
    case CloseCode.Flooding:
      return problem('flooding');
    case CloseCode.BadSubprotocol:
      return problem('bad-subprotocol');
    case CloseCode.MessageTooBig:
      return problem('message-too-big');
    case CloseCode.GoingAway:
      return problem('going-away');
    case CloseCode.ServiceRestart:
      return problem('restarting');
    case CloseCode.Replaced:
      return problem('replaced');
    case CloseCode.SignInRefused:
      return problem('sign-in-refused', reason);
    case CloseCode.SignInTimeout:
      return problem('sign-in-timeout');
    case CloseCode.SlowReader:
      return problem('slow-reader');
    case CloseCode.HeartbeatTimeout:
      return problem('heartbeat-timeout');
    case ABNORMAL_CLOSURE:
      return problem('connection-lost');
  }
  return problem('closed', `${code}${reason ? `: ${reason}` : ''}`);
}

/** A sign-in refusal (`error` in reply to `username`) as a problem, or null when it is not one. */
export function signInProblem(url: string, error: ErrorMessage, name: string | null, keyMode: boolean): ConnectionProblem | null {
  const detail = error.message.trim();
  switch (error.code) {
    case 'auth-required':
      return { code: keyMode ? 'not-own-server' : 'password-needed', url };
    case 'auth-failed':
      return { code: keyMode ? 'key-refused' : 'wrong-password', url };
    case 'name-owned':
      return { code: 'name-owned', url, name: name ?? '' };
    case 'invalid-name':
      return { code: 'invalid-name', url, name: name ?? '', ...(detail ? { detail } : {}) };
    default:
      return null;
  }
}

/** The state's two forms of a problem: the code, and English words for logs. */
function problemState(problem: ConnectionProblem | null): Pick<SignalingState, 'lastError' | 'problem'> {
  return { problem, lastError: problem ? connectionProblemWords(problem, english) : null };
}

/** Hosts a password may go to over plain ws:// — the traffic never leaves this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function validName(name: string): string {
  const result = UserName.safeParse(name);
  if (!result.success) throw new Error(`Invalid name: ${result.error.issues.map((i) => i.message).join('; ')}`);
  return result.data;
}


interface QueuedHangUp {
  text: string;
  queuedAt: number;
}

export class SignalingClient extends EventEmitter<SignalingClientEvents> {
  private readonly url: string;
  private readonly auth: SignalingAuth | undefined;
  private readonly sessionStore: SessionTokenStore | undefined;
  private readonly tls: { ca?: string | Buffer } | undefined;
  private readonly heartbeatIntervalMs: number;
  private readonly heartbeatTimeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly backoff: BackoffOptions;
  private readonly slowRetryMs: number;
  private readonly beforeConnect: (() => Promise<void>) | undefined;
  private readonly log: Logger;

  private requestedName: string | null;
  private current: Attempt | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private consecutiveFailures = 0;
  private immediateRetries = 0;
  private started = false;
  private stopped = false;
  private latestIceServers: IceServer[] = [];
  private hangUpQueue: QueuedHangUp[] = [];
  private snapshot: SignalingState = {
    status: 'connecting',
    attempt: 0,
    retryInMs: null,
    lastError: null,
    problem: null,
    signedInAs: null,
  };

  constructor(options: SignalingClientOptions) {
    super();
    this.url = options.url;
    this.requestedName = options.name === null ? null : validName(options.name);
    this.auth = options.auth;
    this.sessionStore = options.session;
    this.tls = options.tls;
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
    this.heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS;
    this.connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.slowRetryMs = options.slowRetryMs ?? DEFAULT_SLOW_RETRY_MS;
    this.beforeConnect = options.beforeConnect;
    this.log = options.log ?? createLogger('signaling-client');
  }

  get state(): SignalingState {
    return { ...this.snapshot };
  }

  /** The STUN/TURN servers the server last handed out (empty until it does). */
  get iceServers(): IceServer[] {
    return structuredClone(this.latestIceServers);
  }

  /** Who is online, as last reported on this connection (empty while not connected). */
  get users(): string[] {
    return [...(this.current?.users ?? [])];
  }

  private get keyMode(): boolean {
    return this.auth !== undefined && 'localKey' in this.auth;
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
    this.hangUpQueue = [];
    this.clearRetryTimer();
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

  /**
   * Remembers the name and signs in with it: at once if connected, else as soon
   * as we are. After a failure (wrong password, name owned, certificate) this
   * is how the user says "try again": it connects again right away.
   */
  signIn(name: string): void {
    this.requestedName = validName(name);
    if (this.stopped || !this.started) return;
    const attempt = this.current;
    if (attempt?.fatal) {
      attempt.fatal = null;
      attempt.restartOnClose = true;
      return;
    }
    if (!attempt) {
      // Failed, or waiting for a retry: start over now.
      this.clearRetryTimer();
      this.consecutiveFailures = 0;
      this.immediateRetries = 0;
      this.updateState({ status: 'connecting', attempt: 0, retryInMs: null });
      void this.connect();
      return;
    }
    if (attempt.socket.readyState !== WebSocket.OPEN || attempt.serverId === null) return;
    if (attempt.welcomed) {
      // A server that speaks the extended protocol signs a connection in once; sign in again on a new one.
      attempt.restartOnClose = true;
      attempt.socket.close(CloseCode.Normal, 'Signing in under another name');
      return;
    }
    void this.sendUsername(attempt);
  }

  /**
   * Sends a call signal. A `hang-up` while not signed in is kept and sent right
   * after the next sign-in (a call must never be left ringing on the other
   * side); anything else throws "Not connected".
   */
  send(message: RoutedMessage): void {
    if (this.stopped) throw new Error('Not connected to the signaling server: the connection was stopped');
    // Validates, so a bad message throws here even when it would be queued.
    const text = stringifyClientMessage(message);
    const attempt = this.current;
    const open = attempt !== null && attempt.socket.readyState === WebSocket.OPEN;
    if (open && this.snapshot.signedInAs !== null) {
      attempt.socket.send(text);
      return;
    }
    if (message.type === 'hang-up') {
      this.queueHangUp(text);
      return;
    }
    if (!open) throw new Error('Not connected to the signaling server');
    throw new Error('Not connected to the signaling server: not signed in yet');
  }

  private queueHangUp(text: string): void {
    this.dropExpiredHangUps();
    this.hangUpQueue.push({ text, queuedAt: Date.now() });
    if (this.hangUpQueue.length > HANG_UP_QUEUE_LIMIT) {
      this.hangUpQueue.splice(0, this.hangUpQueue.length - HANG_UP_QUEUE_LIMIT);
      this.log.warn('Too many hang-ups waiting for the signaling server; dropped the oldest');
    }
    this.log.info({ queued: this.hangUpQueue.length }, 'Hang-up queued until signed in again');
  }

  private dropExpiredHangUps(): void {
    const cutoff = Date.now() - HANG_UP_QUEUE_TTL_MS;
    this.hangUpQueue = this.hangUpQueue.filter((entry) => entry.queuedAt >= cutoff);
  }

  private flushHangUps(attempt: Attempt): void {
    this.dropExpiredHangUps();
    const queued = this.hangUpQueue;
    this.hangUpQueue = [];
    for (const entry of queued) attempt.socket.send(entry.text);
    if (queued.length) this.log.info({ sent: queued.length }, 'Sent hang-ups queued while offline');
  }

  private clearRetryTimer(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
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

  /** Why this client must not even try, or null. */
  private refusalBeforeConnecting(): ConnectionProblem | null {
    if (!this.auth || !('password' in this.auth)) return null;
    let parsed: URL;
    try {
      parsed = new URL(this.url);
    } catch {
      return null; // The WebSocket constructor reports the bad address.
    }
    if (parsed.protocol === 'ws:' && !isLoopbackHost(parsed.hostname)) {
      return { code: 'password-unencrypted', url: this.url };
    }
    return null;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const refusal = this.refusalBeforeConnecting();
    if (refusal) {
      this.enterFailed(refusal, 'never');
      return;
    }
    if (this.beforeConnect) {
      try {
        await this.beforeConnect();
      } catch (error) {
        this.log.warn({ err: error }, 'beforeConnect failed');
        this.scheduleReconnect({ code: 'prepare-failed', url: this.url, detail: (error as Error).message });
        return;
      }
      if (this.stopped) return;
    }

    let socket: WebSocket;
    try {
      const options: ClientOptions = { handshakeTimeout: this.connectTimeoutMs, maxPayload: HARD_MAX_FRAME_BYTES };
      if (this.tls?.ca !== undefined) options.ca = this.tls.ca;
      socket = new WebSocket(this.url, SUBPROTOCOL, options);
    } catch (error) {
      // A malformed address will not get better by retrying it.
      this.log.error({ err: error, url: this.url }, 'Invalid signaling server address');
      this.enterFailed({ code: 'invalid-address', url: this.url }, 'never');
      return;
    }

    const attempt: Attempt = {
      socket,
      failure: null,
      configurationError: false,
      fatal: null,
      restartOnClose: false,
      serverId: null,
      challenge: null,
      nonce: null,
      usernameSeq: 0,
      awaitingSignInAs: null,
      welcomed: false,
      renameReported: false,
      users: null,
      heartbeat: null,
      pongDeadline: null,
    };
    this.current = attempt;

    socket.on('open', () => {
      if (this.current !== attempt) return;
      // Without a name there is no sign-in to wait for: being connected is success.
      if (this.requestedName === null) this.consecutiveFailures = 0;
      this.log.info({ url: this.url }, 'Connected to the signaling server');
      this.updateState({ status: 'connected', attempt: 0, retryInMs: null, ...problemState(null) });
      this.startHeartbeat(attempt);
    });
    socket.on('message', (data, isBinary) => {
      if (this.current !== attempt || attempt.fatal || attempt.restartOnClose) return;
      this.handleFrame(attempt, data, isBinary);
    });
    socket.on('pong', () => {
      if (attempt.pongDeadline) clearTimeout(attempt.pongDeadline);
      attempt.pongDeadline = null;
    });
    socket.on('error', (error) => {
      if (attempt.failure === null) {
        attempt.failure = socketProblem(this.url, error);
        attempt.configurationError = isConfigurationError(error);
      }
      this.log.warn({ err: error, url: this.url }, 'Signaling socket error');
    });
    socket.on('close', (code, reason) => this.handleClose(attempt, code, reason.toString()));
  }

  private handleClose(attempt: Attempt, code: number, reason: string): void {
    this.stopHeartbeat(attempt);
    if (this.current !== attempt) return;
    this.current = null;
    this.log.info({ code, reason }, 'Signaling connection closed');
    if (attempt.restartOnClose) {
      this.updateState({ status: 'connecting', attempt: 0, retryInMs: null, signedInAs: null });
      void this.connect();
      return;
    }
    if (attempt.fatal) {
      this.enterFailed(attempt.fatal.problem, attempt.fatal.retry);
      return;
    }
    if (isFatalClose(code)) {
      this.enterFailed(closeProblem(this.url, code, reason), 'never');
      return;
    }
    if (attempt.configurationError && attempt.failure) {
      this.enterFailed(attempt.failure, 'slow');
      return;
    }
    const lastError = attempt.failure ?? closeProblem(this.url, code, reason);
    if (isImmediateRetryClose(code) && this.immediateRetries < MAX_IMMEDIATE_RETRIES) {
      this.immediateRetries += 1;
      // Counted like any attempt, so the numbers the user sees keep going up.
      this.consecutiveFailures += 1;
      this.retryAfter(Math.round(Math.random() * IMMEDIATE_RETRY_JITTER_MS), 'reconnecting', lastError);
      return;
    }
    this.scheduleReconnect(lastError);
  }

  /** This attempt cannot succeed: close it, and end in `failed` with these words. */
  private failAttempt(attempt: Attempt, problem: ConnectionProblem, retry: RetryPolicy): void {
    if (attempt.fatal) return;
    attempt.fatal = { problem, retry };
    this.log.warn({ url: this.url, reason: connectionProblemWords(problem, english) }, 'Sign-in failed');
    const { socket } = attempt;
    if (socket.readyState === WebSocket.OPEN) socket.close(CloseCode.Normal, 'Sign-in failed');
    else socket.terminate();
  }

  private enterFailed(lastError: ConnectionProblem, retry: RetryPolicy): void {
    if (this.stopped) return;
    this.clearRetryTimer();
    this.consecutiveFailures = 0;
    this.immediateRetries = 0;
    if (retry === 'slow') {
      this.retryAfter(this.slowRetryMs, 'failed', lastError);
      return;
    }
    this.updateState({ status: 'failed', attempt: 0, retryInMs: null, ...problemState(lastError), signedInAs: null });
  }

  private scheduleReconnect(lastError: ConnectionProblem): void {
    if (this.stopped) return;
    this.consecutiveFailures += 1;
    this.retryAfter(backoffDelayMs(this.consecutiveFailures - 1, this.backoff), 'reconnecting', lastError);
  }

  private retryAfter(retryInMs: number, status: 'reconnecting' | 'failed', lastError: ConnectionProblem): void {
    if (this.stopped) return;
    this.clearRetryTimer();
    const attemptNumber = status === 'failed' ? 0 : Math.max(1, this.consecutiveFailures);
    this.updateState({ status, attempt: attemptNumber, retryInMs, ...problemState(lastError), signedInAs: null });
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
        attempt.failure = { code: 'stopped-responding', url: this.url };
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

  private async signInAuth(attempt: Attempt): Promise<SignInAuth | undefined> {
    const auth = this.auth;
    if (!auth) return undefined;
    if ('localKey' in auth) {
      // A missing challenge was refused when `id` arrived.
      const nonce = randomChallenge();
      attempt.nonce = nonce;
      const proof = keyProof(auth.localKey, 'client', attempt.challenge ?? '', nonce);
      return { kind: 'key', nonce, proof, ...(auth.service ? { service: true } : {}) };
    }
    let password: string | null = null;
    try {
      password = await auth.password();
    } catch (error) {
      this.log.warn({ err: error }, 'Could not read the saved password');
    }
    return password ? { kind: 'password', password } : undefined;
  }

  private async savedSession(): Promise<string | undefined> {
    if (!this.sessionStore) return undefined;
    try {
      const token = await this.sessionStore.load();
      return token && token.length <= 2048 ? token : undefined;
    } catch (error) {
      this.log.warn({ err: error }, 'Could not read the saved session');
      return undefined;
    }
  }

  private async sendUsername(attempt: Attempt): Promise<void> {
    const name = this.requestedName;
    if (name === null) return;
    const seq = ++attempt.usernameSeq;
    const [auth, session] = await Promise.all([this.signInAuth(attempt), this.savedSession()]);
    const stale = this.current !== attempt || attempt.fatal || attempt.restartOnClose || seq !== attempt.usernameSeq;
    if (stale || attempt.socket.readyState !== WebSocket.OPEN || this.requestedName !== name) return;
    let text: string;
    try {
      text = stringifyClientMessage({
        type: 'username',
        name,
        id: attempt.serverId ?? undefined,
        date: Date.now(),
        features: [...CLIENT_FEATURES],
        auth,
        session,
      });
    } catch {
      // Never log the message itself: it may hold the password.
      this.failAttempt(attempt, { code: 'password-unusable', url: this.url }, 'never');
      return;
    }
    attempt.awaitingSignInAs = name;
    attempt.socket.send(text);
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

  /** In local-key mode nothing the server says counts until it has proved itself in `welcome`. */
  private trusted(attempt: Attempt): boolean {
    return !this.keyMode || attempt.welcomed;
  }

  private confirmSignIn(attempt: Attempt, name: string): void {
    this.consecutiveFailures = 0;
    this.immediateRetries = 0;
    this.updateState({ status: 'connected', attempt: 0, retryInMs: null, ...problemState(null), signedInAs: name });
    this.flushHangUps(attempt);
  }

  private emitUsers(attempt: Attempt): void {
    if (attempt.users && this.trusted(attempt)) this.emitSafely('userlist', [...attempt.users]);
  }

  private handleMessage(attempt: Attempt, message: ServerMessage): void {
    switch (message.type) {
      case 'id':
        attempt.serverId = message.id;
        attempt.challenge = message.challenge ?? null;
        if (this.keyMode && attempt.challenge === null) {
          // Our own server always challenges; whoever answers here without one is someone else.
          this.failAttempt(attempt, { code: 'impostor', url: this.url }, 'slow');
          return;
        }
        void this.sendUsername(attempt);
        return;
      case 'welcome':
        this.handleWelcome(attempt, message);
        return;
      case 'rejectusername': {
        if (!this.trusted(attempt)) return;
        const requested = attempt.awaitingSignInAs ?? this.requestedName ?? message.name;
        attempt.awaitingSignInAs = null;
        this.confirmSignIn(attempt, message.name);
        attempt.renameReported = true;
        this.emitSafely('renamed', { requested, assigned: message.name });
        return;
      }
      case 'userlist':
        attempt.users = [...message.users];
        // A tutorial server confirms `username` by listing our name; ours says `welcome`.
        if (!this.keyMode && !attempt.welcomed && attempt.awaitingSignInAs !== null && message.users.includes(attempt.awaitingSignInAs)) {
          const name = attempt.awaitingSignInAs;
          attempt.awaitingSignInAs = null;
          this.confirmSignIn(attempt, name);
        }
        this.emitUsers(attempt);
        return;
      case 'user-joined': {
        const users = attempt.users ?? [];
        for (const name of message.names) if (!users.includes(name)) users.push(name);
        attempt.users = users;
        this.emitUsers(attempt);
        return;
      }
      case 'user-left': {
        const leaving = new Set(message.names);
        attempt.users = (attempt.users ?? []).filter((name) => !leaving.has(name));
        this.emitUsers(attempt);
        return;
      }
      case 'ice-servers':
        if (!this.trusted(attempt)) return;
        this.setIceServers(message.iceServers);
        return;
      case 'error':
        this.handleError(attempt, message);
        return;
      case 'message':
        // Tutorial chat lines: the softphone has no chat.
        return;
      default:
        if (!this.trusted(attempt)) return;
        if (!message.name) {
          this.log.warn({ type: message.type }, 'Dropped a call signal without a sender');
          return;
        }
        this.emitSafely('signal', message as InboundRoutedMessage);
    }
  }

  private handleWelcome(attempt: Attempt, message: Extract<ServerMessage, { type: 'welcome' }>): void {
    if (this.auth && 'localKey' in this.auth) {
      const { challenge, nonce } = attempt;
      const proven =
        challenge !== null &&
        nonce !== null &&
        message.proof !== undefined &&
        isValidProof(this.auth.localKey, 'server', challenge, nonce, message.proof);
      if (!proven) {
        this.failAttempt(attempt, { code: 'impostor', url: this.url }, 'slow');
        return;
      }
    }
    const requested = attempt.awaitingSignInAs ?? this.requestedName;
    attempt.awaitingSignInAs = null;
    attempt.welcomed = true;
    if (message.session && this.sessionStore) {
      this.sessionStore.save(message.session).catch((error: unknown) => this.log.warn({ err: error }, 'Could not save the session'));
    }
    if (message.iceServers) this.setIceServers(message.iceServers);
    this.confirmSignIn(attempt, message.name);
    // Our server sends `rejectusername` (for tutorial clients) before `welcome`: report the rename once.
    if (requested !== null && !attempt.renameReported && nameKey(requested) !== nameKey(message.name)) {
      this.emitSafely('renamed', { requested, assigned: message.name });
    }
    // A list that came before the proof was held back until now.
    this.emitUsers(attempt);
  }

  private setIceServers(iceServers: IceServer[]): void {
    this.latestIceServers = structuredClone(iceServers);
    this.emitSafely('ice-servers', structuredClone(iceServers));
  }

  private handleError(attempt: Attempt, message: ErrorMessage): void {
    this.log.warn({ code: message.code, inReplyTo: message.inReplyTo, target: message.target }, message.message);
    if (message.inReplyTo === 'username' || (message.inReplyTo === undefined && attempt.awaitingSignInAs !== null)) {
      const problem = signInProblem(this.url, message, attempt.awaitingSignInAs ?? this.requestedName, this.keyMode);
      if (problem) {
        this.failAttempt(attempt, problem, 'never');
        return;
      }
    }
    if (!this.trusted(attempt)) return;
    this.emitSafely('server-error', message);
  }
}
