/**
 * Checks made before a WebSocket handshake is accepted, while refusing is
 * still cheap and can carry an HTTP status: the page's origin (browsers send
 * one; our app's Node sockets do not) and how many connections the client's
 * address already holds.
 */
import type { IncomingMessage } from 'node:http';

export interface HandshakeGuardOptions {
  /** Origins whose pages may connect. A request without an Origin header is not from a web page and is fine. */
  allowedOrigins?: string[];
  /** Connections one address may hold at once; 0 for no cap. */
  maxConnectionsPerIp?: number;
  /** Take the client's address from X-Forwarded-For (set by our reverse proxy) instead of the socket. */
  trustProxy?: boolean;
}

export type HandshakeVerdict =
  /** `release`, when there is one, gives the address's slot back; call it when the TCP connection ends (more calls do nothing). */
  | { ok: true; address: string; release?: () => void }
  | { ok: false; status: 403 | 429; message: string; address: string };

/**
 * The client's address. Behind a trusted proxy, the last X-Forwarded-For
 * entry: the one our proxy appended (earlier entries are whatever the client
 * claimed).
 */
export function clientAddress(request: IncomingMessage, trustProxy: boolean): string {
  const socketAddress = request.socket.remoteAddress ?? 'unknown';
  if (!trustProxy) return socketAddress;
  const header = request.headers['x-forwarded-for'];
  const value = Array.isArray(header) ? header.join(',') : header;
  const last = value
    ?.split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .at(-1);
  return last ?? socketAddress;
}

export class HandshakeGuard {
  private readonly allowedOrigins: Set<string>;
  private readonly maxPerIp: number;
  private readonly trustProxy: boolean;
  private readonly perAddress = new Map<string, number>();

  constructor(options: HandshakeGuardOptions) {
    this.allowedOrigins = new Set(options.allowedOrigins ?? []);
    this.maxPerIp = options.maxConnectionsPerIp ?? 0;
    this.trustProxy = options.trustProxy ?? false;
  }

  /** On success with a cap, the caller holds one of the address's slots until it calls release(). */
  admit(request: IncomingMessage): HandshakeVerdict {
    const address = clientAddress(request, this.trustProxy);
    const origin = request.headers.origin;
    if (origin !== undefined && !this.allowedOrigins.has(origin)) {
      return { ok: false, status: 403, message: `Origin ${origin} is not allowed to connect`, address };
    }
    // Without a cap there is nothing to count: no per-connection slot (a Map entry, a closure and a listener) to keep.
    if (this.maxPerIp === 0) return { ok: true, address };
    const held = this.perAddress.get(address) ?? 0;
    if (this.maxPerIp > 0 && held >= this.maxPerIp) {
      return { ok: false, status: 429, message: `Too many connections from ${address}`, address };
    }
    this.perAddress.set(address, held + 1);
    let released = false;
    return {
      ok: true,
      address,
      release: () => {
        if (released) return;
        released = true;
        const now = (this.perAddress.get(address) ?? 1) - 1;
        if (now <= 0) this.perAddress.delete(address);
        else this.perAddress.set(address, now);
      },
    };
  }
}
