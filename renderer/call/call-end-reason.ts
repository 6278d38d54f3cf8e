/** Why a call ended, and how to say so to the user. */
import { t } from '../../common/i18n/index.ts';
export type CallEndReason =
  | 'local-hangup'
  | 'local-decline'
  | 'remote-hangup'
  | 'declined'
  | 'busy'
  | 'offline'
  | 'no-answer'
  | 'missed'
  | 'failed'
  | 'media-error'
  | 'not-connected';

/** `known`: the user has this peer in their list (or saw them online); an unknown name that is not online is nobody at all. */
export function describeEnd(reason: CallEndReason, peer: string, known = true): string {
  switch (reason) {
    case 'local-hangup':
      return t('Call ended');
    case 'local-decline':
      return t('You declined the call from {{name}}', { name: peer });
    case 'remote-hangup':
      return t('{{name}} hung up. Call ended', { name: peer });
    case 'declined':
      return t('{{name}} declined the call', { name: peer });
    case 'busy':
      return t('{{name}} is busy', { name: peer });
    case 'offline':
      return known ? t('{{name}} is offline', { name: peer }) : t('Nobody called {{name}} is signed in. Check the name, or call someone in your list', { name: peer });
    case 'no-answer':
      return t('No answer from {{name}}', { name: peer });
    case 'missed':
      return t('Missed call from {{name}}', { name: peer });
    case 'failed':
      return t('The call with {{name}} failed', { name: peer });
    case 'media-error':
      return t('Could not open the microphone or camera');
    case 'not-connected':
      return t('Not connected to the signaling server');
  }
}
