import type { RateSource } from './turns.ts';

/** A tenant's call rate as the settings give it (`NCORE_RATE_LIMIT`, `NCORE_RATE_BURST`). */
export interface RateSettings {
  /** Calls per second for one tenant, across every instance. */
  readonly perSecond: number;
  /** Calls that may go at once after a quiet spell, on top of which the rate holds. */
  readonly burst: number;
}

/**
 * How a 429 from nCore moves the rate (additive increase, multiplicative decrease, as TCP finds a path's capacity):
 * nCore's quota may be lower than configured (another client of the tenant, a plan changed), and hammering it
 * costs every caller a refusal. The same numbers drive the local bucket here and the shared one (sharedRate.ts).
 */
export const AIMD = {
  /** A 429 multiplies the tenant's rate by this. */
  decrease: 0.5,
  /**
   * Each second without one gives back this share of the rate the 429 came at: the rate is back where it was
   * refused ten seconds after halving, so a quota lower than configured costs a refusal about every ten seconds.
   */
  recovery: 0.05,
  /** 429s within this of a decrease answer calls sent before it, at the old rate: they do not decrease it again. */
  holdMs: 1_000,
  /** Never slower than this many calls per second for a tenant (a local share: its share of it). */
  floor: 1,
  /** The longest one 429's `Retry-After` holds a tenant's calls back, whatever nCore asks for. */
  maxPauseMs: 60_000,
} as const;

/** Turns handed out by one ask, and when fewer than asked for, how long until the next one comes. */
export interface Grant {
  readonly granted: number;
  readonly waitMs: number;
}

/**
 * GCRA (the generic cell rate algorithm, a token bucket kept as one timestamp): `tat` is when the bucket would be
 * full again, each turn moves it on by one interval `T = 1000 / rate` ms, and a turn is free while
 * `tat - now <= tau`, the burst in time (`burst / perSecond` s, so a slowed rate also slows its burst). AIMD moves
 * the rate within [floor, perSecond]. One bucket serves one tenant in one process: the whole rate without Redis,
 * an instance's share of it while Redis is away; Redis runs the same arithmetic for every instance at once.
 */
export class RateBucket {
  #tat: number;
  #rate: number;
  /** Calls per second regained per second since the last 429 (0 before any). */
  #step = 0;
  /** When the rate was last brought up to date. */
  #at: number;
  /** Until when a further 429 does not decrease the rate again. */
  #hold = 0;
  /** No turn before this: nCore's `Retry-After`. */
  #pausedUntil = 0;
  readonly #floor: number;

  constructor(
    private readonly settings: RateSettings,
    private readonly now: () => number = Date.now,
    options: { rate?: number; floor?: number; empty?: boolean } = {},
  ) {
    const at = now();
    this.#at = at;
    this.#floor = Math.min(settings.perSecond, options.floor ?? AIMD.floor);
    this.#rate = Math.min(settings.perSecond, Math.max(this.#floor, options.rate ?? settings.perSecond));
    // An empty bucket adds no burst of its own: for an instance taking over its share from Redis mid-flight.
    this.#tat = options.empty ? at + this.#tau(1000 / this.#rate) : at;
  }

  /** Calls per second in force now (below `perSecond` after a 429, until it recovers). */
  get rate(): number {
    this.#recover(this.now());
    return this.#rate;
  }

  /** Takes up to `want` turns now. */
  take(want: number): Grant {
    const now = this.now();
    this.#recover(now);
    if (now < this.#pausedUntil) return { granted: 0, waitMs: this.#pausedUntil - now };
    const interval = 1000 / this.#rate;
    const tau = this.#tau(interval);
    const tat = Math.max(this.#tat, now);
    const free = Math.floor((now + tau - tat) / interval + 1e-9);
    const granted = Math.max(0, Math.min(want, free));
    this.#tat = tat + granted * interval;
    const waitMs = granted < want ? Math.max(0, this.#tat + interval - tau - now) : 0;
    return { granted, waitMs };
  }

  /** The soonest `n` turns could all be had (ms from now) if no one else asked meanwhile. */
  soonest(n: number): number {
    const now = this.now();
    this.#recover(now);
    const interval = 1000 / this.#rate;
    return Math.max(0, this.#pausedUntil - now, Math.max(this.#tat, now) + n * interval - this.#tau(interval) - now);
  }

  /**
   * nCore answered 429: the rate decreases (once per hold), the burst is spent, and no turn comes before
   * `retryAfterMs`, so the tenant neither retries nor sends anything new into the refusal.
   */
  throttled(retryAfterMs?: number): void {
    const now = this.now();
    this.#recover(now);
    if (now >= this.#hold) {
      this.#step = this.#rate * AIMD.recovery;
      this.#rate = Math.max(this.#floor, this.#rate * AIMD.decrease);
      this.#hold = now + AIMD.holdMs;
    }
    const interval = 1000 / this.#rate;
    this.#pausedUntil = Math.max(this.#pausedUntil, now + Math.min(AIMD.maxPauseMs, retryAfterMs ?? 0));
    // The burst is spent: one turn when the pause ends (or one interval from now), then one per interval.
    const tau = this.#tau(interval);
    this.#tat = Math.max(this.#tat, now + tau, this.#pausedUntil + tau - interval);
  }

  #tau(interval: number): number {
    return Math.max(interval, (this.settings.burst * 1000) / this.settings.perSecond);
  }

  #recover(now: number): void {
    if (this.#rate < this.settings.perSecond)
      this.#rate = Math.min(this.settings.perSecond, this.#rate + (this.#step * Math.max(0, now - this.#at)) / 1000);
    this.#at = now;
  }
}

/** A source in this process: it answers at once. */
export interface LocalSource extends RateSource {
  take(want: number): Grant;
}

/**
 * A bucket of this process as a tenant's source: the whole rate for one process, or with `instances` processes that
 * cannot share one bucket (no Redis, or Redis away) a share of the rate, burst and floor each; `rate` reports the
 * tenant's whole rate as this process sees it (its share times the processes).
 */
export function localShare(
  settings: RateSettings,
  instances: number,
  now: () => number = Date.now,
  start: { rate?: number; empty?: boolean } = {},
): LocalSource {
  const share = { perSecond: settings.perSecond / instances, burst: Math.max(1, settings.burst / instances) };
  const bucket = new RateBucket(share, now, {
    floor: AIMD.floor / instances,
    empty: start.empty,
    rate: start.rate === undefined ? undefined : start.rate / instances,
  });
  return {
    local: true,
    take: (want) => bucket.take(want),
    soonest: (n) => bucket.soonest(n),
    throttled: (retryAfterMs) => bucket.throttled(retryAfterMs),
    get rate() {
      return bucket.rate * instances;
    },
  };
}
