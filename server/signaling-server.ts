/**
 * The signaling server: a WebSocket relay that knows who is online and passes
 * call signals between them. Wire-compatible with the MDN video-call tutorial
 * server, so the tutorial's unchanged browser client can use it too.
 *
 * It never trusts a client: it decides the sender's name itself, validates
 * every frame, and answers anything it cannot handle with an `error` message
 * or a close code, never by crashing.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { createLogger, type Logger } from '../common/logger.ts';
import {
  CallId,
  CloseCode,
  HARD_MAX_FRAME_BYTES,
  MAX_MESSAGE_BYTES,
  SUBPROTOCOL,
  UserName,
  parseClientMessage,
  stringifyServerMessage,
  type ErrorCode,
  type ServerMessage,
} from '../common/signaling-protocol.ts';

export interface RateLimit {
  /** Sustained rate a client may send at. */
  messagesPerSecond: number;
  /** How many messages a client may send at once after being quiet (ICE candidates come in bursts). */
  burst: number;
}

export interface SignalingServerOptions {
  /** Defaults to 127.0.0.1: the server is reachable from this machine only unless asked otherwise. */
  host?: string;
  /** 0 picks any free port; read the chosen one from `SignalingServer.port`. */
  port?: number;
  heartbeatIntervalMs?: number;
  rateLimit?: RateLimit;
  log?: Logger;
}

export interface SignalingServer {
  /** e.g. ws://127.0.0.1:8765 */
  url: string;
  port: number;
  /** Names of the signed-in users, in the order they signed in. */
  users(): string[];
  /** Disconnects every client; resolves once the port is free again. */
  close(): Promise<void>;
}

const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_HEARTBEAT_INTERVAL_MS = 30_000;
const DEFAULT_RATE_LIMIT: RateLimit = { messagesPerSecond: 50, burst: 100 };
/**
 * A client that keeps sending after its budget ran out is dropped once it has
 * sent this many times its burst in one go: by then it is not a hiccup.
 */
const FLOOD_MULTIPLE_BEFORE_CLOSE = 5;
const MAX_NAME_LENGTH = UserName.maxLength ?? 32;

/** A token bucket plus a tally of how far over budget the client has gone. */
class FloodGuard {
  private tokens: number;
  private overBudget = 0;
  private lastRefillAt = performance.now();

  constructor(private readonly limit: RateLimit) {
    this.tokens = limit.burst;
  }

  admit(): 'accept' | 'drop' | 'disconnect' {
    const now = performance.now();
    const refill = ((now - this.lastRefillAt) / 1000) * this.limit.messagesPerSecond;
    this.lastRefillAt = now;
    this.tokens = Math.min(this.limit.burst, this.tokens + refill);
    // Slowing down earns forgiveness at the same rate the budget refills.
    this.overBudget = Math.max(0, this.overBudget - refill);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 'accept';
    }
    this.overBudget += 1;
    const tolerated = (FLOOD_MULTIPLE_BEFORE_CLOSE - 1) * this.limit.burst;
    return this.overBudget > tolerated ? 'disconnect' : 'drop';
  }
}

interface Connection {
  id: number;
  socket: WebSocket;
  /** Null until the client sent `username`. */
  name: string | null;
  answeredLastPing: boolean;
  flood: FloodGuard;
  log: Logger;
}

interface RejectionDetails {
  inReplyTo?: string;
  target?: unknown;
  callId?: unknown;
}

function validateOptions(options: SignalingServerOptions): void {
  const { port, heartbeatIntervalMs, rateLimit } = options;
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new RangeError(`Port must be an integer from 0 to 65535, got ${port}`);
  }
  if (heartbeatIntervalMs !== undefined && !(heartbeatIntervalMs > 0)) {
    throw new RangeError(`heartbeatIntervalMs must be positive, got ${heartbeatIntervalMs}`);
  }
  if (rateLimit && !(rateLimit.messagesPerSecond > 0 && rateLimit.burst >= 1)) {
    throw new RangeError('rateLimit needs messagesPerSecond > 0 and burst >= 1');
  }
}

function formatUrl(host: string, port: number): string {
  const bracketed = host.includes(':') ? `[${host}]` : host;
  return `ws://${bracketed}:${port}`;
}

