import { expect, test } from '@playwright/test';
import { answerWithG711ForKeys, audioCodecOrder, preferMatchingTelephoneEvent, telephoneEventRatesToDecline } from '../../../renderer/call/dtmf/telephone-event-sdp.ts';

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

test.describe('answering a telephone system whose keys run at 8000 Hz only', () => {
  const PCMA = ['a=rtpmap:8 PCMA/8000'];
  test('Opus, PCMU and telephone-event/8000 only: answer with G.711, so keys are decodable', () => {
    expect(answerWithG711ForKeys(session + audio('111 0 126', [...OPUS, ...PCMU, ...TE8]))).toBe(true);
    expect(answerWithG711ForKeys(session + audio('0 8 126', [...PCMU, ...PCMA, ...TE8]))).toBe(true);
  });
  test('a telephone-event/48000 offered, no telephone events, or no G.711: nothing to change', () => {
    expect(answerWithG711ForKeys(session + audio('111 0 110 126', [...OPUS, ...PCMU, ...TE48, ...TE8]))).toBe(false);
    expect(answerWithG711ForKeys(session + audio('111 0', [...OPUS, ...PCMU]))).toBe(false);
    expect(answerWithG711ForKeys(session + audio('111 126', [...OPUS, ...TE8]))).toBe(false);
  });
  test('the codec order puts G.711 first and leaves declined telephone events out', () => {
    const codecs = ['audio/opus/48000', 'audio/red/48000', 'audio/PCMU/8000', 'audio/PCMA/8000', 'audio/telephone-event/48000', 'audio/telephone-event/8000'].map((c) => {
      const [kind, name, rate] = c.split('/');
      return { mimeType: `${kind}/${name}`, clockRate: Number(rate) };
    });
    const order = audioCodecOrder(codecs, { g711First: true, declinedRates: [48000] }).map((c) => `${c.mimeType}/${c.clockRate}`);
    expect(order).toEqual(['audio/PCMU/8000', 'audio/PCMA/8000', 'audio/opus/48000', 'audio/red/48000', 'audio/telephone-event/8000']);
    expect(audioCodecOrder(codecs, { g711First: false, declinedRates: [] })).toEqual(codecs);
  });
});
