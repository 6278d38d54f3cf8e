/**
 * Session tokens: the server's signed word that a client held a name. A
 * client shows its token again on `username` to get the same name back after
 * a reconnect or a server restart. HS256 JWTs (jose), signed with the
 * server's session secret.
 */
import { createHmac, webcrypto } from 'node:crypto';

/**
 * jose is loaded on the first token to verify: a server whose clients never
 * resume a session does not carry it (about 3.5 MB of a process's memory).
 */
let jose: Promise<typeof import('jose')> | null = null;

export interface SessionClaims {
  /** The name the session held. */
  name: string;
  /** The session's id: the same across reconnects, so a stale socket of it can be recognised. */
  session: string;
  /** When this session first took the name (ms since the epoch): the earlier claim wins. */
  since: number;
}

const ISSUER = 'softphone-signaling';
const DEFAULT_TTL_SECONDS = 30 * 24 * 3600;

export class SessionTokens {
  /**
   * A CryptoKey imported once: given bytes or a KeyObject, jose imports the
   * key into WebCrypto again for every token, which was most of a sign-in's cost.
   */
  private readonly secret: Promise<webcrypto.CryptoKey>;
  private readonly rawSecret: Buffer;

  constructor(
    secret: Uint8Array,
    private readonly ttlSeconds = DEFAULT_TTL_SECONDS,
  ) {
    if (secret.byteLength < 16) throw new RangeError('A session secret needs at least 16 bytes');
    this.rawSecret = Buffer.from(secret);
    this.secret = webcrypto.subtle.importKey('raw', this.rawSecret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  }

  /** For the embedded server: a session secret derived from the local key, so every instance agrees on it. */
  static fromLocalKey(key: Buffer): SessionTokens {
    return new SessionTokens(createHmac('sha256', key).update('softphone-session-secret').digest());
  }

  /**
   * A standard HS256 JWT (RFC 7519), which jwtVerify below checks like any
   * other. Signed here with node's HMAC rather than jose's SignJWT: jose signs
   * through WebCrypto, a thread-pool round trip of ~125 µs per token, which
   * made signing most of a sign-in's cost when thousands join at once;
   * createHmac takes a few µs. Verifying (rarer, and where the checks are)
   * stays with jose.
   */
  issue(claims: SessionClaims): string {
    const now = Math.floor(Date.now() / 1000);
    const header = base64url({ alg: 'HS256', typ: 'JWT' });
    const payload = base64url({ sid: claims.session, since: claims.since, iss: ISSUER, sub: claims.name, iat: now, exp: now + this.ttlSeconds });
    const signature = createHmac('sha256', this.rawSecret).update(`${header}.${payload}`).digest('base64url');
    return `${header}.${payload}.${signature}`;
  }

  /** The claims of a token this server signed and that has not expired; null for anything else. */
  async verify(token: string): Promise<SessionClaims | null> {
    try {
      const { jwtVerify } = await (jose ??= import('jose'));
      const { payload } = await jwtVerify(token, await this.secret, { issuer: ISSUER, algorithms: ['HS256'] });
      const { sub, sid, since } = payload;
      if (typeof sub !== 'string' || typeof sid !== 'string' || typeof since !== 'number') return null;
      return { name: sub, session: sid, since };
    } catch {
      return null;
    }
  }
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
