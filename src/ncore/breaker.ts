import { RollingWindow } from './window.ts';

/** What the breaker is doing: passing calls, failing fast, or letting a few probes through. */
export type BreakerState = 'closed' | 'open' | 'half-open';

/** How a breaker judges nCore's health. */
export interface BreakerSettings {
  /** Fewest calls within the window before the failure rate is judged at all. */
  readonly minCalls: number;
  /** Share of failed calls within the window, from 0 to 1, that opens the breaker. */
  readonly failureRate: number;
  /** How far back the failure rate looks. */
  readonly windowMs: number;
  /** How long an open breaker fails fast before it lets probes through. */
  readonly cooldownMs: number;
  /** Calls a half-open breaker admits; all of them succeeding closes it, any failing reopens it. */
  readonly halfOpenProbes: number;
}

/** A call's admission: settle it exactly once with success, failure or release. */
interface Permit {
  /** The spell (closed, open, half-open) the call was admitted in; outcomes of an earlier one are ignored. */
  readonly spell: number;
}

/**
 * A circuit breaker that judges nCore's health by the failure rate of calls over a rolling window, so that
 * one bad record cannot open it: with at least `minCalls` calls in the window and at least `failureRate` of
 * them failed, it opens and fails calls fast for `cooldownMs`; then it admits `halfOpenProbes` calls, closing
 * when they all succeed and reopening when one fails. A call counts once, however many attempts it took,
 * and a request that keeps failing (the same method, path and body) counts as one failed call within the
 * window: it is evidence about that record, not about nCore.
 */
export class CircuitBreaker {
  #state: BreakerState = 'closed';
  #spell = 0;
  #openedAt = 0;
  #probesAdmitted = 0;
  #probesPassed = 0;
  readonly #window: RollingWindow;

  constructor(
    private readonly settings: BreakerSettings,
    private readonly now: () => number = Date.now,
    private readonly onTransition?: (from: BreakerState, to: BreakerState) => void,
  ) {
    this.#window = new RollingWindow(settings.windowMs, now);
  }

  get state(): BreakerState {
    if (this.#state === 'open' && this.now() - this.#openedAt >= this.settings.cooldownMs) this.#enter('half-open');
    return this.#state;
  }

  /** A permit for one call if it may go upstream now; undefined while open or while the probes are out. */
  admit(): Permit | undefined {
    const state = this.state;
    if (state === 'open') return undefined;
    if (state === 'half-open') {
      if (this.#probesAdmitted >= this.settings.halfOpenProbes) return undefined;
      this.#probesAdmitted += 1;
    }
    return { spell: this.#spell };
  }

  /** nCore answered the call (any answer short of a 5xx proves it up). */
  success(permit: Permit): void {
    if (!this.#current(permit)) return;
    if (this.#state === 'closed') this.#window.success();
    else if (++this.#probesPassed >= this.settings.halfOpenProbes) this.#enter('closed');
  }

  /** The call failed for nCore's sake (a 5xx, unreachable, timed out); `target` names what was asked. */
  failure(permit: Permit, target: string): void {
    if (!this.#current(permit)) return;
    if (this.#state === 'half-open') {
      this.#enter('open');
      return;
    }
    const { calls, failures } = this.#window.failure(target);
    if (calls >= this.settings.minCalls && failures >= calls * this.settings.failureRate) this.#enter('open');
  }

  /** The call proved nothing about nCore (the caller gave up first): a probe's place goes to the next call. */
  release(permit: Permit): void {
    if (this.#current(permit) && this.#state === 'half-open') this.#probesAdmitted -= 1;
  }

  #current(permit: Permit): boolean {
    return permit.spell === this.#spell;
  }

  #enter(state: BreakerState): void {
    const from = this.#state;
    this.#state = state;
    this.#spell += 1;
    this.#probesAdmitted = 0;
    this.#probesPassed = 0;
    if (state === 'open') this.#openedAt = this.now();
    if (state === 'closed') this.#window.clear();
    this.onTransition?.(from, state);
  }
}
