/** What the breaker is doing: passing calls, failing fast, or letting one probe through. */
export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * A circuit breaker for the one upstream. After `threshold` consecutive failures it opens and fails calls
 * fast for `cooldownMs`, so a struggling nCore is not hammered by every caller's retries; then it admits a
 * single probe, closing again when the probe succeeds and reopening when it fails. Process-wide.
 */
export class CircuitBreaker {
  #failures = 0;
  #openedAt: number | undefined;
  #probeInFlight = false;

  constructor(
    private readonly threshold: number,
    private readonly cooldownMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): BreakerState {
    if (this.#openedAt === undefined) return 'closed';
    return this.now() - this.#openedAt >= this.cooldownMs ? 'half-open' : 'open';
  }

  /** Whether a call may go upstream now. In half-open, only one probe at a time is admitted. */
  admit(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.#probeInFlight) return false;
    this.#probeInFlight = true;
    return true;
  }

  /** The upstream answered: a probe's success closes the breaker. */
  success(): void {
    this.#failures = 0;
    this.#openedAt = undefined;
    this.#probeInFlight = false;
  }

  /** The upstream failed (unreachable, timed out or a 5xx). A failed probe reopens at once. */
  failure(): void {
    // Calls that were already under way when the breaker opened must not push the cool-down further out.
    if (this.state === 'open') return;
    this.#failures += 1;
    if (this.#probeInFlight || this.#failures >= this.threshold) this.#openedAt = this.now();
    this.#probeInFlight = false;
  }

  /** Settles an admitted call that proved nothing about the upstream's health (e.g. the caller gave up). */
  release(): void {
    this.#probeInFlight = false;
  }
}
