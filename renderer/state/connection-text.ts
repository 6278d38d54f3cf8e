/**
 * The connection line's words: where we are, what went wrong (main's problem
 * code, fitted into one sentence), and what the user can do about it.
 */
import type { ConnectionState } from '../../common/ipc-contract.ts';
import { adviceKind, connectionProblemWords } from '../../common/connection-problem.ts';
import { t } from '../../common/i18n/index.ts';

/** An error as a clause inside our own sentence: no trailing full stop, first letter kept. */
function clause(text: string): string {
  return text.trim().replace(/[.\s]+$/, '');
}

export function describeConnection(state: ConnectionState): string {
  const problem = state.problem ? connectionProblemWords(state.problem, t) : null;
  switch (state.status) {
    case 'connected':
      return state.signedInAs ? t('Online as {{name}}', { name: state.signedInAs }) : t('Connected, signing in…');
    case 'connecting':
      return t('Connecting to {{server}}…', { server: state.serverUrl });
    case 'reconnecting': {
      const reason = clause(problem ?? t('connection lost'));
      return state.retryInMs === null
        ? t('Offline: {{reason}}. Reconnecting (attempt {{attempt}})…', { reason, attempt: state.attempt })
        : t('Offline: {{reason}}. Reconnecting in {{seconds}} s (attempt {{attempt}})…', { reason, attempt: state.attempt, seconds: Math.max(1, Math.round(state.retryInMs / 1000)) });
    }
    case 'failed':
      return t('Cannot connect: {{reason}}.', { reason: clause(problem ?? t('the server refused the connection')) });
  }
}

/**
 * What the user can do about a failure, or null when waiting is all there is
 * to do (the app retries by itself). While retrying, advice appears only for
 * what retrying cannot fix: the server, the port or the sign-in details.
 */
export function adviceFor(state: ConnectionState): string | null {
  const kind = adviceKind(state.problem);
  if (state.status !== 'failed' && !(state.status === 'reconnecting' && kind)) return null;
  switch (kind) {
    case 'password':
      return t('Check the name and password in Settings → Account.');
    case 'certificate':
      return t('Check the server address in Settings → Account, or ask the server’s owner about its certificate.');
    case 'address':
      return t('Choose another server address in Settings → Account.');
    case 'name':
      return t('Choose another name in Settings → Account.');
    default:
      return t('Check the server address in Settings → Account.');
  }
}
