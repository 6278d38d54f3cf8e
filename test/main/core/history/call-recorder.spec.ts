/** How each way a call can go ends up in the history. */
import { expect, test } from '@playwright/test';
import type { CallEvent } from '../../../../common/call-messages.ts';
import type { HistoryEntry } from '../../../../common/history-schema.ts';
import { CallRecorder } from '../../../../main/core/history/call-recorder.ts';

const sdp = { type: 'offer' as const, sdp: 'v=0\r\n' };

function setup() {
  const recorded: HistoryEntry[] = [];
  let clock = 1_000;
  const recorder = new CallRecorder((entry) => recorded.push(entry), () => (clock += 1_000));
  const incoming = (callId: string): CallEvent => ({ kind: 'incoming', callId, account: 'sip-a1', from: '1001@pbx', displayName: 'Bob', offer: sdp, video: true, trickle: false, features: [] });
  const place = (callId: string) => recorder.command({ kind: 'place', callId, account: 'app', to: 'Bob', video: false, offer: sdp });
  return { recorded, recorder, incoming, place };
}

test('outgoing: answered (with its answer time), busy, declined, no answer, cancelled by us, failed to place', () => {
  const { recorded, recorder, place } = setup();
  place('a');
  recorder.event({ kind: 'answer', callId: 'a', answer: sdp, early: false, features: [] });
  recorder.command({ kind: 'end', callId: 'a', cause: 'hangup' });
  place('b');
  recorder.event({ kind: 'end', callId: 'b', cause: 'busy' });
  place('c');
  recorder.event({ kind: 'end', callId: 'c', cause: 'declined' });
  place('d');
  recorder.event({ kind: 'end', callId: 'd', cause: 'offline' });
  place('e');
  recorder.command({ kind: 'end', callId: 'e', cause: 'cancelled' });
  place('f');
  recorder.placeFailed('f');
  expect(recorded.map((e) => [e.id, e.direction, e.outcome])).toEqual([
    ['a', 'outgoing', 'answered'],
    ['b', 'outgoing', 'busy'],
    ['c', 'outgoing', 'declined'],
    ['d', 'outgoing', 'no-answer'],
    ['e', 'outgoing', 'cancelled'],
    ['f', 'outgoing', 'failed'],
  ]);
  expect(recorded[0]).toMatchObject({ startedAt: 2_000, answeredAt: 3_000, endedAt: 4_000, address: 'Bob', account: 'app', video: false });
});

test('early media is not an answer: only the 200 (accepted) is', () => {
  const { recorded, recorder, place } = setup();
  place('a');
  recorder.event({ kind: 'answer', callId: 'a', answer: sdp, early: true, features: [] });
  recorder.event({ kind: 'end', callId: 'a', cause: 'busy' });
  place('b');
  recorder.event({ kind: 'answer', callId: 'b', answer: sdp, early: true, features: [] });
  recorder.event({ kind: 'accepted', callId: 'b' });
  recorder.event({ kind: 'end', callId: 'b', cause: 'hangup' });
  expect(recorded.map((e) => e.outcome)).toEqual(['busy', 'answered']);
});

test('incoming: answered, declined, missed when the caller gives up, missed when we were busy', () => {
  const { recorded, recorder, incoming } = setup();
  recorder.event(incoming('a'));
  recorder.command({ kind: 'answer', callId: 'a', answer: sdp });
  recorder.event({ kind: 'end', callId: 'a', cause: 'hangup' });
  recorder.event(incoming('b'));
  recorder.command({ kind: 'end', callId: 'b', cause: 'declined' });
  recorder.event(incoming('c'));
  recorder.event({ kind: 'end', callId: 'c', cause: 'cancelled' });
  recorder.event(incoming('d'));
  recorder.command({ kind: 'end', callId: 'd', cause: 'busy' });
  expect(recorded.map((e) => [e.id, e.direction, e.outcome])).toEqual([
    ['a', 'incoming', 'answered'],
    ['b', 'incoming', 'declined'],
    ['c', 'incoming', 'missed'],
    ['d', 'incoming', 'missed'],
  ]);
  expect(recorded[0]).toMatchObject({ address: '1001@pbx', displayName: 'Bob', account: 'sip-a1', video: true });
});
