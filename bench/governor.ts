/**
 * The call governor under overload: nCore (the simulator, in a process of its own) allows 50 calls per second per
 * key; two gateway instances share it under a closed loop of clients sending wide family trees, once without the
 * governor and once with `NCORE_RATE_LIMIT=50` shared through Redis. Run by `npm run bench` (and cheaply by
 * `npm run bench:smoke`); also on its own: `tsx bench/governor.ts [--smoke]`.
 */

import { pathToFileURL } from 'node:url';
import { generateHierarchy } from '../src/simulator/index.ts';
import { startRedis } from '../test/support/redis.ts';
import { machineLine } from './events.ts';
import { type GraphqlServer, startGateway, startUpstream, type Upstream } from './processes.ts';
import { writeBetween } from './report.ts';
import { fixed, percentile, whole } from './stats.ts';

export interface GovernorMode {
  readonly name: 'full' | 'smoke';
  /** Seconds of load per configuration. */
  readonly seconds: number;
  /** Clients in a closed loop, spread over the two instances. */
  readonly clients: number;
}
export const GOVERNOR_FULL: GovernorMode = { name: 'full', seconds: 20, clients: 8 };
export const GOVERNOR_SMOKE: GovernorMode = { name: 'smoke', seconds: 2, clients: 4 };

/** nCore's quota per key, and the governor's rate: the quota the issue measured against. */
const QUOTA = 50;
/** Four families three levels deep: a root, its ten children, their hundred. */
const HIERARCHY = { roots: 4, fanOut: 10, depth: 3, seed: 2026 };
/** A root, its children and theirs: one getUser and eleven children pages, the second level's ten at once. */
const TREE = `query Tree($id: ID!) { user(id: $id) { id children(first: 10) { nodes { id
  children(first: 10) { nodes { id firstName } } } } } }`;
const CALLS_PER_TREE = 12;

export interface GovernorRow {
  gateway: string;
  operations: number;
  failed: number;
  codes: string[];
  p50: number;
  p99: number;
  seconds: number;
  admitted: number;
  refused: number;
}

export interface GovernorFigures {
  mode: string;
  clients: number;
  seconds: number;
  rows: GovernorRow[];
  problems: string[];
}

