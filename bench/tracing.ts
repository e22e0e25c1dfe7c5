/**
 * Section 6: what tracing costs. Gateway processes over one simulator process, the same in every way but their
 * tracing: none, the production default (`OTEL_EXPORTER_OTLP_ENDPOINT` set and nothing else: the default sampler,
 * a tenth of the operations), and every operation sampled (`OTEL_TRACES_SAMPLER=always_on`), each exporting over the
 * default http/protobuf to a collector stand-in in this process that reads each export and answers 200. They take
 * turns under the same autocannon load, the order rotating round after round.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateHierarchy } from '../src/simulator/index.ts';
import { cpuMs } from './cpu.ts';
import { load, type Target } from './load.ts';
import type { Mode } from './mode.ts';
import { type Child, startGateway, startUpstream } from './processes.ts';
import type { Verdict } from './report.ts';
import { fixed, median, whole } from './stats.ts';
import { nestedTarget, userTarget } from './targets.ts';
import { LOAD_HIERARCHY } from './throughput.ts';

/** The goal: tracing with the default sampler costs at most this share of requests/s. */
export const TRACING_MAX_LOSS = 0.1;

/** The sides of section 6, by name. */
export const OFF = 'tracing off';
export const DEFAULT = 'tracing on, default sampler';
export const ALWAYS = 'tracing on, always_on';

export interface TracingFigures {
  queries: ComparedQuery[];
  /** Export requests and bytes the collector stand-in received: proof that spans left the gateway. */
  exports: number;
  exportedBytes: number;
  rounds: number;
  seconds: number;
  connections: number;
}

