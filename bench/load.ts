/**
 * The two ways the bench puts load on a server: a sequential loop at concurrency 1 timed per request with a
 * microsecond clock (for overhead), and autocannon at many connections (for throughput).
 */
import { createRequire } from 'node:module';
import { Pool } from 'undici';

/** One request a target is asked, prebuilt so that building it costs nothing during the load. */
export interface PreparedRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** Something to load: an origin and the requests to cycle through. */
export interface Target {
  name: string;
  origin: string;
  requests: readonly PreparedRequest[];
  /** Throws when an answer is wrong, so that fast failures never pass for throughput. */
  check(status: number, body: string): void;
}

/** A sequential timer over one keep-alive connection to a target. */
export class SequentialClient {
  readonly #pool: Pool;
  #next = 0;

  constructor(readonly target: Target) {
    this.#pool = new Pool(target.origin, { connections: 1, pipelining: 1 });
  }

  /** Sends the next request, reads the whole answer, and returns the elapsed time in milliseconds. */
  async once(): Promise<number> {
    const request = this.target.requests[this.#next++ % this.target.requests.length]!;
    const started = process.hrtime.bigint();
    const res = await this.#pool.request(request);
    const body = await res.body.text();
    const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
    this.target.check(res.statusCode, body);
    return elapsed;
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}

/**
 * Times `count` requests per target at concurrency 1, the targets taking turns request by request (the
 * order rotating each turn), so that every target's n-th request meets the machine in the same state as
 * the others'. `warmup` untimed turns first. Returns each target's times, index n being turn n.
 */
export async function interleaved(
  targets: readonly Target[],
  count: number,
  warmup: number,
): Promise<Map<string, number[]>> {
  const clients = targets.map((t) => new SequentialClient(t));
  const times = new Map(targets.map((t) => [t.name, [] as number[]]));
  try {
    for (let turn = -warmup; turn < count; turn++) {
      for (let k = 0; k < clients.length; k++) {
        const client = clients[(k + Math.max(0, turn)) % clients.length]!;
        const elapsed = await client.once();
        if (turn >= 0) times.get(client.target.name)!.push(elapsed);
      }
    }
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
  return times;
}

/** What autocannon reports of one run that this bench uses. */
export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  total: number;
  failures: number;
}

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration?: number;
  amount?: number;
  requests: (PreparedRequest & { onResponse(status: number, body: string): void })[];
}) => Promise<AutocannonResult>;

// autocannon ships no type declarations: load it through require with the slice of its API used here.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/**
 * Drives a target with `connections` connections for `seconds`. Every answer is checked as it arrives, so a
 * fast 200 that carries errors (an open breaker, a spent budget) counts as a failure, not as throughput.
 */
export async function load(target: Target, connections: number, seconds: number): Promise<LoadResult> {
  let wrong = 0;
  const requests = target.requests.map((request) => ({
    ...request,
    onResponse(status: number, body: string) {
      try {
        target.check(status, body);
      } catch {
        wrong += 1;
      }
    },
  }));
  const result = await autocannon({ url: target.origin, connections, duration: seconds, requests });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    failures: result.non2xx + result.errors + result.timeouts + wrong,
  };
}
