/**
 * Why a connection to a server failed or closed, as a code with the details
 * that vary (the address, a certificate error code, an HTTP status, a name),
 * and the words for it in any language. The signaling client and the SIP
 * transport describe what happened with a code; the renderer and main's
 * notices put it in the user's language, and logs keep the English.
 */
import { z } from 'zod';
import type { Translate } from './i18n/index.ts';

export const ConnectionProblemCode = z.enum([
  // The socket failed (signaling and SIP servers alike).
  'certificate-untrusted',
  'certificate-wrong-host',
  'certificate-expired',
  'certificate-not-yet-valid',
  'connection-refused',
  'host-not-found',
  'no-route',
  'timed-out',
  'connection-reset',
  'not-tls',
  'no-answer-in-time',
  'not-a-server',
  'wrong-protocol',
  'unreachable',
  // The signaling server closed the connection.
  'flooding',
  'bad-subprotocol',
  'message-too-big',
  'going-away',
  'restarting',
  'replaced',
  'sign-in-refused',
  'sign-in-timeout',
  'slow-reader',
  'heartbeat-timeout',
  'connection-lost',
  'closed',
  // The client gave up on this server or on signing in.
  'stopped-responding',
  'impostor',
  'password-needed',
  'not-own-server',
  'key-refused',
  'wrong-password',
  'name-owned',
  'invalid-name',
  'password-unencrypted',
  'password-unusable',
  'invalid-address',
  'prepare-failed',
  'local-key-unreadable',
]);
export type ConnectionProblemCode = z.infer<typeof ConnectionProblemCode>;

