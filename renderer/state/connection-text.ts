/**
 * The connection line's words: where we are, what went wrong (main's words,
 * fitted into one sentence), and what the user can do about it.
 */
import type { ConnectionState } from '../../common/ipc-contract.ts';
import { t } from '../../common/i18n/index.ts';

/** An error as a clause inside our own sentence: no trailing full stop, first letter kept. */
function clause(text: string): string {
  return text.trim().replace(/[.\s]+$/, '');
}

export function describeConnection(state: ConnectionState): string {
  switch (state.status) {
    case 'connected':
      return state.signedInAs ? t('Online as {{name}}', { name: state.signedInAs }) : t('Connected, signing in…');
    case 'connecting':
      return t('Connecting to {{server}}…', { server: state.serverUrl });
    case 'reconnecting': {
      const reason = clause(state.lastError ?? t('connection lost'));
      return state.retryInMs === null
        ? t('Offline: {{reason}}. Reconnecting (attempt {{attempt}})…', { reason, attempt: state.attempt })
        : t('Offline: {{reason}}. Reconnecting in {{seconds}} s (attempt {{attempt}})…', { reason, attempt: state.attempt, seconds: Math.max(1, Math.round(state.retryInMs / 1000)) });
    }
    case 'failed':
      return t('Cannot connect: {{reason}}.', { reason: clause(state.lastError ?? t('the server refused the connection')) });
  }
}

/** Failures that waiting does not cure: the user has to change the server, the port or the sign-in details. */
const NEEDS_THE_USER = /password|credential|auth|name|certificate|tls|ssl|port|in use|another program|not a signaling server|protocol/i;

/**
 * What the user can do about a failure, or null when waiting is all there is
 * to do (the app retries by itself).
 */
export function adviceFor(state: ConnectionState): string | null {
  const error = state.lastError ?? '';
  if (state.status !== 'failed' && !(state.status === 'reconnecting' && NEEDS_THE_USER.test(error))) return null;
  if (/password|credential|auth/i.test(error)) return t('Check the name and password in Settings → Account.');
  if (/certificate|tls|ssl/i.test(error)) return t('Check the server address in Settings → Account, or ask the server’s owner about its certificate.');
  if (/port|in use|another program|not a signaling server|protocol/i.test(error)) return t('Choose another server address in Settings → Account.');
  if (/name/i.test(error)) return t('Choose another name in Settings → Account.');
  return t('Check the server address in Settings → Account.');
}
