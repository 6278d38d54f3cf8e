/**
 * The signaling server: a WebSocket relay that knows who is online and passes
 * call signals between them. Wire-compatible with the MDN video-call tutorial
 * server, so the tutorial's unchanged browser client can use it too.
 *
 * It never trusts a client: it decides the sender's name itself, validates
 * every frame, routes only validated fields, and answers anything it cannot
 * handle with an `error` message or a close code, never by crashing.
 *
 * This file wires the parts together; each part lives in its own module:
 * handshake checks (handshake-guard), sign-in (authenticator, accounts,
 * session-tokens), who is online (presence, directory, cluster/), budgets
 * (rate-limit), back-pressure (connection), ICE servers (turn-credentials),
 * and HTTP (http-endpoints, metrics).
 */
import { randomBytes, randomFillSync } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { createLogger, type Logger } from '../common/logger.ts';
import { frameText } from '../common/websocket-frames.ts';
import { websocketUrl } from '../common/websocket-url.ts';
import {
  CallId,
  CloseCode,
  MAX_MESSAGE_BYTES,
  SUBPROTOCOL,
  UserName,
  checkNewName,
  nameKey,
  normaliseName,
  parseClientMessage,
  stringifyServerMessage,
  type ClientMessage,
  type ErrorCode,
  type RoutedMessage,
  type ServerMessage,
  type UsernameMessage,
} from '../common/signaling-protocol.ts';
import { Authenticator, type AuthOptions, type Identity } from './authenticator.ts';
import { Connection, CLOSE_GRACE_MS } from './connection.ts';
import { LocalDirectory, type Directory, type RemoteSignal } from './directory.ts';
import { HandshakeGuard } from './handshake-guard.ts';
import { createHttpHandler } from './http-endpoints.ts';
import { Metrics } from './metrics.ts';
import { Presence, nameEntry, type Displacement, type Holder, type NameEntry, type PresenceHooks } from './presence.ts';
import { DEFAULT_RATE_LIMIT, type RateLimit } from './rate-limit.ts';
import { routedText } from './routed-text.ts';
import { SessionTokens, type SessionClaims } from './session-tokens.ts';
import { IceServerList, type IceOptions } from './turn-credentials.ts';

export type { RateLimit } from './rate-limit.ts';
export type { AuthOptions } from './authenticator.ts';
export type { IceOptions } from './turn-credentials.ts';

export interface TlsOptions {
  /** PEM certificate chain. */
  cert: string | Buffer;
  /** PEM private key. */
  key: string | Buffer;
}

export interface SignalingServerOptions {
  /** Defaults to 127.0.0.1: the server is reachable from this machine only unless asked otherwise. */
  host?: string;
  /** 0 picks any free port; read the chosen one from `SignalingServer.port`. */
  port?: number;
  /** Serve wss:// (HTTPS) instead of ws://. */
  tls?: TlsOptions;
  /** Who may sign in (default: open). */
  auth?: AuthOptions;
  /** Signs session tokens. Without one, a random secret: names do not survive a restart. */
  sessionSecret?: Buffer;
  /** Web origins whose pages may connect; requests with any other Origin get 403. */
  allowedOrigins?: string[];
  /** Connections one address may hold (0 = no cap, the default). */
  maxConnectionsPerIp?: number;
  /** Take the client address from X-Forwarded-For (only behind your own reverse proxy). */
  trustProxy?: boolean;
  /** How long a client may stay connected without signing in (default 10 s). */
  signInTimeoutMs?: number;
  /** How much may wait unsent for one client before it is dropped as a slow reader (default 1 MiB). */
  maxQueuedBytes?: number;
  /** Message budget per client; null turns it off. */
  rateLimit?: RateLimit | null;
  /** STUN/TURN servers for `welcome.iceServers`. */
  ice?: IceOptions;
  /** redis:// URL: share users with every server process using the same Redis. */
  redis?: string;
  heartbeatIntervalMs?: number;
  /** How long presence changes are gathered before they are sent (default 30 ms). */
  presenceBatchMs?: number;
  log?: Logger;
}

export interface SignalingServer {
  /** e.g. ws://127.0.0.1:8765, or wss://… with TLS */
  url: string;
  port: number;
  /** Names of the signed-in users, in the order they signed in. */
  users(): string[];
  /** Closes every client with ServiceRestart; resolves once the port is free again. */
  close(): Promise<void>;
}

