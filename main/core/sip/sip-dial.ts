/**
 * Turning what a user dials into a SIP request URI, and key presses into
 * SIP INFO bodies and back.
 */
import { sipDomainOf } from '../../../common/sip-account-schema.ts';

/** Separators people type in phone numbers and that no PBX wants: spaces, dashes, dots, brackets. */
const NUMBER_SEPARATORS = /[\s\-.()/]/g;

/**
 * `sip:…` as given; `user@host` gets its scheme; an extension, a number or a
 * bare user name goes to the account's own domain. `*` and `#` in a number
 * are escaped as the SIP grammar requires (`#` is not allowed raw in a user part).
 */
export function sipTarget(dialed: string, accountAddress: string): string {
  const text = dialed.trim();
  if (/^sips?:/i.test(text)) return text;
  if (text.includes('@')) return `sip:${text}`;
  const domain = sipDomainOf(accountAddress);
  const compact = text.replace(NUMBER_SEPARATORS, '');
  const user = /^\+?[0-9*#]+$/.test(compact) ? compact : text;
  // RFC 3261's user part: unreserved and user-unreserved characters stay, the rest (e.g. `#`) is %-escaped.
  const escaped = user.replace(/[^A-Za-z0-9\-_.!~*'()&=+$,;?/]/g, (c) => encodeURIComponent(c));
  return `sip:${escaped}@${domain}`;
}

/** One key as SIP INFO `application/dtmf-relay`, the body most PBXs (Asterisk, FreeSWITCH, Kamailio setups) read. */
export function dtmfRelayBody(tone: string, durationMs: number): string {
  return `Signal=${tone}\r\nDuration=${durationMs}\r\n`;
}

/** The key in an incoming INFO body (`application/dtmf-relay` or `application/dtmf`), or null. */
export function keyOfInfoBody(contentType: string, body: string): string | null {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  const raw = type === 'application/dtmf-relay' ? /^\s*Signal\s*=\s*(\S+)/im.exec(body)?.[1] : type === 'application/dtmf' ? body.trim() : undefined;
  if (!raw) return null;
  // Some systems send events as numbers: 10 = *, 11 = #, 12–15 = A–D.
  const key = /^1[0-5]$/.test(raw) ? '*#ABCD'[Number(raw) - 10]! : raw.toUpperCase();
  return /^[0-9A-D*#]$/.test(key) ? key : null;
}