/** Starts a collector stand-in that drains every export and answers 200, as a healthy collector would. */
export async function startSink(): Promise<{
  endpoint: string;
  stats: { exports: number; bytes: number };
  close(): Promise<void>;
}> {
  const stats = { exports: 0, bytes: 0 };
  const server: Server = createServer((req, res) => {
    req.on('data', (chunk: Buffer) => {
      stats.bytes += chunk.length;
    });
    req.on('end', () => {
      stats.exports += 1;
      res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stats,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Section 6: the three sides in rotating rounds, as production runs the gateway (NODE_ENV=production). */
export async function measureTracing(mode: Mode): Promise<TracingFigures> {
  const traced = (endpoint: string) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: 'bench-gateway' });
  // An odd number of shorter rounds, so that the median is a round's own figure and a slow spell is outvoted.
  const rounds = mode.name === 'full' ? 5 : 3;
  const seconds = Math.max(1, Math.round(mode.loadSeconds / 2));
  const { result, exports, exportedBytes } = await compareTracing({
    rounds,
    seconds,
    connections: mode.connections,
    sides: (endpoint) => {
      const sides = [
        { name: OFF, env: {} },
        { name: DEFAULT, env: traced(endpoint) },
        { name: ALWAYS, env: { ...traced(endpoint), OTEL_TRACES_SAMPLER: 'always_on' } },
      ];
      return [...sides, ...sides.map((side) => ({ ...side, name: `${side.name}${COPY}` }))];
    },
  });
  return {
    queries: result,
    exports,
    exportedBytes,
    rounds,
    seconds,
    connections: mode.connections,
  };
}

/** The Markdown table of section 6. */
export function tracingTable(f: TracingFigures): string {
  return comparedTable(f.queries, OFF);
}

/**
 * The target's verdict, on the worse of the two queries: the throughput the default sampler's CPU per request leaves,
 * 1 - CPU off / CPU on (median of rounds, the two processes of a kind pooled). On a CPU-bound server that is the
 * share of requests/s lost; it is read from each process's own CPU time, which the other processes' background work
 * on the same two cores (a traced one exporting its spans after its turn) does not move, as it moves requests/s.
 */
export function tracingVerdict(f: TracingFigures): Verdict {
  const losses = f.queries.map(({ query, runs }) => {
    const both = (name: string, pick: 'rps' | 'cpu') =>
      runs.get(name)![pick].map((v, i) => (v + runs.get(`${name}${COPY}`)![pick][i]!) / 2);
    const off = both(OFF, 'cpu');
    const on = both(DEFAULT, 'cpu');
    const rpsLost = median(both(DEFAULT, 'rps').map((r, i) => 1 - r / both(OFF, 'rps')[i]!));
    return { query, lost: median(on.map((c, i) => 1 - off[i]! / c)), off: median(off), on: median(on), rpsLost };
  });
  const worst = losses.reduce((a, b) => (b.lost > a.lost ? b : a));
  return {
    target: `tracing with the default sampler costs <= ${TRACING_MAX_LOSS * 100} % of throughput (from CPU per request)`,
    met: f.exports > 0 && worst.lost <= TRACING_MAX_LOSS,
    detail: `worst ${fixed(worst.lost * 100, 1)} % (${worst.query}: ${fixed(worst.on, 3)} vs ${fixed(worst.off, 3)} ms of CPU per request; requests/s ${fixed(worst.rpsLost * 100, 1)} % lower)`,
  };
}

/** One gateway of a comparison: the checkout it runs (another one, to compare two versions) and its tracing env. */
export interface TracingSide {
  name: string;
  root?: URL;
  env: Record<string, string>;
}

interface RunningSide {
  side: TracingSide;
  url: string;
  pid: number;
}

/** The two queries of section 6, by gateway URL. */
export function tracingQueries(): [string, (url: string) => Target][] {
  const users = generateHierarchy(LOAD_HIERARCHY);
  const children = new Map<string, number>();
  for (const u of users)
    if (u.parent_user_id) children.set(u.parent_user_id, (children.get(u.parent_user_id) ?? 0) + 1);
  const readIds = users.filter((_, i) => i % 11 === 0).map((u) => u.id);
  const nestedIds = users.filter((u) => u.parent_user_id && (children.get(u.id) ?? 0) >= 10).map((u) => u.id);
  return [
    ['user(id)', (url) => userTarget('gateway', url, readIds)],
    ['nested', (url) => nestedTarget('gateway', url, nestedIds)],
  ];
}

/** Starts the collector stand-in, one simulator and every side's gateway, runs `measure`, and stops them all. */
export async function withSides<T>(
  sides: (endpoint: string) => TracingSide[],
  measure: (gateways: RunningSide[]) => Promise<T>,
): Promise<{ result: T; exports: number; exportedBytes: number }> {
  const sink = await startSink();
  const started: Child[] = [];
  try {
    const upstream = await startUpstream(LOAD_HIERARCHY);
    started.push(upstream);
    const gateways: RunningSide[] = [];
    for (const side of sides(sink.endpoint)) {
      const gateway = await startGateway(upstream, side.env, [], side.root);
      started.push(gateway);
      gateways.push({ side, url: gateway.url, pid: gateway.pid });
    }
    const result = await measure(gateways);
    return { result, exports: sink.stats.exports, exportedBytes: sink.stats.bytes };
  } finally {
    for (const child of started.reverse()) await child.stop();
    await sink.close();
  }
}

/** Each side's runs of one query: requests/s and gateway CPU per request, round by round. */
export interface ComparedQuery {
  query: string;
  runs: Map<string, { rps: number[]; cpu: number[] }>;
}

/**
 * Rounds of autocannon, as section 6 but with any number of sides and rounds: each round loads every side for
 * `seconds`, the sides' order rotating from round to round; requests/s and the gateway's CPU per request (/proc).
 */
export async function compareTracing(options: {
  rounds: number;
  seconds: number;
  connections: number;
  sides: (endpoint: string) => TracingSide[];
}): Promise<{ result: ComparedQuery[]; exports: number; exportedBytes: number }> {
  const queries = tracingQueries();
  return withSides(options.sides, async (gateways) => {
    const results: ComparedQuery[] = queries.map(([query]) => ({
      query,
      runs: new Map(gateways.map((g) => [g.side.name, { rps: [] as number[], cpu: [] as number[] }])),
    }));
    for (const [, target] of queries) for (const g of gateways) await load(target(g.url), options.connections, 2);
    for (let round = 0; round < options.rounds; round++) {
      for (const [q, [, target]] of queries.entries()) {
        for (let k = 0; k < gateways.length; k++) {
          const g = gateways[(k + round) % gateways.length]!;
          const before = cpuMs(g.pid);
          const result = await load(target(g.url), options.connections, options.seconds);
          if (result.failures > 0) throw new Error(`${result.failures} failed requests on ${g.side.name}`);
          const runs = results[q]!.runs.get(g.side.name)!;
          runs.rps.push(result.requestsPerSecond);
          runs.cpu.push((cpuMs(g.pid) - before) / result.total);
        }
      }
      console.error(`round ${round + 1}/${options.rounds} done`);
    }
    return results;
  });
}

/** A second process of a side, the same in every way: named after the first with this suffix. */
export const COPY = ' (2)';

/**
 * The rounds as a Markdown table: medians over the rounds, and the median of each round's loss against `off`. A
 * side's copies (named with COPY) are pooled round by round: two identical processes differ by several per cent for
 * as long as they live (how much is shown on the `off` row), which one process per side would take for tracing's.
 */
export function comparedTable(queries: ComparedQuery[], off: string): string {
  const lines = [
    '| query | gateway | processes | requests/s, median | lost, median of rounds (range) | CPU per request, median | CPU added, median of rounds |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  const range = (values: number[]) =>
    `${fixed(median(values) * 100, 1)} % (${fixed(Math.min(...values) * 100, 1)} to ${fixed(Math.max(...values) * 100, 1)} %)`;
  for (const { query, runs } of queries) {
    const sides = new Map<string, { rps: number[]; cpu: number[] }[]>();
    for (const [name, run] of runs) {
      const side = name.endsWith(COPY) ? name.slice(0, -COPY.length) : name;
      sides.set(side, [...(sides.get(side) ?? []), run]);
    }
    const pooled = (copies: { rps: number[]; cpu: number[] }[]) => ({
      rps: copies[0]!.rps.map((_, i) => copies.reduce((sum, c) => sum + c.rps[i]!, 0) / copies.length),
      cpu: copies[0]!.cpu.map((_, i) => copies.reduce((sum, c) => sum + c.cpu[i]!, 0) / copies.length),
    });
    const base = pooled(sides.get(off)!);
    for (const [name, copies] of sides) {
      const { rps, cpu } = pooled(copies);
      const losses = rps.map((r, i) => 1 - r / base.rps[i]!);
      const cpuAdded = cpu.map((c, i) => c / base.cpu[i]! - 1);
      const [first, second] = copies;
      const lost =
        name !== off
          ? range(losses)
          : second
            ? `copies differ by ${range(first!.rps.map((r, i) => Math.abs(1 - second.rps[i]! / r)))}`
            : '-';
      const added = name === off ? '-' : `${signed(median(cpuAdded) * 100)} %`;
      lines.push(
        `| ${query} | ${name} | ${copies.length} | ${whole(median(rps))} | ${lost} | ${fixed(median(cpu), 3)} ms | ${added} |`,
      );
    }
  }
  return lines.join('\n');
}

export const signed = (value: number) => `${value >= 0 ? '+' : ''}${fixed(value, 1)}`;
