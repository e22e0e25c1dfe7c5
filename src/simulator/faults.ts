import type { Fault, Latency, Route } from './types.ts';

/**
 * The active faults, in the order given. Each request takes at most one: the first whose route
 * matches (or that names no route). A fault with `times` expires after that many requests.
 */
export class FaultBook {
  private entries: { fault: Fault; remaining: number }[] = [];

  set(faults: readonly Fault[]): void {
    this.entries = faults.map((fault) => ({ fault, remaining: fault.times ?? Number.POSITIVE_INFINITY }));
  }

  clear(): void {
    this.entries = [];
  }

  /** The fault for a request on `route`, counting it against the fault's `times`. */
  take(route: Route | null): Fault | undefined {
    const index = this.entries.findIndex((e) => e.remaining > 0 && (!e.fault.route || e.fault.route === route));
    const entry = this.entries[index];
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.entries.splice(index, 1);
    return entry.fault;
  }
}

/** Milliseconds to wait for a latency: the fixed value, or uniform in `[min, max]`. */
export function drawLatency(latency: Latency): number {
  if (typeof latency === 'number') return Math.max(0, latency);
  const { min, max } = latency;
  return Math.max(0, min + Math.random() * Math.max(0, max - min));
}

/** A 200 body cut off mid-string: JSON.parse fails on it. */
export const MALFORMED_BODY = '{"id":"3f6c1d2e-8b7a-4c1e-9f0a-2b5d7e8c9a10","first_name":"Tru';

/** A complete JSON answer of which a stall fault sends only the first half. */
export const STALL_BODY = JSON.stringify({
  data: [{ id: '3f6c1d2e-8b7a-4c1e-9f0a-2b5d7e8c9a10', first_name: 'Stalled', status: 'ACTIVE' }],
  has_more: false,
});

/** The page a `status` fault sends with `body: 'html'`, as a proxy in front of an API would. */
export function htmlPage(status: number): string {
  return `<!DOCTYPE html>\n<html><head><title>${status}</title></head><body><h1>${status}</h1><p>The upstream server did not answer.</p></body></html>\n`;
}
