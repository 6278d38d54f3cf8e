/**
 * The text a routed signal travels on as: the validated message, stamped
 * with its sender, serialised. Only validated fields travel, as
 * JSON.stringify(message) would write them; the session description's SDP,
 * most of an offer or answer, is passed on as the sender wrote it (the same
 * string, already escaped) instead of being escaped again.
 */
import type { RoutedMessage } from '../common/signaling-protocol.ts';
import { stringSource } from './json-source.ts';

const SDP_PATH = ['sdp', 'sdp'] as const;

/**
 * `message` serialised for its recipient. `frame` is the text `message` was
 * parsed from: the source of its SDP is taken from there.
 */
export function routedText(message: RoutedMessage, frame: string): string {
  if (message.type !== 'video-offer' && message.type !== 'video-answer') return JSON.stringify(message);
  const sdpSource = stringSource(frame, SDP_PATH);
  // A validated offer or answer always has one; if `frame` were not its source, the safe way still works.
  if (sdpSource === null) return JSON.stringify(message);
  // The rest as JSON.stringify writes it (undefined members are left out), the description last.
  // `rest` is never `{}`: `type` and `target` are required, so the comma below always follows a member.
  const rest = JSON.stringify({ ...message, sdp: undefined });
  return `${rest.slice(0, -1)},"sdp":{"type":${JSON.stringify(message.sdp.type)},"sdp":${sdpSource}}}`;
}
