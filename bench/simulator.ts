/**
 * Throughput of the simulator's `GET /v1/users/{id}` over a generated 11,110-user hierarchy.
 *
 *   npm run bench:simulator                 10 s, 32 connections
 *   npm run bench:simulator -- --smoke      1 s
 *   npm run bench:simulator -- --duration 30 --connections 64
 *
 * The simulator runs in a child process; autocannon drives it from this one. Prints req/s and
 * latency percentiles, and exits non-zero if any answer was not a 200.
 */
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

interface AutocannonRequest {
  method: string;
  path: string;
}
interface AutocannonResult {
  requests: { average: number; mean: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  headers: Record<string, string>;
  requests: AutocannonRequest[];
}) => Promise<AutocannonResult>;

// autocannon ships no type declarations: load it through require with the slice of its API used here.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    duration: { type: 'string' },
    connections: { type: 'string', default: '32' },
  },
});
const duration = Number(values.duration ?? (values.smoke ? 1 : 10));
const connections = Number(values.connections);

const child = fork(new URL('./simulator-server.ts', import.meta.url), [], { execArgv: ['--import', 'tsx'] });
const ready = await new Promise<{ url: string; apiKey: string; ids: string[] }>((resolve, reject) => {
  child.once('message', (message) => resolve(message as { url: string; apiKey: string; ids: string[] }));
  child.once('exit', (code) => reject(new Error(`simulator process exited early (${code})`)));
});

const { url, apiKey, ids } = ready;
console.log(`GET ${url}/users/{id} over ${ids.length} users: ${connections} connections, ${duration} s`);
const result = await autocannon({
  url: new URL(url).origin,
  connections,
  duration,
  headers: { apikey: apiKey },
  // Each connection cycles through 1,000 users spread over the hierarchy, so the figure is not one hot
  // key; a fixed list lets autocannon prebuild the requests instead of spending its core per request.
  requests: sample(ids, 1000).map((id) => ({ method: 'GET', path: `/v1/users/${id}` })),
});

child.disconnect();
const bad = result.non2xx + result.errors + result.timeouts;
console.log(`requests/s  ${Math.round(result.requests.average)} (total ${result.requests.total})`);
console.log(`latency     p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`);
console.log(`failures    non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts}`);
process.exit(bad === 0 ? 0 : 1);

function sample<T>(items: readonly T[], count: number): T[] {
  const step = Math.max(1, Math.floor(items.length / count));
  return items.filter((_, i) => i % step === 0).slice(0, count);
}