function frameBytes(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
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
    httpServer.listen(port, host);
  });
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

export async function startSignalingServer(options: SignalingServerOptions = {}): Promise<SignalingServer> {
  validateOptions(options);
  const host = options.host ?? DEFAULT_HOST;
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
  const rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
  const log = options.log ?? createLogger('signaling-server');

  const httpServer = createServer((_request, response) => {
    response.writeHead(426, { 'content-type': 'text/plain; charset=utf-8', upgrade: 'websocket' });
    response.end(`This is a WebSocket signaling server; connect with the "${SUBPROTOCOL}" subprotocol.\n`);
  });
  await listen(httpServer, options.port ?? 0, host);
  httpServer.on('error', (error) => log.error({ err: error }, 'HTTP server error'));

  const address = httpServer.address();
  if (address === null || typeof address === 'string') throw new Error('Signaling server has no TCP address');
  const port = address.port;
  const url = formatUrl(host, port);

  const wss = new WebSocketServer({
    server: httpServer,
    maxPayload: HARD_MAX_FRAME_BYTES,
    // Accept the upgrade either way, then close with a code that says why: a
    // handshake refusal would reach the client as an anonymous failure.
    handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
  });
  wss.on('error', (error) => log.error({ err: error }, 'WebSocket server error'));

  const connections = new Map<number, Connection>();
  let nextConnectionId = 1;
  let closing: Promise<void> | null = null;

  function signedInConnections(): Connection[] {
    return [...connections.values()].filter((connection) => connection.name !== null);
  }

  function users(): string[] {
    return signedInConnections().map((connection) => connection.name as string);
  }

  function sendText(connection: Connection, text: string): void {
    if (connection.socket.readyState !== WebSocket.OPEN) return;
    connection.socket.send(text, (error) => {
      if (error) connection.log.warn({ err: error }, 'Could not deliver a message');
    });
  }

  function send(connection: Connection, message: ServerMessage): void {
    sendText(connection, stringifyServerMessage(message));
  }

  function reject(connection: Connection, code: ErrorCode, message: string, details: RejectionDetails = {}): void {
    const target = typeof details.target === 'string' ? details.target : undefined;
    // Echo the call id only when it is one: an invalid one would make our own reply invalid.
    const callId = CallId.safeParse(details.callId).success ? (details.callId as string) : undefined;
    connection.log.warn({ code, inReplyTo: details.inReplyTo, target, callId, user: connection.name }, `Rejected: ${message}`);
    send(connection, { type: 'error', code, message, inReplyTo: details.inReplyTo, target, callId });
  }

  function broadcastUserList(): void {
    const text = stringifyServerMessage({ type: 'userlist', users: users() });
    // Only signed-in clients get it, so the first list a client sees already answers its own `username`.
    for (const connection of signedInConnections()) sendText(connection, text);
  }

  function uniqueName(requested: string, self: Connection): string {
    const taken = new Set(
      [...connections.values()].filter((c) => c !== self && c.name !== null).map((c) => c.name as string),
    );
    if (!taken.has(requested)) return requested;
    // Same scheme as the tutorial server: Alice, Alice1, Alice2, …
    for (let counter = 1; ; counter++) {
      const candidate = withSuffix(requested, String(counter));
      if (!taken.has(candidate)) return candidate;
    }
  }

  function signIn(connection: Connection, requested: string): void {
    const previous = connection.name;
    const assigned = uniqueName(requested, connection);
    connection.name = assigned;
    connection.log = log.child({ connection: connection.id, user: assigned });
    if (assigned !== requested) {
      connection.log.info({ requested, assigned }, 'Name taken; assigned another');
      send(connection, { type: 'rejectusername', name: assigned });
    }
    connection.log.info({ previous }, previous === null ? 'Signed in' : 'Renamed');
    broadcastUserList();
  }

  function route(connection: Connection, raw: Record<string, unknown> & { type: string; target: string }): void {
    if (connection.name === null) {
      reject(connection, 'not-signed-in', 'Send "username" before anything else', {
        inReplyTo: raw.type,
        target: raw.target,
        callId: raw.callId,
      });
      return;
    }
    const recipient = signedInConnections().find((c) => c.name === raw.target);
    if (!recipient) {
      reject(connection, 'unknown-target', `"${raw.target}" is not online`, {
        inReplyTo: raw.type,
        target: raw.target,
        callId: raw.callId,
      });
      return;
    }
    // Forward the client's own object, not the parsed one, so optional fields
    // newer clients add survive this server. Only `name` is ours to decide.
    sendText(recipient, JSON.stringify({ ...raw, name: connection.name }));
  }

  function broadcastChat(connection: Connection, raw: Record<string, unknown> & { type: string }): void {
    if (connection.name === null) {
      reject(connection, 'not-signed-in', 'Send "username" before anything else', { inReplyTo: raw.type });
      return;
    }
    const text = JSON.stringify({ ...raw, name: connection.name });
    for (const recipient of signedInConnections()) sendText(recipient, text);
  }

  function handleFrame(connection: Connection, data: RawData, isBinary: boolean): void {
    const verdict = connection.flood.admit();
    if (verdict === 'disconnect') {
      connection.log.warn({ user: connection.name }, 'Closing a flooding client');
      connection.socket.close(CloseCode.Flooding, 'Too many messages');
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
    const bytes = frameBytes(data);
    if (bytes.byteLength > MAX_MESSAGE_BYTES) {
      reject(connection, 'too-large', `Message exceeds ${MAX_MESSAGE_BYTES} bytes`);
      return;
    }
    const text = bytes.toString('utf8');
    const result = parseClientMessage(text);
    if (!result.ok) {
      reject(connection, result.code, result.error, { inReplyTo: result.type });
      return;
    }
    const message = result.message;
    if (message.type === 'username') {
      signIn(connection, message.name);
      return;
    }
    // Parsed again to keep fields the schema does not list; the validated
    // (normalised, e.g. trimmed target) values take precedence.
    const raw: Record<string, unknown> & { type: string } = { ...(JSON.parse(text) as Record<string, unknown>), ...message };
    if (typeof raw.target === 'string' && raw.target.length > 0) {
      route(connection, raw as typeof raw & { target: string });
    } else {
      broadcastChat(connection, raw);
    }
  }

  wss.on('connection', (socket, request) => {
    const id = nextConnectionId++;
    const connectionLog = log.child({ connection: id });
    socket.on('error', (error) => connectionLog.warn({ err: error }, 'Socket error'));
    if (closing) {
      socket.terminate();
      return;
    }
    if (socket.protocol !== SUBPROTOCOL) {
      connectionLog.warn({ offered: request.headers['sec-websocket-protocol'] ?? null }, 'Rejected: no "json" subprotocol');
      socket.close(CloseCode.BadSubprotocol, `Offer the "${SUBPROTOCOL}" subprotocol`);
      return;
    }
    const connection: Connection = {
      id,
      socket,
      name: null,
      answeredLastPing: true,
      flood: new FloodGuard(rateLimit),
      log: connectionLog,
    };
    connections.set(id, connection);
    connection.log.info({ remote: request.socket.remoteAddress }, 'Connected');

    socket.on('pong', () => {
      connection.answeredLastPing = true;
    });
    socket.on('message', (data, isBinary) => {
      try {
        handleFrame(connection, data, isBinary);
      } catch (error) {
        // A bug in one message must cost that message, not everyone's connection.
        connection.log.error({ err: error }, 'Failed to handle a message');
      }
    });
    socket.on('close', (code, reason) => {
      connections.delete(id);
      connection.log.info({ code, reason: reason.toString() }, 'Disconnected');
      if (connection.name !== null && !closing) broadcastUserList();
    });

    send(connection, { type: 'id', id });
  });

  const heartbeat = setInterval(() => {
    for (const connection of connections.values()) {
      if (!connection.answeredLastPing) {
        connection.log.warn('Dropping a client that stopped answering pings');
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
    for (const connection of connections.values()) connection.socket.terminate();
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    await new Promise<void>((resolve, rejectClose) => {
      httpServer.close((error) => (error ? rejectClose(error) : resolve()));
      httpServer.closeAllConnections();
    });
    log.info({ url }, 'Signaling server closed');
  }

  log.info({ url }, 'Signaling server listening');
  return {
    url,
    port,
    users,
    close() {
      closing ??= shutDown();
      return closing;
    },
  };
}
