/**
 * How long to wait before reconnect attempt N: exponential backoff with "full
 * jitter", so many clients that lost the same server do not all come back in
 * the same millisecond.
 */

export interface BackoffOptions {
  /** Upper bound of the first delay. */
  initialMs: number;
  /** The delay never grows beyond this. */
  maxMs: number;
  /** The delay never drops below this, so a lost server is not hammered. Default 100. */
  floorMs?: number;
}

/** Returns a number in [0, 1), like Math.random. */
export type RandomSource = () => number;

const DEFAULT_FLOOR_MS = 100;
/** 2^30 already dwarfs any sensible maxMs; capping it keeps the arithmetic finite. */
const MAX_DOUBLINGS = 30;

/**
 * The delay before retry number `attempt` (0 for the first retry): random
 * between 0 and min(maxMs, initialMs * 2^attempt), but at least the floor.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions, random: RandomSource = Math.random): number {
  const floorMs = options.floorMs ?? DEFAULT_FLOOR_MS;
  const doublings = Math.min(Math.max(0, Math.floor(attempt)), MAX_DOUBLINGS);
  const ceilingMs = Math.min(options.maxMs, options.initialMs * 2 ** doublings);
  const sample = Math.min(Math.max(random(), 0), 1);
  return Math.round(Math.max(floorMs, sample * ceilingMs));
}
