/**
 * A routed signal's text says exactly what JSON.stringify of the validated
 * message says, however the sender wrote its frame; only its SDP's escapes
 * are the sender's.
 */
import { test, expect } from '@playwright/test';
import { parseClientMessage, type RoutedMessage } from '../../common/signaling-protocol.ts';
import { routedText } from '../../server/routed-text.ts';
import { offerSdp } from './support.ts';

function validated(frame: string): RoutedMessage {
  const result = parseClientMessage(frame);
  if (!result.ok) throw new Error(`${frame} did not validate: ${result.error}`);
  const message = result.message as RoutedMessage;
  // As the server stamps it before routing.
  message.name = 'alice';
  message.sid = 'sid-1';
  return message;
}

const frames = [
  // As a softphone sends it.
  JSON.stringify({ type: 'video-offer', target: 'bob', callId: 'c1', video: true, sdp: offerSdp, features: ['dtmf-signaling'] }),
  // Fields the server does not know, inside the description and beside it; a forged sender.
  JSON.stringify({ type: 'video-answer', name: 'mallory', target: ' bob ', sdp: { type: 'answer', sdp: 'v=0\r\n"quoted" \\ é 😀\u2028', extra: 1 }, more: { sdp: 'x' } }),
  // Written by hand: spaces, a duplicate description (the last wins), an escaped member name.
  '{ "type" : "video-offer" , "target":"bob", "sdp": {"sdp":"first","type":"offer"}, "\\u0073dp" : { "type":"offer", "s\\u0064p" : "v=0\\r\\n\\u00e9\\/" } }',
  // Not an offer or answer: serialised as it is.
  JSON.stringify({ type: 'new-ice-candidate', target: 'bob', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0' } }),
  JSON.stringify({ type: 'hang-up', target: 'bob', reason: 'busy' }),
];

for (const [index, frame] of frames.entries()) {
  test(`says what JSON.stringify of the validated message says (frame ${index + 1})`, () => {
    const message = validated(frame);
    const expected = JSON.parse(JSON.stringify(message));
    const text = routedText(message, frame);
    expect(JSON.parse(text)).toEqual(expected);
    // Nothing the validation dropped slips through, whatever its name.
    expect(text).not.toContain('extra');
    expect(text).not.toContain('mallory');
    expect(text).not.toContain('first');
  });
}

test('passes the SDP on as the sender escaped it', () => {
  const frame = '{"type":"video-offer","target":"bob","sdp":{"type":"offer","sdp":"v=0\\r\\n\\u00e9"}}';
  expect(routedText(validated(frame), frame)).toContain('"sdp":"v=0\\r\\n\\u00e9"');
});
