/**
 * What SIP's numbers mean to a user: registration failures in words, and the
 * final response to a call as the cause the call engine shows.
 */
import type { CallEndCause } from '../../../common/call-messages.ts';
import { english, type Translate } from '../../../common/i18n/index.ts';

/** A refused REGISTER in words, in the language of `t` (English by default). */
export function describeRegistrationFailure(statusCode: number, reasonPhrase: string, t: Translate = english): string {
  switch (statusCode) {
    case 401:
    case 407:
      return t('Wrong user name or password');
    case 403:
      return t('The SIP server refused this account (403 Forbidden): check the user name and password');
    case 404:
      return t('The SIP server does not know this account (404 Not Found)');
    case 408:
      return t('The SIP server did not answer in time');
    case 423:
      return t('The SIP server wants another registration interval (423 Interval Too Brief)');
    default:
      return statusCode >= 500
        ? t('The SIP server failed ({{status}} {{reason}})', { status: statusCode, reason: reasonPhrase })
        : t('The SIP server refused the registration ({{status}} {{reason}})', { status: statusCode, reason: reasonPhrase });
  }
}

/** How a call we placed ended, from its final response. */
export function callEndOfResponse(statusCode: number, reasonPhrase: string, t: Translate = english): { cause: CallEndCause; message?: string } {
  switch (statusCode) {
    case 486:
    case 600:
      return { cause: 'busy' };
    case 603:
      return { cause: 'declined' };
    case 404:
    case 604:
      return { cause: 'offline', message: t('Nobody is reachable at that address (404 Not Found)') };
    case 410:
    case 480:
      return { cause: 'offline' };
    case 408:
      return { cause: 'no-answer' };
    case 487:
      return { cause: 'cancelled' };
    case 484:
      return { cause: 'failed', message: t('The number is incomplete (484 Address Incomplete)') };
    case 488:
    case 606:
      return { cause: 'failed', message: t("The other side cannot take this call's media ({{status}})", { status: `${statusCode} ${reasonPhrase}` }) };
    default:
      return { cause: 'failed', message: t('The call failed: {{status}}', { status: `${statusCode} ${reasonPhrase}` }) };
  }
}

/** The response that declines an incoming call, by the renderer's cause. */
export function declineStatus(cause: CallEndCause): number {
  if (cause === 'busy') return 486;
  if (cause === 'declined') return 603;
  return 480;
}
