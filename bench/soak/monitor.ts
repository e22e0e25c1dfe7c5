/**
 * Watches the gateway from outside, as Prometheus would: scrapes `/metrics` every second for the breaker's
 * state (keeping each change with its time) and the event loop's delay over the last second, and reads the
 * process's resident memory.
 */
import { rssMb } from '../processes.ts';

const STATES = ['closed', 'half-open', 'open'] as const;

export interface BreakerChange {
  /** ms since the soak began. */
  at: number;
  state: string;
}

export class Monitor {
  readonly changes: BreakerChange[] = [];
  /** The event loop's p99 and max delay, in ms, per scrape (each covers the time since the one before). */
  readonly loopP99: number[] = [];
  readonly loopMax: number[] = [];
  /** Resident memory in MB, per scrape. */
  readonly rss: { at: number; mb: number }[] = [];
  #timer: NodeJS.Timeout | undefined;
  #scraping: Promise<void> = Promise.resolve();

  constructor(
    private readonly metricsUrl: string,
    private readonly pid: number,
    private readonly began: number,
    private readonly everyMs = 1_000,
  ) {}

  start(): void {
    this.#timer = setInterval(() => {
      this.#scraping = this.scrape();
    }, this.everyMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#scraping;
    await this.scrape();
  }

  async scrape(): Promise<void> {
    let text: string;
    try {
      text = await (await fetch(this.metricsUrl, { signal: AbortSignal.timeout(5_000) })).text();
    } catch {
      return;
    }
    this.rss.push({ at: performance.now() - this.began, mb: rssMb(this.pid) });
    const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? Number.NaN);
    const state = STATES[value(/^ncore_circuit_state (\S+)$/m)] ?? 'unknown';
    if (this.changes.at(-1)?.state !== state) this.changes.push({ at: performance.now() - this.began, state });
    this.loopP99.push(value(/^nodejs_eventloop_lag_p99_seconds (\S+)$/m) * 1000);
    this.loopMax.push(value(/^nodejs_eventloop_lag_max_seconds (\S+)$/m) * 1000);
  }
}
