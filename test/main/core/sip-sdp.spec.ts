import { expect, test } from '@playwright/test';
import { sdpFromSip } from '../../../main/core/sip/sip-sdp.ts';

// An answer as rtpengine hands a WebRTC caller what baresip answered (shortened).
const ANSWER = [
  'v=0',
  'o=- 3119254291 1103559911 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'm=audio 48383 UDP/TLS/RTP/SAVPF 0 126',
  'c=IN IP4 127.0.0.1',
  'a=mid:0',
  'a=sendrecv',
  'a=rtcp-mux',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:126 telephone-event/8000',
  'a=ssrc-group:FID 3640847235 3640847236',
  'a=ssrc:3640847235 cname:sip:carol@127.0.0.1',
  'a=ssrc:3640847236 cname:sip:carol@127.0.0.1',
  '',
].join('\r\n');

test('SDP from SIP loses its SSRC declarations, so media from another source of the far end (early media, then the answer) still plays', () => {
  const cleaned = sdpFromSip(ANSWER);
  expect(cleaned).not.toMatch(/ssrc/);
  expect(cleaned).toBe(ANSWER.replace(/a=ssrc[^\r]*\r\n/g, ''));
  expect(cleaned.endsWith('a=rtpmap:126 telephone-event/8000\r\n')).toBe(true);
});

test('SDP without SSRC declarations, or with bare newlines, is otherwise untouched', () => {
  const plain = ANSWER.replace(/a=ssrc[^\r]*\r\n/g, '');
  expect(sdpFromSip(plain)).toBe(plain);
  expect(sdpFromSip('v=0\nm=audio 9 RTP/AVP 0\na=ssrc:1 cname:x\na=sendrecv\n')).toBe('v=0\nm=audio 9 RTP/AVP 0\na=sendrecv\n');
});
