/** Slices a window is cut into: successes are counted per slice, so a busy window costs a fixed few numbers. */
const SLICES = 10;
/** Distinct failed requests remembered; beyond this the failure rate is judged on the most recent ones. */
const MAX_FAILED_TARGETS = 10_000;

/** What a window holds after a failure is added. */
interface WindowCounts {
  /** Successful calls plus distinct failed requests. */
  calls: number;
  /** Distinct failed requests. */
  failures: number;
}

/**
 * The calls of the last `windowMs`: successes counted in time slices, failures kept per request (`target`),
 * each counted once however often it failed, so a record that fails every time weighs as one failure.
 */
export class RollingWindow {
  readonly #sliceMs: number;
  readonly #counts = new Array<number>(SLICES).fill(0);
  readonly #slices = new Array<number>(SLICES).fill(-1);
  /** Failed targets by the time of their latest failure, oldest first. */
  readonly #failed = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {
    this.#sliceMs = Math.max(1, windowMs / SLICES);
  }

  success(): void {
    const slice = Math.floor(this.now() / this.#sliceMs);
    const i = slice % SLICES;
    if (this.#slices[i] !== slice) {
      this.#slices[i] = slice;
      this.#counts[i] = 0;
    }
    this.#counts[i]! += 1;
  }

  failure(target: string): WindowCounts {
    const now = this.now();
    this.#failed.delete(target);
    this.#failed.set(target, now);
    for (const [oldest, at] of this.#failed) {
      if (at > now - this.windowMs && this.#failed.size <= MAX_FAILED_TARGETS) break;
      this.#failed.delete(oldest);
    }
    const failures = this.#failed.size;
    return { calls: this.#successes(now) + failures, failures };
  }

  clear(): void {
    this.#slices.fill(-1);
    this.#failed.clear();
  }

  #successes(now: number): number {
    const current = Math.floor(now / this.#sliceMs);
    let total = 0;
    for (let i = 0; i < SLICES; i++) if (this.#slices[i]! > current - SLICES) total += this.#counts[i]!;
    return total;
  }
}
