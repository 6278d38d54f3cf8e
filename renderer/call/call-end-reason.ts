/** Why a call ended, and how to say so to the user. */
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
      return 'Call ended';
    case 'local-decline':
      return `You declined the call from ${peer}`;
    case 'remote-hangup':
      return `${peer} hung up. Call ended`;
    case 'declined':
      return `${peer} declined the call`;
    case 'busy':
      return `${peer} is busy`;
    case 'offline':
      return known ? `${peer} is offline` : `Nobody called ${peer} is signed in. Check the name, or call someone in your list`;
    case 'no-answer':
      return `No answer from ${peer}`;
    case 'missed':
      return `Missed call from ${peer}`;
    case 'failed':
      return `The call with ${peer} failed`;
    case 'media-error':
      return 'Could not open the microphone or camera';
    case 'not-connected':
      return 'Not connected to the signaling server';
  }
}
