/**
 * An updater error in words a user can act on. electron-updater reports
 * Chromium's network codes (`net::ERR_INTERNET_DISCONNECTED`), Node's
 * (`ENOTFOUND`) and its own (`ERR_UPDATER_NO_PUBLISHED_VERSIONS`), often
 * wrapped in each other with a stack trace attached; the two causes people
 * meet most, being offline and there being no release yet, get sentences of
 * their own, anything else its first line.
 */
import { english, type Translate } from '../../../common/i18n/index.ts';

export interface UpdateErrorFacts {
  message: string;
  /** electron-updater's or Node's error code, when there is one. */
  code?: string;
}

// Checked first: a release-feed error wraps the network error that caused it.
const OFFLINE =
  /net::ERR_(INTERNET_DISCONNECTED|NAME_NOT_RESOLVED|NAME_RESOLUTION_FAILED|CONNECTION_\w+|ADDRESS_UNREACHABLE|NETWORK_\w+|TIMED_OUT|PROXY_\w+|TUNNEL_CONNECTION_FAILED)|\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH)\b/;

const NO_RELEASE_CODES = new Set(['ERR_UPDATER_NO_PUBLISHED_VERSIONS', 'ERR_UPDATER_LATEST_VERSION_NOT_FOUND']);

/** The longest reason shown: the rest of a long message is for the log. */
const MAX_REASON_LENGTH = 200;

/** Words for a well-known cause, or null when only the error's own message can say it. */
export function knownUpdateProblem({ message, code }: UpdateErrorFacts, t: Translate = english): string | null {
  if (OFFLINE.test(message) || (code !== undefined && OFFLINE.test(code))) {
    return t('The update server could not be reached. Check the internet connection and try again.');
  }
  if ((code !== undefined && NO_RELEASE_CODES.has(code)) || /No published versions/i.test(message)) {
    return t('No release of Softphone has been published to update from yet.');
  }
  if (code === 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND') return t('The newest release of Softphone has no update for this system.');
  // Packaged without a publish configuration: electron-builder wrote no app-update.yml.
  if (/app-update\.yml/.test(message) && (code === 'ENOENT' || /ENOENT/.test(message))) {
    return t('This copy of Softphone was built without a release feed, so it cannot update itself.');
  }
  return null;
}

/** The error's own message, first line only and without electron-updater's "Error: " prefixes. */
export function errorReason({ message }: UpdateErrorFacts): string {
  const firstLine = (message.split('\n').find((line) => line.trim() !== '') ?? message).trim();
  const reason = firstLine.replace(/^(\w*Error: )+/, '');
  return reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH - 1)}…` : reason;
}
