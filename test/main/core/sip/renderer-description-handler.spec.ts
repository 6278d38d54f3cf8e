/** SIP.js's offer/answer hooks, as the renderer's peer connection sees them through call events. */
import { expect, test } from '@playwright/test';
import { RendererDescriptionHandler } from '../../../../main/core/sip/renderer-description-handler.ts';

function recorder() {
  const seen: string[] = [];
  return { seen, events: { answered: (sdp: string) => seen.push(`answered ${sdp}`), offered: (sdp: string) => seen.push(`offered ${sdp}`) } };
}

test('a call we place: SIP.js sends our offer, and the far end’s answer reaches the renderer once', async () => {
  const { seen, events } = recorder();
  const handler = new RendererDescriptionHandler(events, { ownOffer: 'our-offer' });
  expect(await handler.getDescription()).toEqual({ body: 'our-offer', contentType: 'application/sdp' });
  await handler.setDescription('their-answer');
  expect(seen).toEqual(['answered their-answer']);
  // A re-INVITE later: the renderer is asked to answer, and SIP.js waits for it.
  await handler.setDescription('new-offer');
  const answer = handler.getDescription();
  handler.supply('our-new-answer');
  expect(await answer).toEqual({ body: 'our-new-answer', contentType: 'application/sdp' });
  expect(seen).toEqual(['answered their-answer', 'offered new-offer']);
});

test('a call that came in: its offer was shown with the ring, so accepting only hands SIP.js the renderer’s answer', async () => {
  const { seen, events } = recorder();
  const handler = new RendererDescriptionHandler(events, { incomingOfferShown: true });
  handler.supply('our-answer');
  await handler.setDescription('their-offer');
  expect(await handler.getDescription()).toEqual({ body: 'our-answer', contentType: 'application/sdp' });
  expect(seen).toEqual([]);
});

test('it never makes up an offer mid-call, and a hang-up while SIP.js waits for the renderer fails that wait', async () => {
  const { events } = recorder();
  const placed = new RendererDescriptionHandler(events, { ownOffer: 'o' });
  await placed.getDescription();
  await placed.setDescription('a');
  await expect(placed.getDescription()).rejects.toThrow('does not start a new offer');

  const handler = new RendererDescriptionHandler(events, { incomingOfferShown: true });
  await handler.setDescription('their-offer');
  const waiting = handler.getDescription();
  handler.close();
  await expect(waiting).rejects.toThrow('The call has ended');
  expect(handler.hasDescription('application/sdp; charset=utf-8')).toBe(true);
  expect(handler.hasDescription('text/plain')).toBe(false);
  expect(handler.sendDtmf()).toBe(false);
});
