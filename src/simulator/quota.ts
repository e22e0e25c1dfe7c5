/** nCore's per-key quota as the simulator enforces it on request: calls per second, and how many may come at once. */
export interface Quota {
  /** Calls per second one key may make, sustained. */
  perSecond: number;
  /** Calls one key may make at once after a quiet spell (the bucket's size); `perSecond` when unset. */
  burst?: number;
}

/** What the quota let through and refused since it was set (or since the last reset). */
export interface QuotaCounts {
  admitted: number;
  refused: number;
}

/**
 * A token bucket per `apikey`: each call takes a token, tokens come back at `perSecond` up to `burst`. A call that
 * finds no token is refused with the number of whole seconds until one is back (nCore's `Retry-After`, at least 1).
 * Without a quota every call passes and nothing is counted.
 */
export class QuotaBook {
  #quota: Quota | undefined;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly counts: QuotaCounts = { admitted: 0, refused: 0 };

  constructor(
    quota: Quota | undefined,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.set(quota);
  }

  get quota(): Quota | undefined {
    return this.#quota;
  }

  /** Replaces the quota (undefined: none); every key starts again with a full bucket, the counts from zero. */
  set(quota: Quota | undefined): void {
    if (quota !== undefined) {
      const { perSecond, burst } = quota;
      if (!(perSecond > 0) || (burst !== undefined && !(burst >= 1)))
        throw new RangeError('a quota needs perSecond > 0 and, if given, burst >= 1');
    }
    this.#quota = quota && { ...quota };
    this.reset();
  }

  /** Full buckets and zero counts, the quota unchanged. */
  reset(): void {
    this.#buckets.clear();
    this.counts.admitted = 0;
    this.counts.refused = 0;
  }

  /** 0 when a call with `key` may pass (its token taken); otherwise the seconds to wait, for `Retry-After`. */
  take(key: string): number {
    const quota = this.#quota;
    if (!quota) return 0;
    const size = quota.burst ?? quota.perSecond;
    const now = this.now();
    const bucket = this.#buckets.get(key) ?? { tokens: size, at: now };
    bucket.tokens = Math.min(size, bucket.tokens + ((now - bucket.at) / 1000) * quota.perSecond);
    bucket.at = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      this.counts.admitted += 1;
      return 0;
    }
    this.counts.refused += 1;
    return Math.max(1, Math.ceil((1 - bucket.tokens) / quota.perSecond));
  }
}
