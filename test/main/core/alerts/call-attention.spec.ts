/** When a ringing call shows a notification, flashes the taskbar and changes the title. */
import { expect, test } from '@playwright/test';
import type { CallEvent } from '../../../../common/call-messages.ts';
import { APP_TITLE, CallAttention, type Attention } from '../../../../main/core/alerts/call-attention.ts';

const offer = { type: 'offer' as const, sdp: 'v=0\r\n' };
const incoming = (callId: string, from = 'Alice', displayName?: string): CallEvent => ({
  kind: 'incoming',
  callId,
  account: 'app',
  from,
  ...(displayName ? { displayName } : {}),
  offer,
  video: false,
  trickle: true,
  features: [],
});

function setup() {
  const applied: Attention[] = [];
  const attention = new CallAttention((a) => applied.push(a));
  return { applied, attention };
}

test('the window in front: no notification, no flash, but the title says who calls; the end puts it back', () => {
  const { applied, attention } = setup();
  attention.callEvent(incoming('c1'));
  expect(applied.at(-1)).toEqual({ notification: null, flash: false, windowTitle: `Incoming call from Alice – ${APP_TITLE}` });
  attention.callEvent({ kind: 'end', callId: 'c1', cause: 'cancelled' });
  expect(applied.at(-1)).toEqual({ notification: null, flash: false, windowTitle: APP_TITLE });
});

test('the window behind or hidden: a notification with the caller, and the taskbar flashes, until the call is answered', () => {
  const { applied, attention } = setup();
  attention.windowInFront(false);
  expect(applied).toEqual([]);
  attention.callEvent(incoming('c1', '1001@pbx.example.org', 'Bob Example'));
  expect(applied.at(-1)).toEqual({
    notification: { callId: 'c1', title: 'Incoming call from Bob Example', body: 'Audio call' },
    flash: true,
    windowTitle: `Incoming call from Bob Example – ${APP_TITLE}`,
  });
  // Bringing the window forward removes the notification: the ringing panel is there.
  attention.windowInFront(true);
  expect(applied.at(-1)).toMatchObject({ notification: null, flash: false });
  attention.windowInFront(false);
  attention.callHandled('c1');
  expect(applied.at(-1)).toEqual({ notification: null, flash: false, windowTitle: APP_TITLE });
});

test('a second caller while one rings does not replace the first; events of other calls change nothing', () => {
  const { applied, attention } = setup();
  attention.windowInFront(false);
  attention.callEvent(incoming('c1'));
  const count = applied.length;
  attention.callEvent(incoming('c2', 'Mallory'));
  attention.callEvent({ kind: 'end', callId: 'c2', cause: 'cancelled' });
  attention.callEvent({ kind: 'ringing', callId: 'c9' });
  expect(applied).toHaveLength(count);
  expect(attention.state.notification?.title).toBe('Incoming call from Alice');
});
