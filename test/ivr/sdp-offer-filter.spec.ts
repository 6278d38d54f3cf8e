import { expect, test } from '@playwright/test';
import { MAX_OFFER_SECTIONS, offerShapeProblem } from '../../ivr/sdp-offer-filter.ts';

const session = ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 't=0 0'];
const audio = (mid?: string) => ['m=audio 9 UDP/TLS/RTP/SAVPF 0', 'c=IN IP4 0.0.0.0', ...(mid ? [`a=mid:${mid}`] : []), 'a=rtpmap:0 PCMU/8000'];
const video = (mid?: string) => ['m=video 9 UDP/TLS/RTP/SAVPF 96', 'c=IN IP4 0.0.0.0', ...(mid ? [`a=mid:${mid}`] : []), 'a=rtpmap:96 VP8/90000'];
const sdp = (...parts: string[][]) => `${parts.flat().join('\r\n')}\r\n`;

test('one section, or two BUNDLEd on one transport, are fine', () => {
  expect(MAX_OFFER_SECTIONS).toBe(2);
  expect(offerShapeProblem(sdp(session, audio('0')))).toBeNull();
  expect(offerShapeProblem(sdp(session, audio()))).toBeNull();
  expect(offerShapeProblem(sdp(session, ['a=group:BUNDLE 0 1'], audio('0'), video('1')))).toBeNull();
  expect(offerShapeProblem(sdp(session, ['a=group:BUNDLE audio video'], audio('audio'), video('video')).replace(/\r\n/g, '\n'))).toBeNull();
});

test('two sections must both be in one BUNDLE group', () => {
  expect(offerShapeProblem(sdp(session, audio('0'), video('1')))).toMatch(/not BUNDLEd/);
  expect(offerShapeProblem(sdp(session, ['a=group:BUNDLE 0'], audio('0'), video('1')))).toMatch(/not BUNDLEd/);
  expect(offerShapeProblem(sdp(session, ['a=group:BUNDLE 0', 'a=group:BUNDLE 1'], audio('0'), video('1')))).toMatch(/not BUNDLEd/);
  expect(offerShapeProblem(sdp(session, ['a=group:BUNDLE 0 1'], audio('0'), video()))).toMatch(/a=mid/);
  // A group line inside a media section is not a session-level group.
  expect(offerShapeProblem(sdp(session, audio('0'), ['a=group:BUNDLE 0 1'], video('1')))).toMatch(/not BUNDLEd/);
});

test('three or more sections, or none, are refused', () => {
  expect(offerShapeProblem(sdp(session, ['a=group:BUNDLE 0 1 2'], audio('0'), video('1'), audio('2')))).toMatch(/3 media sections; at most 2/);
  expect(offerShapeProblem(sdp(session, ['a=group:BUNDLE 0 1 2 3'], audio('0'), video('1'), audio('2'), video('3')))).toMatch(/4 media sections/);
  expect(offerShapeProblem(sdp(session))).toMatch(/no media section/);
  expect(offerShapeProblem('v=0\r\nnot an sdp')).toMatch(/no media section/);
});
