import type { Fault, Latency, LoggedRequest } from './types.ts';

/**
 * The active faults, in the order given. Each request takes at most one: the first that matches it (its
 * route, user id and key, where the fault names them) and, for a fault with a `chance`, wins the draw. A
 * fault with `times` expires after that many requests.
 */
export class FaultBook {
  private entries: { fault: Fault; remaining: number }[] = [];

  constructor(private readonly random: () => number = Math.random) {}

  set(faults: readonly Fault[]): void {
    for (const fault of faults) {
      if (fault.chance !== undefined && !(fault.chance >= 0 && fault.chance <= 1))
        throw new RangeError(`a fault's chance must be from 0 to 1 (got ${fault.chance})`);
    }
    this.entries = faults.map((fault) => ({ fault, remaining: fault.times ?? Number.POSITIVE_INFINITY }));
  }

  clear(): void {
    this.entries = [];
  }

  /** The fault for `request`, counting it against the fault's `times`. */
  take(request: Pick<LoggedRequest, 'route' | 'params' | 'headers'>): Fault | undefined {
    const index = this.entries.findIndex(
      ({ fault, remaining }) =>
        remaining > 0 &&
        (!fault.route || fault.route === request.route) &&
        (fault.id === undefined || fault.id === request.params.id) &&
        (fault.apiKey === undefined || fault.apiKey === request.headers.apikey) &&
        (fault.chance === undefined || this.random() < fault.chance),
    );
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