/** A client's frame, parsed and validated, with its text (a routed offer's SDP is passed on from there). */
interface ReceivedFrame {
  message: ClientMessage;
  text: string;
}

const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_HEARTBEAT_INTERVAL_MS = 30_000;
const DEFAULT_SIGN_IN_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_QUEUED_BYTES = 1024 * 1024;
const MAX_NAME_LENGTH = UserName.maxLength ?? 32;
/** How many target names route() keeps the normalised key of. */
const MAX_CACHED_TARGET_KEYS = 10_000;
/** Error texts are for people; a validation error listing thousands of issues is cut. */
const MAX_ERROR_TEXT = 500;
/** Tried in order before jumping past the last suffix handed out for a name. */
const LINEAR_SUFFIXES = 16;

function validateOptions(options: SignalingServerOptions): void {
  const { port, heartbeatIntervalMs, rateLimit, signInTimeoutMs, maxQueuedBytes, maxConnectionsPerIp, sessionSecret } = options;
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new RangeError(`Port must be an integer from 0 to 65535, got ${port}`);
  }
  if (heartbeatIntervalMs !== undefined && !(heartbeatIntervalMs > 0)) {
    throw new RangeError(`heartbeatIntervalMs must be positive, got ${heartbeatIntervalMs}`);
  }
  if (rateLimit && !(rateLimit.messagesPerSecond > 0 && rateLimit.burst >= 1)) {
    throw new RangeError('rateLimit needs messagesPerSecond > 0 and burst >= 1');
  }
  if (signInTimeoutMs !== undefined && !(signInTimeoutMs > 0)) throw new RangeError('signInTimeoutMs must be positive');
  if (maxQueuedBytes !== undefined && !(maxQueuedBytes >= 1024)) throw new RangeError('maxQueuedBytes must be at least 1024');
  if (maxConnectionsPerIp !== undefined && !(Number.isInteger(maxConnectionsPerIp) && maxConnectionsPerIp >= 0)) {
    throw new RangeError('maxConnectionsPerIp must be a whole number (0 = no cap)');
  }
  if (sessionSecret !== undefined && sessionSecret.byteLength < 16) throw new RangeError('sessionSecret needs at least 16 bytes');
  if (options.auth?.mode === 'local-key' && options.auth.key.byteLength < 16) throw new RangeError('The local key is too short');
}


function listen(httpServer: HttpServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      httpServer.off('listening', onListening);
      // Handed back untouched: callers read error.code (EADDRINUSE means "someone already serves here").
      reject(error);
    };
    const onListening = () => {
      httpServer.off('error', onError);
      resolve();
    };
    httpServer.once('error', onError);
    httpServer.once('listening', onListening);
    // A deep accept queue: thousands of clients reconnect at once after a restart.
    httpServer.listen({ port, host, backlog: 4096 });
  });
}