async function quota(upstream: Upstream, body?: unknown): Promise<{ admitted: number; refused: number }> {
  const response = await fetch(`${new URL(upstream.url).origin}/_sim/quota`, {
    method: body === undefined ? 'GET' : 'PUT',
    headers: { apikey: upstream.apiKey, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await response.json()) as { admitted: number; refused: number };
}

/** `clients` loops of trees over both instances for `seconds`, then what nCore admitted and refused meanwhile. */
async function overload(
  gateway: string,
  instances: GraphqlServer[],
  upstream: Upstream,
  roots: readonly string[],
  mode: GovernorMode,
): Promise<GovernorRow> {
  // A quiet second first, so that nCore's bucket is full for both runs; setting the quota again zeroes its counts.
  await new Promise((resolve) => setTimeout(resolve, 1_200));
  await quota(upstream, { perSecond: QUOTA });
  const durations: number[] = [];
  const codes = new Set<string>();
  let failed = 0;
  const began = performance.now();
  const until = began + mode.seconds * 1000;
  await Promise.all(
    Array.from({ length: mode.clients }, async (_, client) => {
      const url = instances[client % instances.length]!.url;
      for (let i = client; performance.now() < until; i += mode.clients) {
        const started = performance.now();
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: TREE, variables: { id: roots[i % roots.length] } }),
        });
        const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
        durations.push(performance.now() - started);
        if (response.status !== 200 || body.errors?.length) {
          failed += 1;
          for (const error of body.errors ?? []) codes.add(error.extensions?.code ?? 'UNKNOWN');
        }
      }
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  const { admitted, refused } = await quota(upstream);
  return {
    gateway,
    operations: durations.length,
    failed,
    codes: [...codes].sort(),
    p50: percentile(durations, 50),
    p99: percentile(durations, 99),
    seconds,
    admitted,
    refused,
  };
}

/** Both configurations, one after the other, over one simulator process and one Redis. */
export async function measureGovernor(mode: GovernorMode): Promise<GovernorFigures> {
  const roots = generateHierarchy(HIERARCHY)
    .filter((u) => u.parent_user_id === undefined)
    .map((u) => u.id);
  const redis = await startRedis();
  const upstream = await startUpstream(HIERARCHY);
  const rows: GovernorRow[] = [];
  try {
    const configurations: [string, Record<string, string>][] = [
      ['without governor', {}],
      [`NCORE_RATE_LIMIT=${QUOTA}`, { NCORE_RATE_LIMIT: String(QUOTA) }],
    ];
    for (const [gateway, extra] of configurations) {
      // Every read reaches nCore (no cross-request cache); Redis is there for both, the governor only for one.
      const env = { CACHE_TTL_MS: '0', REDIS_URL: redis.url, ...extra };
      const instances = await Promise.all([startGateway(upstream, env), startGateway(upstream, env)]);
      try {
        rows.push(await overload(gateway, instances, upstream, roots, mode));
      } finally {
        await Promise.all(instances.map((instance) => instance.stop()));
      }
    }
  } finally {
    await upstream.stop();
    await redis.stop();
  }
  const governed = rows[1]!;
  const problems = governed.failed ? [`${governed.failed} operations with errors under the governor`] : [];
  return { mode: mode.name, clients: mode.clients, seconds: mode.seconds, rows, problems };
}

const percent = (part: number, all: number) => `${fixed(all ? (part / all) * 100 : 0, 1)} %`;

/** The section for RESULTS.md. */
export function governorSection(f: GovernorFigures, machine: string, command: string): string {
  return `
## The call governor under overload

Command: \`${command}\` (**${f.mode}** mode), ${new Date().toISOString().slice(0, 10)}. Machine: ${machine}.

Setup: the simulator in a process of its own (\`generateHierarchy(${JSON.stringify(HIERARCHY)})\`) with nCore's quota,
${QUOTA} calls per second for the key (\`quota: { perSecond: ${QUOTA} }\`: a bucket of ${QUOTA}, refilled at ${QUOTA} per second;
past it \`429 Request Attempt Exceed\` with \`Retry-After\`); one \`redis-server\`; two gateway processes as production
runs them (\`CACHE_TTL_MS=0\`, so that every read is an nCore call; \`REDIS_URL\` set for both), first without the
governor, then with \`NCORE_RATE_LIMIT=${QUOTA}\` (the default burst, ${Math.ceil(QUOTA / 2)}). ${f.clients} clients in a closed loop, spread
over the two instances, each sending a family tree (a root, its ten children and theirs: ${CALLS_PER_TREE} nCore calls, ten
of them at once) for ${f.seconds} s, then waiting for the answers in flight. "nCore calls/s" is what nCore admitted over
the run; "refused" what it answered 429, as a share of every call it received (retries included).

| gateway | operations | with errors | nCore calls/s admitted | refused by nCore | p50 ms | p99 ms |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
${f.rows
  .map(
    (r) =>
      `| ${r.gateway} | ${r.operations} | ${r.failed} (${percent(r.failed, r.operations)})${r.codes.length ? ` ${r.codes.join(', ')}` : ''} | ${fixed(r.admitted / r.seconds, 1)} | ${whole(r.refused)} (${percent(r.refused, r.admitted + r.refused)}) | ${fixed(r.p50, 0)} | ${fixed(r.p99, 0)} |`,
  )
  .join('\n')}${f.problems.length ? `\n\n**Wrong answers:** ${f.problems.join('; ')}.` : ''}
`;
}

const START =
  '<!-- bench:governor:start (written by npm run bench and tsx bench/governor.ts; edit outside these markers) -->';
const END = '<!-- bench:governor:end -->';

/** Writes the section between its own markers in RESULTS.md, or appends it. */
export function writeGovernorSection(section: string): void {
  writeBetween(START, END, section);
}

// `tsx bench/governor.ts [--smoke]`: this section alone (written to RESULTS.md in full mode).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const smoke = process.argv.includes('--smoke');
  const figures = await measureGovernor(smoke ? GOVERNOR_SMOKE : GOVERNOR_FULL);
  const section = governorSection(figures, machineLine(), `tsx bench/governor.ts${smoke ? ' --smoke' : ''}`);
  console.log(section);
  if (!smoke) writeGovernorSection(section);
  for (const problem of figures.problems) console.error(`FAILED: ${problem}`);
  process.exit(figures.problems.length ? 1 : 0);
}
