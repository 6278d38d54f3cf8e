import { expect, test } from '@playwright/test';
import { preferMatchingTelephoneEvent, telephoneEventRatesToDecline } from '../../../renderer/call/dtmf/telephone-event-sdp.ts';

const session = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';
function audio(payloads: string, rtpmaps: string[]): string {
  return `m=audio 9 UDP/TLS/RTP/SAVPF ${payloads}\r\nc=IN IP4 0.0.0.0\r\n${rtpmaps.join('\r\n')}\r\n`;
}
const OPUS = ['a=rtpmap:111 opus/48000/2', 'a=fmtp:111 minptime=10;useinbandfec=1', 'a=rtcp-fb:111 transport-cc'];
const TE48 = ['a=rtpmap:110 telephone-event/48000', 'a=fmtp:110 0-15'];
const TE8 = ['a=rtpmap:126 telephone-event/8000', 'a=fmtp:126 0-15'];
const PCMU = ['a=rtpmap:0 PCMU/8000'];

test('an Opus answer with both telephone events keeps only the 48000 one', () => {
  const answer = session + audio('111 110 126', [...OPUS, ...TE48, ...TE8]);
  expect(preferMatchingTelephoneEvent(answer)).toBe(session + audio('111 110', [...OPUS, ...TE48]));
});

test('a PCMU answer with both keeps only the 8000 one', () => {
  const answer = session + audio('0 110 126', [...PCMU, ...TE48, ...TE8]);
  expect(preferMatchingTelephoneEvent(answer)).toBe(session + audio('0 126', [...PCMU, ...TE8]));
});

test('answers with one telephone event, none matching, or none at all are left alone', () => {
  for (const answer of [
    session + audio('111 126', [...OPUS, ...TE8]),
    session + audio('111 110', [...OPUS, ...TE48]),
    session + audio('111', OPUS),
  ]) {
    expect(preferMatchingTelephoneEvent(answer)).toBe(answer);
  }
});

test('video sections are not touched', () => {
  const video = 'm=video 9 UDP/TLS/RTP/SAVPF 96 126\r\na=rtpmap:96 VP8/90000\r\na=rtpmap:126 telephone-event/8000\r\n';
  const answer = session + audio('111 110 126', [...OPUS, ...TE48, ...TE8]) + video;
  expect(preferMatchingTelephoneEvent(answer)).toBe(session + audio('111 110', [...OPUS, ...TE48]) + video);
});

test('answering an Opus offer with both telephone events declines the 8000 one; other offers need nothing', () => {
  expect(telephoneEventRatesToDecline(session + audio('111 110 126', [...OPUS, ...TE48, ...TE8]))).toEqual([8000]);
  expect(telephoneEventRatesToDecline(session + audio('0 111 110 126', [...PCMU, ...OPUS, ...TE48, ...TE8]))).toEqual([]);
  expect(telephoneEventRatesToDecline(session + audio('111 126', [...OPUS, ...TE8]))).toEqual([]);
  expect(telephoneEventRatesToDecline(session)).toEqual([]);
});
