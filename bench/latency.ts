/**
 * Section 2: the latency floor. Every nCore call takes 20 ms (the simulator's `latencyMs`), and a tree L
 * levels deep needs L rounds one after another, so no gateway can answer it in under L x 20 ms. The bound
 * is L x 20 ms x 1.15 + 10 ms. The simulator runs in its own process; the gateway in this one (`gateway.fetch`).
 */
import { loadConfig } from '../src/config.ts';
import { createGateway, type Gateway } from '../src/gateway.ts';
import type { Mode } from './mode.ts';
import { startUpstream } from './processes.ts';
import { median } from './stats.ts';

export const UPSTREAM_LATENCY_MS = 20;
const LEVELS = [2, 3, 4, 5] as const;

/** One tree size: its times and how they compare with the floor and the bound. */
export interface TreeRow {
  fanOut: number;
  levels: number;
  /** nCore calls the tree needs: the root plus one children page per node above the last level. */
  calls: number;
  medianMs: number;
  maxMs: number;
  floorMs: number;
  boundMs: number;
  /** Why the gateway answered with an error instead of the tree (a limit), or undefined. */
  refused?: string;
  /** Median of a direct `GET /users/{id}` on the same simulator: what one round really costs upstream. */
  directMs: number;
  /** The same tree with `first: 10` written inline: refused by a static limit, or undefined when answered. */
  literalRefused?: string;
}

/**
 * `user(id) { children(first: 10) { nodes { ... } } }` nested so that the answer takes `levels` rounds.
 * `first` goes in a variable, as generated clients send it, or inline as a literal.
 */
export function treeQuery(levels: number, first: 'variable' | number): string {
  const arg = first === 'variable' ? '$first' : String(first);
  let inner = 'id firstName';
  for (let l = 1; l < levels; l++) inner = `id firstName children(first: ${arg}) { nodes { ${inner} } }`;
  return first === 'variable'
    ? `query Tree($id: ID!, $first: Int) { user(id: $id) { ${inner} } }`
    : `query Tree($id: ID!) { user(id: $id) { ${inner} } }`;
}

/** Posts one operation to the in-process gateway; resolves with the first error, if any. */
async function post(gateway: Gateway, query: string, variables: Record<string, unknown>): Promise<string | undefined> {
  const res = await gateway.fetch('http://gateway.bench/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
  const first = body.errors?.[0];
  return first ? `${first.extensions?.code ?? 'ERROR'}: ${first.message}` : undefined;
}

/**
 * Times tree queries of 2 to 5 levels over a narrow (fan-out 2) and a wide (fan-out 10) hierarchy.
 * `env` adds gateway settings to production's defaults.
 */
export async function measureTrees(
  mode: Mode,
  env: Record<string, string> = {},
  fanOuts: readonly number[] = [2, 10],
): Promise<TreeRow[]> {
  const rows: TreeRow[] = [];
  for (const fanOut of fanOuts) {
    const upstream = await startUpstream({ roots: 1, fanOut, depth: 5, seed: 5 }, UPSTREAM_LATENCY_MS);
    const gateway = createGateway(
      loadConfig({
        NODE_ENV: 'production',
        NCORE_BASE_URL: upstream.url,
        NCORE_API_KEY: upstream.apiKey,
        GATEWAY_AUTH: 'none',
        ...env,
      }).gateway,
    );
    try {
      const rootId = upstream.ids[0]!;
      const directMs = await directCallMs(upstream.url, upstream.apiKey, rootId, Math.max(10, mode.treeRuns));
      for (const levels of LEVELS) {
        const query = treeQuery(levels, 'variable');
        const calls = Array.from({ length: levels - 1 }, (_, l) => fanOut ** l).reduce((a, b) => a + b, 1);
        const floorMs = levels * UPSTREAM_LATENCY_MS;
        const row: TreeRow = {
          fanOut,
          levels,
          calls,
          medianMs: Number.NaN,
          maxMs: Number.NaN,
          floorMs,
          boundMs: floorMs * 1.15 + 10,
          directMs,
        };
        row.literalRefused = await post(gateway, treeQuery(levels, 10), { id: rootId });
        const times: number[] = [];
        // One untimed run warms the connection pool and the gateway's caches of parsed documents.
        for (let run = 0; run <= mode.treeRuns; run++) {
          const started = performance.now();
          const error = await post(gateway, query, { id: rootId, first: 10 });
          const elapsed = performance.now() - started;
          if (error) {
            row.refused = error;
            break;
          }
          if (run > 0) times.push(elapsed);
        }
        if (!row.refused) Object.assign(row, { medianMs: median(times), maxMs: Math.max(...times) });
        rows.push(row);
      }
    } finally {
      await gateway.close();
      await upstream.stop();
    }
  }
  return rows;
}

/** Median time of `runs` sequential direct reads of one user, after one to open the connection. */
async function directCallMs(url: string, apiKey: string, id: string, runs: number): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run <= runs; run++) {
    const started = performance.now();
    const res = await fetch(`${url}/users/${id}`, { headers: { apikey: apiKey } });
    await res.arrayBuffer();
    if (run > 0) times.push(performance.now() - started);
  }
  return median(times);
}
