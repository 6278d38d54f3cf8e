/**
 * Checks for what the user types into the account and network settings, with
 * messages that say what to type instead. Pure; the components show the
 * messages next to their fields, and main checks everything again.
 */
import { UserName } from '../../common/signaling-protocol.ts';
import { t } from '../../common/i18n/index.ts';
import { schemaMessage } from '../state/schema-message.ts';

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

/** The built-in server is the empty field. */
export const builtInServerLabel = (): string => t('This computer (built-in server)');

/** A signaling server address: empty means this computer's built-in server (null). */
export function checkServerAddress(text: string): Checked<string | null> {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: null };
  const example = t('for example {{address}}', { address: 'wss://phone.example.com' });
  if (!/^wss?:\/\//i.test(trimmed)) {
    return { ok: false, message: t('Start the address with wss:// (or ws:// without encryption), {{example}}.', { example }) };
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { ok: false, message: t('This is not a valid address; {{example}}.', { example }) };
  }
  if (!url.hostname) return { ok: false, message: t('The address needs a server name after {{scheme}}, {{example}}.', { scheme: `${url.protocol}//`, example }) };
  if (url.username || url.password) return { ok: false, message: t('Put the name and password in their own fields, not in the address.') };
  if (url.hash) return { ok: false, message: t('A server address cannot have a # part.') };
  return { ok: true, value: trimmed };
}

/** Whether an address sends a password unencrypted (ws:// to another machine). */
export function isUnencrypted(serverUrl: string | null): boolean {
  if (serverUrl === null || !/^ws:\/\//i.test(serverUrl)) return false;
  try {
    const host = new URL(serverUrl).hostname;
    return !(host === 'localhost' || host === '[::1]' || /^127\./.test(host));
  } catch {
    return true;
  }
}

export function checkName(text: string): Checked<string> {
  const result = UserName.safeParse(text);
  if (result.success) return { ok: true, value: result.data };
  const message = result.error.issues[0]?.message;
  return { ok: false, message: `${message ? schemaMessage(message) : t('This name cannot be used')}.` };
}

export type IceScheme = 'stun' | 'turn' | 'turns';

/** The scheme of a STUN/TURN address, or null when it has none of those. */
export function iceScheme(urls: string): IceScheme | null {
  const match = /^(stuns?|turns?):/i.exec(urls.trim());
  if (!match) return null;
  const scheme = match[1]!.toLowerCase();
  return scheme === 'stuns' ? 'stun' : (scheme as IceScheme);
}

/** A STUN or TURN server address, as RTCIceServer.urls takes it: stun:host[:port], turn:host[:port][?transport=udp|tcp], turns:… */
export function checkIceServerUrl(text: string): Checked<string> {
  const trimmed = text.trim();
  const example = t('for example {{address}}', { address: 'turn:turn.example.com:3478' });
  if (trimmed === '') return { ok: false, message: t("Enter the server's address, {{example}}.", { example }) };
  if (!iceScheme(trimmed)) return { ok: false, message: t('Start the address with stun:, turn: or turns:, {{example}}.', { example }) };
  const rest = trimmed.slice(trimmed.indexOf(':') + 1);
  const hostPort = rest.split('?')[0]!;
  if (rest.startsWith('//')) return { ok: false, message: t('Write the address without "//", {{example}}.', { example }) };
  const host = hostPort.startsWith('[') ? hostPort.slice(0, hostPort.indexOf(']') + 1) : hostPort.split(':')[0]!;
  const port = hostPort.slice(host.length);
  if (!host || !/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)$/i.test(host)) return { ok: false, message: t('The address needs a server name, {{example}}.', { example }) };
  if (port && !/^:\d{1,5}$/.test(port)) return { ok: false, message: t('The port must be a number, as in turn:turn.example.com:3478.') };
  if (port && Number(port.slice(1)) > 65535) return { ok: false, message: t('The port must be a number from 1 to 65535.') };
  const query = rest.includes('?') ? rest.slice(rest.indexOf('?') + 1) : '';
  if (query && !/^transport=(udp|tcp)$/i.test(query)) return { ok: false, message: t('The only option an address may have is ?transport=udp or ?transport=tcp.') };
  return { ok: true, value: trimmed };
}