export const ConnectionProblem = z.object({
  code: ConnectionProblemCode,
  /** The server's address as configured. */
  url: z.string().max(4096),
  /** Which kind of server: the app's signaling server (the default) or a SIP server. */
  server: z.enum(['signaling', 'sip']).optional(),
  /** What varies beyond the address: a certificate error code, an HTTP status, a close code, the name, a system message. */
  detail: z.string().max(4096).optional(),
  /** The name the sign-in was for (name-owned, invalid-name). */
  name: z.string().max(4096).optional(),
});
export type ConnectionProblem = z.infer<typeof ConnectionProblem>;

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** What is wrong, as a sentence without a final full stop (it may be fitted into another sentence). */
export function connectionProblemWords(problem: ConnectionProblem, t: Translate): string {
  const { url } = problem;
  const host = hostOf(url);
  const detail = problem.detail ?? '';
  const sip = problem.server === 'sip';
  /** At the start of a sentence ("Signaling server at …") and inside one ("… the signaling server at …"). */
  const server = sip ? t('SIP server') : t('Signaling server');
  const aServer = sip ? t('a SIP server') : t('a signaling server');
  const theServer = sip ? t('the SIP server') : t('the signaling server');
  switch (problem.code) {
    case 'certificate-untrusted':
      return t("The server's certificate is not trusted (self-signed or unknown issuer): {{url}}", { url });
    case 'certificate-wrong-host':
      return t("The server's certificate is for another host name, not {{host}}: {{url}}", { host, url });
    case 'certificate-expired':
      return t("The server's certificate has expired: {{url}}", { url });
    case 'certificate-not-yet-valid':
      return t("The server's certificate is not valid yet (check this computer's date and time): {{url}}", { url });
    case 'connection-refused':
      return t('{{server}} at {{url}} is not reachable (connection refused)', { server, url });
    case 'host-not-found':
      return t('{{server}} at {{url}} is not reachable (host not found)', { server, url });
    case 'no-route':
      return t('{{server}} at {{url}} is not reachable (no route to the host)', { server, url });
    case 'timed-out':
      return t('{{server}} at {{url}} is not reachable (timed out)', { server, url });
    case 'connection-reset':
      return t('The connection to {{server}} at {{url}} was reset', { server: theServer, url });
    case 'not-tls':
      return t('{{url}} does not answer with TLS (use ws:// instead of wss://, or check the port)', { url });
    case 'no-answer-in-time':
      return t('{{server}} at {{url}} did not answer in time', { server, url });
    case 'not-a-server':
      return t('{{url}} answered, but is not {{server}} (HTTP {{status}})', { url, server: aServer, status: detail });
    case 'wrong-protocol':
      return sip
        ? t('{{url}} answered, but does not speak SIP over WebSocket', { url })
        : t("{{url}} answered, but does not speak this app's signaling protocol", { url });
    case 'unreachable':
      return t('{{server}} at {{url}} is not reachable ({{reason}})', { server, url, reason: detail });
    case 'flooding':
      return t('The signaling server disconnected this app for sending too many messages');
    case 'bad-subprotocol':
      return t("Signaling server at {{url}} does not speak this app's signaling protocol", { url });
    case 'message-too-big':
      return t('The signaling server refused a message that was too large');
    case 'going-away':
      return t('{{server}} at {{url}} is shutting down', { server, url });
    case 'restarting':
      return t('{{server}} at {{url}} is restarting', { server, url });
    case 'replaced':
      return t('Signed in from another device or window');
    case 'sign-in-refused':
      return detail
        ? t('Signaling server at {{url}} refused the sign-in ({{reason}})', { url, reason: detail })
        : t('Signaling server at {{url}} refused the sign-in', { url });
    case 'sign-in-timeout':
      return t('Signaling server at {{url}} gave up waiting for this app to sign in', { url });
    case 'slow-reader':
      return t('Signaling server at {{url}} disconnected this app because it fell behind reading messages', { url });
    case 'heartbeat-timeout':
      return t('Signaling server at {{url}} stopped hearing from this app', { url });
    case 'connection-lost':
      return t('Lost the connection to {{server}} at {{url}}', { server: theServer, url });
    case 'closed':
      return t('{{server}} at {{url}} closed the connection (code {{code}})', { server, url, code: detail });
    case 'stopped-responding':
      return t('{{server}} at {{url}} stopped responding', { server, url });
    case 'impostor':
      return t("Another program is using {{url}}; it is not this app's own server", { url });
    case 'password-needed':
      return t('The server at {{host}} needs a password: enter it in Settings → Account', { host });
    case 'not-own-server':
      return t("The server at {{host}} wants a password, so it is not this app's own server", { host });
    case 'key-refused':
      return t("The server at {{host}} did not accept this app's key (is it another user's server?)", { host });
    case 'wrong-password':
      return t('Wrong name or password for {{host}}', { host });
    case 'name-owned':
      return t('The name "{{name}}" belongs to someone else on {{host}}; choose another name', { name: problem.name ?? '', host });
    case 'invalid-name':
      return detail
        ? t('The name "{{name}}" cannot be used on {{host}}: {{reason}}', { name: problem.name ?? '', host, reason: detail })
        : t('The name "{{name}}" cannot be used on {{host}}', { name: problem.name ?? '', host });
    case 'password-unencrypted':
      return t('Refusing to send your password to {{host}} unencrypted: use a wss:// address', { host });
    case 'password-unusable':
      return t('The saved password cannot be used (it is empty or too long); enter it again');
    case 'invalid-address':
      return t('Invalid signaling server address "{{url}}"', { url });
    case 'prepare-failed':
      return t('Could not prepare the connection to {{url}}: {{reason}}', { url, reason: detail });
    case 'local-key-unreadable':
      return t("Could not read this computer's key for its own server ({{reason}})", { reason: detail });
  }
}

type Advice = 'password' | 'certificate' | 'address' | 'name';

/** What the user has to change, for failures that waiting does not cure. */
const ADVICE: Partial<Record<ConnectionProblemCode, Advice>> = {
  'wrong-password': 'password',
  'password-needed': 'password',
  'password-unusable': 'password',
  'certificate-untrusted': 'certificate',
  'certificate-wrong-host': 'certificate',
  'certificate-expired': 'certificate',
  'certificate-not-yet-valid': 'certificate',
  'not-tls': 'certificate',
  'not-a-server': 'address',
  'wrong-protocol': 'address',
  'bad-subprotocol': 'address',
  impostor: 'address',
  'not-own-server': 'address',
  'key-refused': 'address',
  'name-owned': 'name',
  'invalid-name': 'name',
};

/** The kind of change a problem asks of the user, or null when retrying may cure it. */
export function adviceKind(problem: ConnectionProblem | null): Advice | null {
  return (problem && ADVICE[problem.code]) ?? null;
}
