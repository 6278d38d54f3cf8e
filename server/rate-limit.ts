/**
 * Budgets the server keeps per client and per address: token buckets for
 * messages and renames, and a throttle on failed password attempts.
 */

export interface RateLimit {
  /** Sustained rate a client may send at. */
  messagesPerSecond: number;
  /** How many messages a client may send at once after being quiet (ICE candidates come in bursts). */
  burst: number;
}

/**
 * Generous enough for any real call: a call's ICE candidates (a few dozen at
 * once), fast DTMF over signaling (a message per key at 10–20 keys/s) and
 * renegotiation together stay far below it.
 */
export const DEFAULT_RATE_LIMIT: RateLimit = { messagesPerSecond: 50, burst: 200 };

/**
 * A client that keeps sending after its budget ran out is dropped once it has
 * sent this many times its burst in one go: by then it is not a hiccup.
 */
const FLOOD_MULTIPLE_BEFORE_CLOSE = 5;

export class TokenBucket {
  private tokens: number;
  private lastRefillAt: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now = performance.now(),
  ) {
    this.tokens = burst;
    this.lastRefillAt = now;
  }

  /** Refills for the time passed; returns how much was added. */
  refill(now = performance.now()): number {
    const added = ((now - this.lastRefillAt) / 1000) * this.perSecond;
    this.lastRefillAt = now;
    this.tokens = Math.min(this.burst, this.tokens + added);
    return added;
  }

  take(now = performance.now()): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Whether a take() would succeed now, without taking. */
  hasToken(now = performance.now()): boolean {
    this.refill(now);
    return this.tokens >= 1;
  }

  /** Whether the bucket is back to full, i.e. forgets everything (lets a keyed map drop it). */
  isFull(now = performance.now()): boolean {
    this.refill(now);
    return this.tokens >= this.burst;
  }
}

/** A token bucket plus a tally of how far over budget the client has gone. */
export class FloodGuard {
  private readonly bucket: TokenBucket;
  private overBudget = 0;

  constructor(private readonly limit: RateLimit) {
    this.bucket = new TokenBucket(limit.messagesPerSecond, limit.burst);
  }

  admit(): 'accept' | 'drop' | 'disconnect' {
    const now = performance.now();
    if (this.bucket.take(now)) {
      this.overBudget = 0;
      return 'accept';
    }
    // Slowing down earns forgiveness at the same rate the budget refills (refilled by take() above).
    this.overBudget += 1;
    const tolerated = (FLOOD_MULTIPLE_BEFORE_CLOSE - 1) * this.limit.burst;
    return this.overBudget > tolerated ? 'disconnect' : 'drop';
  }
}

/** Renames: a few at once, then one every few seconds. Each one costs every client a presence update. */
export function renameBudget(): TokenBucket {
  return new TokenBucket(1 / 6, 10);
}

/**
 * Failed password attempts per client address: a few mistakes are free, then
 * one attempt every 12 s. Entries that refilled completely are forgotten, so
 * the map only holds addresses that failed recently.
 */
export class FailureThrottle {
  private readonly buckets = new Map<string, TokenBucket>();
  private sweepAt = 0;

  constructor(
    private readonly perSecond = 1 / 12,
    private readonly burst = 5,
  ) {}

  /** Whether this address may try a password now. */
  allows(address: string): boolean {
    return this.buckets.get(address)?.hasToken() ?? true;
  }

  recordFailure(address: string): void {
    let bucket = this.buckets.get(address);
    if (!bucket) {
      bucket = new TokenBucket(this.perSecond, this.burst);
      this.buckets.set(address, bucket);
    }
    bucket.take();
    this.sweep();
  }

  private sweep(): void {
    const now = performance.now();
    if (now < this.sweepAt) return;
    this.sweepAt = now + 60_000;
    for (const [address, bucket] of this.buckets) if (bucket.isFull(now)) this.buckets.delete(address);
  }
}
