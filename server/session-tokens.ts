/**
 * Session tokens: the server's signed word that a client held a name. A
 * client shows its token again on `username` to get the same name back after
 * a reconnect or a server restart. HS256 JWTs (jose), signed with the
 * server's session secret.
 */
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';

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
  /** A KeyObject rather than bytes: jose then imports the key once, not for every token. */
  private readonly secret: KeyObject;

  constructor(
    secret: Uint8Array,
    private readonly ttlSeconds = DEFAULT_TTL_SECONDS,
  ) {
    if (secret.byteLength < 16) throw new RangeError('A session secret needs at least 16 bytes');
    this.secret = createSecretKey(Buffer.from(secret));
  }

  /** For the embedded server: a session secret derived from the local key, so every instance agrees on it. */
  static fromLocalKey(key: Buffer): SessionTokens {
    return new SessionTokens(createHmac('sha256', key).update('softphone-session-secret').digest());
  }

  issue(claims: SessionClaims): Promise<string> {
    return new SignJWT({ sid: claims.session, since: claims.since })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setSubject(claims.name)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(this.secret);
  }

  /** The claims of a token this server signed and that has not expired; null for anything else. */
  async verify(token: string): Promise<SessionClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.secret, { issuer: ISSUER, algorithms: ['HS256'] });
      const { sub, sid, since } = payload;
      if (typeof sub !== 'string' || typeof sid !== 'string' || typeof since !== 'number') return null;
      return { name: sub, session: sid, since };
    } catch {
      return null;
    }
  }
}
