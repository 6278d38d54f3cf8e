/**
 * Who a `username` comes from, by the server's auth mode:
 *
 * - open: anyone, under any free name;
 * - accounts: a password proves an account and gives its name; without one,
 *   a guest (if allowed) under any name no account owns;
 * - local-key: the embedded server; the client proves it knows this OS
 *   user's key by answering the challenge sent with `id`.
 *
 * Failures are answered in words that do not tell whether an account exists.
 */
import type { ErrorCode, UsernameMessage } from '../common/signaling-protocol.ts';
import { nameKey } from '../common/signaling-protocol.ts';
import { isValidProof, keyProof, randomChallenge } from '../common/local-key.ts';
import type { AccountStore } from './accounts.ts';
import { FailureThrottle } from './rate-limit.ts';

export type AuthOptions =
  | { mode: 'open' }
  | { mode: 'accounts'; accounts: AccountStore; allowGuests?: boolean }
  | { mode: 'local-key'; key: Buffer };

export type Identity =
  | { kind: 'guest' }
  | { kind: 'account'; name: string; service: boolean }
  | { kind: 'key'; service: boolean; nonce: string };

export type AuthOutcome = { ok: true; identity: Identity } | { ok: false; code: ErrorCode; message: string };

/** What the authenticator needs to know about a connection. */
export interface AuthSubject {
  address: string;
  challenge: string | undefined;
  /** The account this connection already proved, if any. */
  account: string | null;
  /** The nonce of a key proof this connection already gave, if any. */
  keyNonce: string | null;
  keyService: boolean;
}

const WRONG_PASSWORD = 'Wrong name or password';

export class Authenticator {
  private readonly throttle = new FailureThrottle();

  constructor(readonly options: AuthOptions) {}

  /** The challenge to send with `id` (local-key mode only). */
  newChallenge(): string | undefined {
    return this.options.mode === 'local-key' ? randomChallenge() : undefined;
  }

  /** The server's answer to the client's nonce, for `welcome` (local-key mode only). */
  serverProof(subject: AuthSubject): string | undefined {
    if (this.options.mode !== 'local-key' || !subject.challenge || !subject.keyNonce) return undefined;
    return keyProof(this.options.key, 'server', subject.challenge, subject.keyNonce);
  }

  /** Whether `name` belongs to an account that `subject` has not proved (a guest may not take it). */
  isOwnedName(name: string, subject: AuthSubject): boolean {
    if (this.options.mode !== 'accounts') return false;
    if (subject.account !== null && nameKey(subject.account) === nameKey(name)) return false;
    return this.options.accounts.has(name);
  }

  async authenticate(subject: AuthSubject, message: UsernameMessage, name: string): Promise<AuthOutcome> {
    const { options } = this;
    const auth = message.auth;
    switch (options.mode) {
      case 'open':
        return { ok: true, identity: { kind: 'guest' } };

      case 'local-key': {
        if (auth?.kind === 'key') {
          if (subject.challenge && isValidProof(options.key, 'client', subject.challenge, auth.nonce, auth.proof)) {
            return { ok: true, identity: { kind: 'key', service: auth.service === true, nonce: auth.nonce } };
          }
          return { ok: false, code: 'auth-failed', message: "The proof of this computer's local key is wrong" };
        }
        // A rename on a connection that already proved the key.
        if (!auth && subject.keyNonce !== null) {
          return { ok: true, identity: { kind: 'key', service: subject.keyService, nonce: subject.keyNonce } };
        }
        if (auth) return { ok: false, code: 'auth-failed', message: "This server signs in with this computer's local key" };
        return { ok: false, code: 'auth-required', message: "This server only admits programs that know this computer's local key" };
      }

      case 'accounts': {
        if (auth?.kind === 'password') {
          if (!this.throttle.allows(subject.address)) {
            return { ok: false, code: 'rate-limited', message: 'Too many failed sign-ins from this address; wait a minute and try again' };
          }
          await options.accounts.reloadIfChanged();
          const account = await options.accounts.verify(name, auth.password);
          if (!account) {
            this.throttle.recordFailure(subject.address);
            return { ok: false, code: 'auth-failed', message: WRONG_PASSWORD };
          }
          return { ok: true, identity: { kind: 'account', name: account.name, service: account.service } };
        }
        if (auth) return { ok: false, code: 'auth-failed', message: 'This server signs in with a name and password' };
        if (subject.account !== null) {
          // Already signed in to an account: asking for its name again needs no password, another name does.
          if (nameKey(subject.account) === nameKey(name)) {
            const account = options.accounts.get(subject.account);
            return { ok: true, identity: { kind: 'account', name: account?.name ?? subject.account, service: account?.service ?? false } };
          }
          return { ok: false, code: 'auth-required', message: `To sign in as "${name}", give that account's password` };
        }
        if (!options.allowGuests) return { ok: false, code: 'auth-required', message: 'This server needs a name and password' };
        await options.accounts.reloadIfChanged();
        if (options.accounts.has(name)) {
          return { ok: false, code: 'name-owned', message: `The name "${name}" belongs to an account; sign in with its password or choose another name` };
        }
        return { ok: true, identity: { kind: 'guest' } };
      }
    }
  }
}
