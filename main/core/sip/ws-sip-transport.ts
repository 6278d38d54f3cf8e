/**
 * SIP over WebSocket (RFC 7118) for SIP.js, on the `ws` package.
 *
 * SIP.js's own transport opens a browser `WebSocket`; main needs `ws` for
 * what a browser socket cannot do: trust a given CA (tests, private PBXs),
 * say why TLS failed, cap frame sizes, and send keep-alives. It implements
 * SIP.js's Transport interface and its state machine: Disconnected →
 * Connecting → Connected → Disconnecting → Disconnected.
 */
import { EmitterImpl, TransportState, type Emitter, type Transport } from 'sip.js';
import { WebSocket } from 'ws';
import { connectionProblemWords, type ConnectionProblem } from '../../../common/connection-problem.ts';
import { english } from '../../../common/i18n/index.ts';
import { socketProblem } from '../../../common/signaling-client.ts';

/** SIP messages are small; a bigger frame is an attack or a bug. */
export const MAX_SIP_FRAME_BYTES = 256 * 1024;

export interface WsSipTransportOptions {
  server: string;
  /** Extra trust for wss:// (a self-signed PBX, tests). */
  ca?: string | Buffer;
  connectionTimeoutMs?: number;
  /** CRLF keep-alives (RFC 5626 §4.4.1) keep NAT bindings and proxies from dropping an idle socket. */
  keepAliveIntervalMs?: number;
}

/** Why the last connection failed: English words as the message, and the problem for the user's language; SIP.js only passes Error objects along. */
export class SipTransportError extends Error {
  constructor(readonly problem: ConnectionProblem) {
    super(connectionProblemWords(problem, english));
  }
}

export class WsSipTransport implements Transport {
  onConnect: (() => void) | undefined;
  onDisconnect: ((error?: Error) => void) | undefined;
  onMessage: ((message: string) => void) | undefined;
  private currentState = TransportState.Disconnected;
  private readonly emitter = new EmitterImpl<TransportState>();
  private socket: WebSocket | null = null;
  private connecting: Promise<void> | null = null;
  private keepAlive: NodeJS.Timeout | null = null;
  private readonly options: Required<Omit<WsSipTransportOptions, 'ca'>> & Pick<WsSipTransportOptions, 'ca'>;

  // SIP.js constructs transports as `new transportConstructor(logger, transportOptions)`.
  constructor(_logger: unknown, options: WsSipTransportOptions) {
    this.options = { connectionTimeoutMs: 10_000, keepAliveIntervalMs: 25_000, ...options };
  }

  get protocol(): string {
    return this.options.server.startsWith('wss:') ? 'WSS' : 'WS';
  }

  get state(): TransportState {
    return this.currentState;
  }

  get stateChange(): Emitter<TransportState> {
    return this.emitter;
  }

  isConnected(): boolean {
    return this.currentState === TransportState.Connected;
  }

  connect(): Promise<void> {
    if (this.currentState === TransportState.Connected) return Promise.resolve();
    if (this.connecting) return this.connecting;
    this.transition(TransportState.Connecting);
    const { server, ca, connectionTimeoutMs } = this.options;
    const socket = new WebSocket(server, 'sip', { ca, handshakeTimeout: connectionTimeoutMs, maxPayload: MAX_SIP_FRAME_BYTES });
    this.socket = socket;
    this.connecting = new Promise<void>((resolve, reject) => {
      let failure: Error | null = null;
      socket.on('open', () => {
        if (this.socket !== socket) return;
        if (socket.protocol !== 'sip') {
          failure = new SipTransportError({ code: 'wrong-protocol', url: server, server: 'sip' });
          socket.terminate();
          return;
        }
        this.connecting = null;
        this.startKeepAlive(socket);
        this.transition(TransportState.Connected);
        resolve();
      });
      socket.on('error', (error) => {
        failure ??= new SipTransportError(socketProblem(server, error, 'sip'));
      });
      socket.on('message', (data, isBinary) => {
        if (this.socket !== socket || this.currentState !== TransportState.Connected) return;
        const text = isBinary ? Buffer.from(data as Buffer).toString('utf8') : data.toString();
        // A CRLF keep-alive answer carries no message.
        if (/^(\r\n)+$/.test(text) || text.length === 0) return;
        this.onMessage?.(text);
      });
      socket.on('close', (code) => {
        if (this.socket !== socket) return;
        this.socket = null;
        this.stopKeepAlive();
        const wasConnecting = this.connecting !== null;
        this.connecting = null;
        const expected = this.currentState === TransportState.Disconnecting;
        const error = expected ? undefined : (failure ?? new SipTransportError({ code: 'closed', url: server, server: 'sip', detail: String(code) }));
        this.transition(TransportState.Disconnected, error);
        if (wasConnecting) reject(error ?? new SipTransportError({ code: 'connection-lost', url: server, server: 'sip' }));
      });
    });
    return this.connecting;
  }

  disconnect(): Promise<void> {
    const socket = this.socket;
    if (!socket || this.currentState === TransportState.Disconnected) return Promise.resolve();
    this.transition(TransportState.Disconnecting);
    return new Promise((resolve) => {
      socket.once('close', () => resolve());
      socket.close(1000);
      // A server that never answers the close must not hold up quitting.
      setTimeout(() => socket.terminate(), 2_000).unref();
    });
  }

  dispose(): Promise<void> {
    return this.disconnect();
  }

  send(message: string): Promise<void> {
    const socket = this.socket;
    if (!socket || this.currentState !== TransportState.Connected) {
      return Promise.reject(new SipTransportError({ code: 'connection-lost', url: this.options.server, server: 'sip' }));
    }
    return new Promise((resolve, reject) => socket.send(message, (error) => (error ? reject(error) : resolve())));
  }

  private transition(next: TransportState, error?: Error): void {
    if (next === this.currentState) return;
    this.currentState = next;
    this.emitter.emit(next);
    if (next === TransportState.Connected) this.onConnect?.();
    if (next === TransportState.Disconnected) this.onDisconnect?.(error);
  }

  private startKeepAlive(socket: WebSocket): void {
    this.stopKeepAlive();
    this.keepAlive = setInterval(() => {
      if (socket.readyState === WebSocket.OPEN) socket.send('\r\n\r\n');
    }, this.options.keepAliveIntervalMs);
    this.keepAlive.unref();
  }

  private stopKeepAlive(): void {
    if (this.keepAlive) clearInterval(this.keepAlive);
    this.keepAlive = null;
  }
}
