/**
 * Remembers event tokens so that an event nCore delivers again is dropped. `claim` is true only for the
 * first arrival of a token within the TTL; `release` forgets a claim whose event could not be published,
 * so nCore's retry of it is not dropped.
 */
export interface Deduplicator {
  claim(token: string): Promise<boolean>;
  release(token: string): Promise<void>;
}

/**
 * In-process de-duplication: a map in insertion order, so the oldest entries are the first to expire and
 * the first to go when the bound is reached (a least-recently-claimed cache with a TTL). `now` is
 * injectable for tests.
 */
export class MemoryDeduplicator implements Deduplicator {
  readonly #seen = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  async claim(token: string): Promise<boolean> {
    return this.claimNow(token);
  }

  /** The synchronous claim, for the cluster primary that answers workers from one thread. */
  claimNow(token: string): boolean {
    const now = this.now();
    for (const [key, expires] of this.#seen) {
      if (expires > now && this.#seen.size < this.maxEntries) break;
      this.#seen.delete(key);
    }
    const expires = this.#seen.get(token);
    if (expires !== undefined && expires > now) return false;
    this.#seen.delete(token);
    this.#seen.set(token, now + this.ttlMs);
    return true;
  }

  async release(token: string): Promise<void> {
    this.#seen.delete(token);
  }

  get size(): number {
    return this.#seen.size;
  }
}
