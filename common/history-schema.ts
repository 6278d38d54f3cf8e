/**
 * One call in the call history, as main records it and the History tab shows
 * it. Main decides the outcome from what passed through the call
 * switchboard, so it does not depend on a renderer that may have reloaded.
 */
import { z } from 'zod';
import { AccountId } from './call-messages.ts';

export const CallOutcome = z.enum([
  'answered',
  /** An incoming call nobody answered: the caller gave up, or we were busy in another call. */
  'missed',
  'declined',
  'busy',
  /** An outgoing call the other side did not answer (or was not reachable). */
  'no-answer',
  /** We hung up an outgoing call before it was answered. */
  'cancelled',
  'failed',
]);
export type CallOutcome = z.infer<typeof CallOutcome>;

export const HistoryEntry = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  direction: z.enum(['incoming', 'outgoing']),
  outcome: CallOutcome,
  /** The app account or the SIP account it went through. */
  account: AccountId,
  /** Whom: an app user name, a SIP address or a number. */
  address: z.string().min(1).max(256),
  /** The caller's display name, when the network gave one. */
  displayName: z.string().max(128).nullable(),
  video: z.boolean(),
  /** Epoch milliseconds. */
  startedAt: z.number().int().nonnegative(),
  answeredAt: z.number().int().nonnegative().nullable(),
  endedAt: z.number().int().nonnegative(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

/** How many of the newest entries main pushes with every change; older ones are paged. */
export const RECENT_HISTORY = 200;
export const MAX_HISTORY_PAGE = 500;

/** What the renderer keeps current: the newest calls and how many missed calls were not seen yet. */
export const HistorySummary = z.object({
  recent: z.array(HistoryEntry).max(RECENT_HISTORY),
  total: z.number().int().nonnegative(),
  unseenMissed: z.number().int().nonnegative(),
});
export type HistorySummary = z.infer<typeof HistorySummary>;

export const HistoryPageRequest = z
  .object({
    /** Entries that started before this (epoch ms); absent = the newest. */
    before: z.number().int().nonnegative().optional(),
    limit: z.number().int().min(1).max(MAX_HISTORY_PAGE),
  })
  .strict();
export const HistoryPage = z.object({ entries: z.array(HistoryEntry), more: z.boolean() });
export type HistoryPage = z.infer<typeof HistoryPage>;
