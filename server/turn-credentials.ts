/**
 * The ICE servers a client is told to use: STUN URLs as they are, TURN URLs
 * with time-limited credentials in the "TURN REST API" form coturn checks
 * with `use-auth-secret`: username `<unix expiry>:<name>`, password
 * base64(HMAC-SHA1(secret, username)).
 */
import { createHmac } from 'node:crypto';
import type { IceServer } from '../common/signaling-protocol.ts';

export interface IceOptions {
  stunUrls?: string[];
  turnUrls?: string[];
  /** coturn's static-auth-secret. Without it, TURN URLs are listed without credentials. */
  turnSecret?: string | Buffer;
  /** How long TURN credentials stay valid (default one day). */
  turnTtlSeconds?: number;
}

export const DEFAULT_TURN_TTL_SECONDS = 24 * 3600;

export interface TurnCredential {
  username: string;
  credential: string;
  /** Unix seconds. */
  expiresAt: number;
}

export function turnCredential(secret: string | Buffer, name: string, ttlSeconds: number, nowMs = Date.now()): TurnCredential {
  // Rounded up: a credential lives at least its TTL. Rounded down it could live
  // almost a second less, and the refresh sent half-way would come after a
  // 2-second credential had already expired.
  const expiresAt = Math.ceil(nowMs / 1000) + ttlSeconds;
  const username = `${expiresAt}:${name}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential, expiresAt };
}

export class IceServerList {
  readonly ttlSeconds: number;

  constructor(private readonly options: IceOptions) {
    this.ttlSeconds = options.turnTtlSeconds ?? DEFAULT_TURN_TTL_SECONDS;
    if (!(Number.isInteger(this.ttlSeconds) && this.ttlSeconds >= 2)) throw new RangeError('turnTtlSeconds must be a whole number of at least 2');
  }

  /** Whether there is anything to tell clients. */
  get configured(): boolean {
    return (this.options.stunUrls?.length ?? 0) + (this.options.turnUrls?.length ?? 0) > 0;
  }

  /** Whether the list holds credentials that expire, so clients need fresh ones in time. */
  get expires(): boolean {
    return (this.options.turnUrls?.length ?? 0) > 0 && this.options.turnSecret !== undefined;
  }

  for(name: string, nowMs = Date.now()): IceServer[] {
    const servers: IceServer[] = [];
    const { stunUrls = [], turnUrls = [], turnSecret } = this.options;
    if (stunUrls.length > 0) servers.push({ urls: stunUrls });
    if (turnUrls.length > 0) {
      if (turnSecret === undefined) {
        servers.push({ urls: turnUrls });
      } else {
        const { username, credential } = turnCredential(turnSecret, name, this.ttlSeconds, nowMs);
        servers.push({ urls: turnUrls, username, credential });
      }
    }
    return servers;
  }
}