/** Answers a refused WebSocket handshake with a plain HTTP status. */
function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const reason = { 403: 'Forbidden', 429: 'Too Many Requests', 503: 'Service Unavailable' }[status] ?? 'Error';
  const body = `${message}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  socket.on('error', () => {});
  setTimeout(() => socket.destroy(), 1000).unref();
}

/**
 * Shortens `requested` so that `requested + suffix` is still a valid name,
 * without cutting a character in half.
 */
function withSuffix(requested: string, suffix: string): string {
  const characters = Array.from(requested);
  while (characters.join('').length + suffix.length > MAX_NAME_LENGTH) characters.pop();
  return characters.join('') + suffix;
}

/** Why a (normalised) name cannot be taken, or null. */
function nameProblem(name: string): string | null {
  if (name.length > MAX_NAME_LENGTH) return `A name can be at most ${MAX_NAME_LENGTH} characters`;
  return checkNewName(name);
}

const ID_BYTES = 12;
const idPool = Buffer.alloc(ID_BYTES * 256);
let idPoolOffset = idPool.length;

/** 16 random base64url characters; from a pool, since one getrandom call per id is slow when thousands join at once. */
function randomId(): string {
  if (idPoolOffset + ID_BYTES > idPool.length) {
    randomFillSync(idPool);
    idPoolOffset = 0;
  }
  const id = idPool.toString('base64url', idPoolOffset, idPoolOffset + ID_BYTES);
  idPoolOffset += ID_BYTES;
  return id;
}

/**
 * Whether a sign-in may take a name from the connection holding it, and what
 * happens to that connection: the same account or the same session signing
 * in again replaces it; a token for an earlier claim (or an account) moves a
 * later holder to another name.
 */
function displacement(holder: NameEntry, identity: Identity, session: SessionClaims | null): Displacement | null {
  if (identity.kind === 'account') return holder.account ? 'replace' : 'rename';
  if (holder.account) return null;
  if (session) {
    if (holder.session === session.session) return 'replace';
    if (holder.since > session.since) return 'rename';
  }
  return null;
}

export async function startSignalingServer(options: SignalingServerOptions = {}): Promise<SignalingServer> {
  validateOptions(options);
  const host = options.host ?? DEFAULT_HOST;
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
  const signInTimeoutMs = options.signInTimeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS;
  const rateLimit = options.rateLimit === undefined ? DEFAULT_RATE_LIMIT : options.rateLimit;
  const limits = { maxQueuedBytes: options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES, rateLimit };
  const log = options.log ?? createLogger('signaling-server');
  const authOptions: AuthOptions = options.auth ?? { mode: 'open' };
  const authenticator = new Authenticator(authOptions);
  const ice = new IceServerList(options.ice ?? {});
  const metrics = new Metrics();
  const guard = new HandshakeGuard(options);

  let tokens: SessionTokens;
  if (authOptions.mode === 'local-key') {
    tokens = SessionTokens.fromLocalKey(authOptions.key);
  } else if (options.sessionSecret) {
    tokens = new SessionTokens(options.sessionSecret);
  } else {
    tokens = new SessionTokens(randomBytes(32));
    // The command line warns about this; a program embedding the server may mean it (tests, short-lived servers).
    log.info('No session secret given: using a random one, so names are not kept across restarts of this server');
  }

  const connections = new Map<string, Connection>();
  let closing: Promise<void> | null = null;
  let whenAllClosed: (() => void) | null = null;
  const suffixHints = new Map<string, number>();

  const hooks: PresenceHooks = {
    member: (sid) => {
      const connection = connections.get(sid);
      return connection?.open ? connection : undefined;
    },
    displaced: (member, lost, _by, how) => onDisplaced(member as Connection, lost, how),
    removed: (member, entry) => onRemoved(member as Connection, entry),
  };

  let directory: Directory;
  let presence: Presence;
  const nodeId = options.redis ? randomId() : 'local';
  presence = new Presence(nodeId, hooks, options.presenceBatchMs);
  if (options.redis) {
    const { RedisDirectory } = await import('./cluster/redis-directory.ts');
    directory = await RedisDirectory.connect({
      url: options.redis,
      nodeId,
      presence,
      heartbeatIntervalMs,
      log: log.child({ component: 'redis' }),
      handlers: { deliver: deliverFromRemote, chat: chatFromRemote },
    });
  } else {
    directory = new LocalDirectory(presence);
  }

  const handleHttp = createHttpHandler({
    closing: () => closing !== null,
    health: () => ({ users: presence.size, connections: connections.size }),
    metrics: () =>
      metrics.render({
        users: presence.size,
        localUsers: presence.localSize,
        connections: connections.size,
        bytesQueued: queuedBytes(),
      }),
  });
  const httpServer: HttpServer = options.tls
    ? (createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handleHttp) as unknown as HttpServer)
    : createHttpServer(handleHttp);
  try {
    await listen(httpServer, options.port ?? 0, host);
  } catch (error) {
    await directory.close();
    throw error;
  }
  httpServer.on('error', (error) => log.error({ err: error }, 'HTTP server error'));
  httpServer.on('clientError', (_error, socket) => socket.destroy());

  const address = httpServer.address();
  if (address === null || typeof address === 'string') throw new Error('Signaling server has no TCP address');
  const port = address.port;
  const url = websocketUrl(host, port, options.tls !== undefined);

  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    maxPayload: MAX_MESSAGE_BYTES,
    perMessageDeflate: false,
    // Accept the upgrade either way, then close with a code that says why: a
    // handshake refusal would reach the client as an anonymous failure.
    handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
  });
  wss.on('error', (error) => log.error({ err: error }, 'WebSocket server error'));

  httpServer.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (closing) {
      metrics.refusedHandshake(503);
      refuseUpgrade(socket, 503, 'The server is restarting');
      return;
    }
    const verdict = guard.admit(request);
    if (!verdict.ok) {
      metrics.refusedHandshake(verdict.status);
      log.warn({ status: verdict.status, remote: verdict.address, origin: request.headers.origin }, `Refused a connection: ${verdict.message}`);
      refuseUpgrade(socket, verdict.status, verdict.message);
      return;
    }
    // The slot is held until the TCP connection ends, whether or not the handshake completes.
    // `on`, not `once`: a socket closes once, release() is idempotent, and once() would add a wrapper per connection.
    if (verdict.release) socket.on('close', verdict.release);
    wss.handleUpgrade(request, socket, head, (ws) => onConnection(ws, request, verdict.address));
  });

  // ---- sending -------------------------------------------------------------

  function queuedBytes(): number {
    let total = 0;
    for (const connection of connections.values()) total += connection.socket.bufferedAmount;
    return total;
  }

  function send(connection: Connection, message: ServerMessage): void {
    connection.send(stringifyServerMessage(message));
  }

  function reject(connection: Connection, code: ErrorCode, text: string, details: { inReplyTo?: string; target?: unknown; callId?: unknown } = {}): void {
    const message = text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT)}…` : text;
    const target = typeof details.target === 'string' ? details.target : undefined;
    // Echo the call id only when it is one: an invalid one would make our own reply invalid.
    const callId = CallId.safeParse(details.callId).success ? (details.callId as string) : undefined;
    metrics.rejected(code);
    connection.log.warn({ code, inReplyTo: details.inReplyTo, target, callId }, `Rejected: ${message}`);
    send(connection, { type: 'error', code, message, inReplyTo: details.inReplyTo?.slice(0, 64), target, callId });
  }

  function closeConnection(connection: Connection, code: CloseCode, reason: string): void {
    countClose(connection, code);
    connection.close(code, reason);
    signOut(connection);
  }

  /** Counted when the server decides, not when a client that does not read finally lets go. */
  function countClose(connection: Connection, code: number): void {
    if (connection.closeCode !== undefined) return;
    connection.closeCode = code;
    metrics.closed(code);
  }

  /** The user is gone for everyone as soon as the server drops it, not when its socket finally closes. */
  function signOut(connection: Connection): void {
    const entry = connection.entry;
    connection.entry = null;
    if (entry) void directory.release(entry);
  }

  // ---- presence hooks ------------------------------------------------------

  function onDisplaced(connection: Connection, lost: NameEntry, how: Displacement | undefined): void {
    if (connection.entry?.sid !== lost.sid || connection.entry.key !== lost.key) return;
    connection.entry = null;
    if (how === 'replace' || how === undefined) {
      connection.log.info('Signed in again elsewhere; closing this connection');
      closeConnection(connection, CloseCode.Replaced, 'Signed in from another connection');
      return;
    }
    connection.log.info({ name: lost.name }, 'Name taken back by its earlier holder; assigning another');
    connection.serially(moveToOtherName, lost, closeForLostName);
  }

  function closeForLostName(connection: Connection): void {
    closeConnection(connection, CloseCode.SignInRefused, 'Lost its name');
  }

  function onRemoved(connection: Connection, entry: NameEntry): void {
    if (connection.entry?.sid !== entry.sid || connection.entry.key !== entry.key) return;
    // Not our doing: another node declared this one dead. The client reconnects and signs in again.
    connection.entry = null;
    closeConnection(connection, CloseCode.ServiceRestart, 'Signed out by the cluster; reconnect');
  }

  async function moveToOtherName(connection: Connection, lost: NameEntry): Promise<void> {
    const entry = await claimUnique(connection, lost.name, { kind: 'guest' }, { ...lost, since: Date.now() }, 1);
    if (!connection.open) {
      if (entry) void directory.release(entry);
      return;
    }
    if (!entry) {
      closeConnection(connection, CloseCode.SignInRefused, 'No free name');
      return;
    }
    connection.entry = entry;
    connection.setLogUser(entry.name);
    send(connection, { type: 'rejectusername', name: entry.name });
    await sendWelcome(connection);
  }

  // ---- names ---------------------------------------------------------------

  /** Candidate names after `requested` is taken: requested1, requested2, … as the tutorial server does. */
  function* suffixed(requested: string, from: number): Generator<string> {
    const baseKey = nameKey(requested);
    for (let counter = from; counter <= 100_000; counter++) {
      if (counter > LINEAR_SUFFIXES) counter = Math.max(counter, (suffixHints.get(baseKey) ?? 0) + 1);
      if (suffixHints.size > 10_000) suffixHints.clear();
      suffixHints.set(baseKey, Math.max(counter, suffixHints.get(baseKey) ?? 0));
      yield withSuffix(requested, String(counter));
    }
  }

  async function claimUnique(
    connection: Connection,
    requested: string,
    identity: Identity,
    base: Holder,
    from: number,
  ): Promise<NameEntry | null> {
    for (const candidate of suffixed(requested, from)) {
      const key = nameKey(candidate);
      const current = presence.get(key);
      if (current && current.sid !== connection.sid) continue;
      if (authenticator.isOwnedName(candidate, { ...authSubject(connection), account: identity.kind === 'account' ? identity.name : null })) continue;
      const entry = nameEntry(base, key, candidate);
      if (await directory.claim(entry, current ?? null)) return entry;
      if (!connection.open) return null;
    }
    return null;
  }

  async function assignName(connection: Connection, wanted: string, identity: Identity, session: SessionClaims | null): Promise<NameEntry | null> {
    const key = nameKey(wanted);
    const keepsName = connection.entry?.key === key;
    const base: Holder = {
      sid: connection.sid,
      node: nodeId,
      session: connection.session!,
      account: identity.kind === 'account',
      since: session?.since ?? (keepsName ? connection.entry!.since : Date.now()),
    };
    const exact = nameEntry(base, key, wanted);
    for (let attempt = 0; attempt < 8 && connection.open; attempt++) {
      const holder = presence.get(key) ?? null;
      if (holder && holder.sid !== connection.sid) {
        const how = displacement(holder, identity, session);
        if (!how) break;
        if (await directory.claim(exact, holder, how)) return exact;
        continue;
      }
      if (await directory.claim(exact, holder)) return exact;
    }
    if (identity.kind === 'account' || !connection.open) return null;
    return claimUnique(connection, wanted, identity, { ...base, since: Date.now() }, 1);
  }

  function authSubject(connection: Connection) {
    return {
      address: connection.address,
      challenge: connection.challenge,
      account: connection.account,
      keyNonce: connection.keyNonce,
      keyService: connection.exempt,
    };
  }

  // ---- sign-in -------------------------------------------------------------

  async function handleUsername(connection: Connection, message: UsernameMessage): Promise<void> {
    const first = !connection.signedInOnce;
    const refuse = (code: ErrorCode, text: string) => {
      reject(connection, code, text, { inReplyTo: 'username' });
      if (first) closeConnection(connection, CloseCode.SignInRefused, text.slice(0, 100));
    };
    if (!first && !connection.exempt && !connection.takeRename()) {
      reject(connection, 'rate-limited', 'Too many renames; wait a few seconds and try again', { inReplyTo: 'username' });
      return;
    }
    if (message.features !== undefined) connection.wantsDeltas = message.features.includes('presence-delta');
    if (message.features !== undefined || message.auth !== undefined) connection.wantsWelcome = true;

    const name = normaliseName(message.name);
    const problem = nameProblem(name);
    if (problem) return refuse('invalid-name', problem);

    const outcome = await authenticator.authenticate(authSubject(connection), message, name);
    if (!connection.open) return;
    if (!outcome.ok) return refuse(outcome.code, outcome.message);
    const identity = outcome.identity;
    if (identity.kind === 'account') {
      connection.account = identity.name;
      if (identity.service) connection.exempt = true;
    } else if (identity.kind === 'key') {
      connection.keyNonce = identity.nonce;
      if (identity.service) connection.exempt = true;
    }
    if (connection.exempt) connection.flood = null;

    const wanted = identity.kind === 'account' ? identity.name : name;
    const claims = message.session ? await tokens.verify(message.session) : null;
    const session = claims && nameKey(claims.name) === nameKey(wanted) ? claims : null;
    connection.session = session?.session ?? connection.session ?? randomId();

    let entry: NameEntry | null;
    try {
      entry = await assignName(connection, wanted, identity, session);
    } catch (error) {
      // Only the shared directory (Redis) can fail here.
      connection.log.error({ err: error }, 'Could not claim a name');
      closeConnection(connection, CloseCode.InternalError, 'The user directory is unavailable; try again');
      return;
    }
    if (!connection.open) {
      if (entry) void directory.release(entry);
      return;
    }
    if (!entry) return refuse('name-owned', `The name "${wanted}" is in use; try again`);
    const previous = connection.entry;
    connection.entry = entry;
    if (previous && previous.key !== entry.key) void directory.release(previous);
    if (first) {
      connection.signedInOnce = true;
      if (connection.signInTimer) clearTimeout(connection.signInTimer);
      connection.signInTimer = null;
    }
    connection.setLogUser(entry.name);
    log.info({ connection: connection.sid, user: entry.name, requested: message.name, previous: previous?.name ?? null }, first ? 'Signed in' : 'Renamed');
    if (entry.name !== message.name) send(connection, { type: 'rejectusername', name: entry.name });
    await sendWelcome(connection);
  }

  async function sendWelcome(connection: Connection): Promise<void> {
    const entry = connection.entry;
    if (!connection.wantsWelcome || !entry) return;
    const session = tokens.issue({ name: entry.name, session: entry.session, since: entry.since });
    if (!connection.open || connection.entry !== entry) return;
    send(connection, {
      type: 'welcome',
      name: entry.name,
      session,
      iceServers: ice.configured ? ice.for(entry.name) : undefined,
      proof: authenticator.serverProof(authSubject(connection)),
    });
    scheduleIceRefresh(connection);
  }

  function scheduleIceRefresh(connection: Connection): void {
    if (!ice.expires) return;
    if (connection.iceTimer) clearTimeout(connection.iceTimer);
    // Half-way through their life: a call set up just before expiry still has time.
    connection.iceTimer = setTimeout(() => {
      connection.iceTimer = null;
      if (!connection.open || !connection.entry) return;
      send(connection, { type: 'ice-servers', iceServers: ice.for(connection.entry.name) });
      scheduleIceRefresh(connection);
    }, (ice.ttlSeconds * 1000) / 2);
    connection.iceTimer.unref();
  }

  // ---- routing -------------------------------------------------------------

  /** Whether it was handed to the recipient's socket. */
  function deliverLocal(recipient: Connection, fromSid: string, fromKey: string, type: string, text: string): boolean {
    if (!recipient.entry || !recipient.send(text)) return false;
    recipient.notePartner(type, fromSid, fromKey);
    return true;
  }

  function deliverFromRemote(signal: RemoteSignal): void {
    const recipient = connections.get(signal.to);
    if (recipient) deliverLocal(recipient, signal.from.sid, signal.from.key, signal.type, signal.text);
  }

  /** `recipient`: the holder's connection when the caller already looked it up. */
  function deliverTo(holder: NameEntry, sender: Connection, type: string, text: string, recipient = localConnection(holder)): void {
    const { key, name } = sender.entry!;
    // Counted where it was sent from, so a cluster's sum counts each message once.
    if (holder.node === nodeId) {
      if (recipient && deliverLocal(recipient, sender.sid, key, type, text)) metrics.routedMessages++;
    } else {
      directory.deliverRemote(holder.node, { to: holder.sid, from: { sid: sender.sid, key, name }, type, text });
      metrics.routedMessages++;
    }
  }

  function localConnection(holder: NameEntry): Connection | undefined {
    return holder.node === nodeId ? connections.get(holder.sid) : undefined;
  }

  // Every routed message names its target; normalising the same few names
  // (NFKC twice, case folding) on each one is wasted work, so keys are kept.
  const targetKeys = new Map<string, string>();
  function targetKey(target: string): string {
    let key = targetKeys.get(target);
    if (key === undefined) {
      if (targetKeys.size >= MAX_CACHED_TARGET_KEYS) targetKeys.clear();
      key = nameKey(target);
      targetKeys.set(target, key);
    }
    return key;
  }

  /** Sends `message` (parsed from `frame`) on to its target. */
  function route(connection: Connection, message: RoutedMessage, frame: string): void {
    const entry = connection.entry;
    if (!entry) {
      reject(connection, 'not-signed-in', 'Send "username" before anything else', {
        inReplyTo: message.type,
        target: message.target,
        callId: message.callId,
      });
      return;
    }
    if (message.type === 'hang-up' && message.target === null) {
      hangUpPartners(connection, message);
      return;
    }
    const target = message.target!;
    const version = presence.version;
    let holder = connection.cachedRoute(target, version);
    let recipient: Connection | undefined;
    if (holder) {
      recipient = connection.cachedRecipient;
    } else {
      holder = presence.get(targetKey(target)) ?? null;
      if (holder) connection.cacheRoute(target, version, holder, (recipient = localConnection(holder)));
    }
    if (!holder) {
      reject(connection, 'unknown-target', `"${message.target}" is not online`, {
        inReplyTo: message.type,
        target: message.target,
        callId: message.callId,
      });
      return;
    }
    // Only validated fields travel on, with the sender as the server knows it.
    // The parsed message is ours alone (the parser built it), so it is stamped in place rather than copied.
    message.name = entry.name;
    message.sid = connection.sid;
    deliverTo(holder, connection, message.type, routedText(message, frame), recipient);
    connection.notePartner(message.type, holder.sid, holder.key);
  }

  /** The tutorial client's hang-up has no target: it goes to whoever that session was negotiating with. */
  function hangUpPartners(connection: Connection, message: RoutedMessage): void {
    for (const [sid, key] of connection.takePartners()) {
      const holder = presence.get(key);
      if (holder?.sid !== sid) continue;
      deliverTo(holder, connection, 'hang-up', JSON.stringify({ ...message, target: holder.name, name: connection.entry!.name, sid: connection.sid }));
    }
  }

  function broadcastChat(connection: Connection, message: Extract<ClientMessage, { type: 'message' }>): void {
    if (!connection.entry) {
      reject(connection, 'not-signed-in', 'Send "username" before anything else', { inReplyTo: message.type });
      return;
    }
    const text = JSON.stringify({ ...message, name: connection.entry.name });
    chatFromRemote(text);
    directory.broadcastRemote(text);
  }

  function chatFromRemote(text: string): void {
    const frame = Buffer.from(text);
    for (const recipient of connections.values()) if (recipient.entry) recipient.send(frame);
  }

  // ---- connections ---------------------------------------------------------

  function handleFrame(connection: Connection, data: RawData, isBinary: boolean): void {
    const verdict = connection.flood?.admit() ?? 'accept';
    if (verdict === 'disconnect') {
      connection.log.warn('Closing a flooding client');
      closeConnection(connection, CloseCode.Flooding, 'Too many messages');
      return;
    }
    if (verdict === 'drop') {
      reject(connection, 'rate-limited', 'Too many messages; this one was dropped');
      return;
    }
    if (isBinary) {
      reject(connection, 'bad-message', 'Binary frames are not supported; send JSON text');
      return;
    }
    const text = frameText(data);
    const result = parseClientMessage(text);
    if (!result.ok) {
      reject(connection, result.code, result.error, { inReplyTo: result.type });
      return;
    }
    connection.serially(dispatch, { message: result.message, text }, dropFrame);
  }

  function dispatch(connection: Connection, { message, text }: ReceivedFrame): void | Promise<void> {
    if (message.type === 'username') return handleUsername(connection, message);
    if (message.type === 'message') return broadcastChat(connection, message);
    return route(connection, message, text);
  }

  function dropFrame(connection: Connection, { message }: ReceivedFrame): void {
    reject(connection, 'rate-limited', 'Too many messages while signing in; this one was dropped', { inReplyTo: message.type });
  }

  // The socket handlers are made once and find their connection on the socket:
  // closures per connection cost some 200 bytes each of thousands.
  function onSocketError(this: WebSocket, error: Error): void {
    log.warn({ connection: Connection.of(this)?.sid, err: error }, 'Socket error');
  }

  function onSocketPong(this: WebSocket): void {
    Connection.of(this)!.answeredLastPing = true;
  }

  function onSocketMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
    const connection = Connection.of(this)!;
    try {
      handleFrame(connection, data, isBinary);
    } catch (error) {
      // A bug in one message must cost that message, not everyone's connection.
      connection.log.error({ err: error }, 'Failed to handle a message');
    }
  }

  function onSocketClose(this: WebSocket, code: number, reason: Buffer): void {
    const connection = Connection.of(this)!;
    connections.delete(connection.sid);
    connection.clearTimers();
    countClose(connection, code);
    connection.log.info({ code, reason: reason.toString() }, 'Disconnected');
    signOut(connection);
    if (connections.size === 0) whenAllClosed?.();
  }

  function onSlowReader(connection: Connection): void {
    countClose(connection, CloseCode.SlowReader);
    signOut(connection);
  }

  function onSignInDeadline(connection: Connection): void {
    connection.signInTimer = null;
    if (connection.signedInOnce) return;
    connection.log.info('Closing a connection that did not sign in in time');
    closeConnection(connection, CloseCode.SignInTimeout, 'Sign in sooner');
  }

  function onConnection(socket: WebSocket, request: IncomingMessage, remote: string): void {
    socket.on('error', onSocketError);
    if (closing) {
      socket.terminate();
      return;
    }
    const sid = randomId();
    if (socket.protocol !== SUBPROTOCOL) {
      log.warn({ connection: sid, offered: request.headers['sec-websocket-protocol'] ?? null }, 'Rejected: no "json" subprotocol');
      metrics.closed(CloseCode.BadSubprotocol);
      socket.close(CloseCode.BadSubprotocol, `Offer the "${SUBPROTOCOL}" subprotocol`);
      return;
    }
    const connection = new Connection(socket, sid, remote, limits, log, onSlowReader);
    connection.challenge = authenticator.newChallenge();
    connections.set(sid, connection);
    metrics.connectionsAccepted++;
    log.info({ connection: sid, remote }, 'Connected');

    connection.signInTimer = setTimeout(onSignInDeadline, signInTimeoutMs, connection);
    socket.on('pong', onSocketPong);
    socket.on('message', onSocketMessage);
    socket.on('close', onSocketClose);

    send(connection, { type: 'id', id: sid, challenge: connection.challenge });
  }

  const heartbeat = setInterval(() => {
    for (const connection of connections.values()) {
      if (!connection.answeredLastPing) {
        connection.log.warn('Dropping a client that stopped answering pings');
        countClose(connection, CloseCode.HeartbeatTimeout);
        connection.socket.terminate();
        continue;
      }
      connection.answeredLastPing = false;
      try {
        connection.socket.ping();
      } catch (error) {
        connection.log.warn({ err: error }, 'Could not ping');
      }
    }
  }, heartbeatIntervalMs);
  heartbeat.unref();

  async function shutDown(): Promise<void> {
    clearInterval(heartbeat);
    presence.close();
    if (connections.size > 0) {
      const allClosed = new Promise<void>((resolve) => (whenAllClosed = resolve));
      for (const connection of connections.values()) closeConnection(connection, CloseCode.ServiceRestart, 'Server restarting');
      // Every connection is cut after CLOSE_GRACE_MS at the latest; this is a backstop.
      await Promise.race([allClosed, new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS + 1000))]);
    }
    await directory.close();
    await new Promise<void>((resolve, rejectClose) => {
      httpServer.close((error) => (error ? rejectClose(error) : resolve()));
      httpServer.closeAllConnections();
    });
    log.info({ url }, 'Signaling server closed');
  }

  const loopback = host === 'localhost' || host === '::1' || host.startsWith('127.');
  if (authOptions.mode === 'accounts' && !options.tls && !options.trustProxy && !loopback) {
    log.warn({ url }, 'Passwords would cross the network in clear text: serve TLS (tlsCert/tlsKey) or run behind a TLS proxy (trustProxy)');
  }
  log.info({ url, auth: authOptions.mode, node: nodeId }, 'Signaling server listening');
  return {
    url,
    port,
    users: () => presence.names(),
    close() {
      closing ??= shutDown();
      return closing;
    },
  };
}
