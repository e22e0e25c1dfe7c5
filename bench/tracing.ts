/**
 * Section 5: what tracing every operation costs. Two gateway processes over one simulator process, the same
 * in every way but one: the second has `OTEL_EXPORTER_OTLP_ENDPOINT` set (the default http/protobuf protocol,
 * every operation sampled), exporting to a collector stand-in in this process that reads each export and
 * answers 200. The two take turns under the same autocannon load, in alternating order, round after round.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateHierarchy } from '../src/simulator/index.ts';
import { type LoadResult, load, type Target } from './load.ts';
import type { Mode } from './mode.ts';
import { type Child, startGateway, startUpstream } from './processes.ts';
import type { Verdict } from './report.ts';
import { fixed, whole } from './stats.ts';
import { nestedTarget, userTarget } from './targets.ts';
import { LOAD_HIERARCHY } from './throughput.ts';

/** The goal: tracing every operation costs at most this share of requests/s. */
export const TRACING_MAX_LOSS = 0.1;

/** Requests/s of one query with tracing off and on (means over the rounds), and the gateway's CPU per request. */
export interface TracingRow {
  query: string;
  off: number;
  on: number;
  cpuOff: number;
  cpuOn: number;
  failures: number;
}

/** CPU time (user + system, ms) a process has used, from /proc: less moved by a busy machine than requests/s. */
function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

interface Run extends LoadResult {
  cpuMs: number;
}

export interface TracingFigures {
  rows: TracingRow[];
  /** Export requests and bytes the collector stand-in received: proof that spans left the gateway. */
  exports: number;
  exportedBytes: number;
  rounds: number;
  seconds: number;
  connections: number;
}

/** Starts a collector stand-in that drains every export and answers 200, as a healthy collector would. */
async function startSink(): Promise<{
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

/** Runs the interleaved rounds and returns the means. */
export async function measureTracing(mode: Mode): Promise<TracingFigures> {
  const users = generateHierarchy(LOAD_HIERARCHY);
  const children = new Map<string, number>();
  for (const u of users)
    if (u.parent_user_id) children.set(u.parent_user_id, (children.get(u.parent_user_id) ?? 0) + 1);
  const readIds = users.filter((_, i) => i % 11 === 0).map((u) => u.id);
  const nestedIds = users.filter((u) => u.parent_user_id && (children.get(u.id) ?? 0) >= 10).map((u) => u.id);

  const sink = await startSink();
  const started: Child[] = [];
  try {
    const upstream = await startUpstream(LOAD_HIERARCHY);
    started.push(upstream);
    const off = await startGateway(upstream);
    started.push(off);
    const on = await startGateway(upstream, {
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
      OTEL_TRACES_SAMPLER: 'always_on',
      OTEL_SERVICE_NAME: 'bench-gateway',
    });
    started.push(on);

    const pairs: [string, Target, Target][] = [
      ['user(id)', userTarget('gateway', off.url, readIds), userTarget('gateway', on.url, readIds)],
      ['nested', nestedTarget('gateway', off.url, nestedIds), nestedTarget('gateway', on.url, nestedIds)],
    ];
    const runs = new Map(pairs.map(([query]) => [query, { off: [] as Run[], on: [] as Run[] }]));
    const timed = async (target: Target, pid: number): Promise<Run> => {
      const before = cpuMs(pid);
      const result = await load(target, mode.connections, mode.loadSeconds);
      return { ...result, cpuMs: cpuMs(pid) - before };
    };
    // An untimed burst each first, so neither is measured with a cold JIT.
    for (const [, a, b] of pairs) for (const target of [a, b]) await load(target, mode.connections, 1);
    const rounds = Math.max(2, mode.loadRounds);
    for (let round = 0; round < rounds; round++) {
      for (const [query, offTarget, onTarget] of pairs) {
        const order = round % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const);
        for (const side of order) {
          const run = side === 'off' ? await timed(offTarget, off.pid) : await timed(onTarget, on.pid);
          runs.get(query)![side].push(run);
        }
      }
    }
    const mean = (list: Run[]) => list.reduce((sum, r) => sum + r.requestsPerSecond, 0) / list.length;
    const cpuPerRequest = (list: Run[]) =>
      list.reduce((sum, r) => sum + r.cpuMs, 0) / list.reduce((sum, r) => sum + r.total, 0);
    const rows = pairs.map(([query]) => {
      const { off: offRuns, on: onRuns } = runs.get(query)!;
      const failures = [...offRuns, ...onRuns].reduce((sum, r) => sum + r.failures, 0);
      return {
        query,
        off: mean(offRuns),
        on: mean(onRuns),
        cpuOff: cpuPerRequest(offRuns),
        cpuOn: cpuPerRequest(onRuns),
        failures,
      };
    });
    return {
      rows,
      exports: sink.stats.exports,
      exportedBytes: sink.stats.bytes,
      rounds,
      seconds: mode.loadSeconds,
      connections: mode.connections,
    };
  } finally {
    for (const child of started.reverse()) await child.stop();
    await sink.close();
  }
}

/** The Markdown table of section 5. */
export function tracingTable(f: TracingFigures): string {
  const lines = [
    '| query | tracing off (requests/s) | tracing on (requests/s) | lost | gateway CPU per request, off / on |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  for (const r of f.rows) {
    const cpu = `${fixed(r.cpuOff, 3)} / ${fixed(r.cpuOn, 3)} ms (+${fixed((r.cpuOn / r.cpuOff - 1) * 100, 1)} %)`;
    lines.push(`| ${r.query} | ${whole(r.off)} | ${whole(r.on)} | ${fixed((1 - r.on / r.off) * 100, 1)} % | ${cpu} |`);
  }
  return lines.join('\n');
}

/** The target's verdict: the worse of the two queries. */
export function tracingVerdict(f: TracingFigures): Verdict {
  const worst = f.rows.reduce((a, b) => (1 - b.on / b.off > 1 - a.on / a.off ? b : a));
  const lost = 1 - worst.on / worst.off;
  return {
    target: `tracing every operation costs <= ${TRACING_MAX_LOSS * 100} % of requests/s`,
    met: f.exports > 0 && lost <= TRACING_MAX_LOSS,
    detail: `worst ${fixed(lost * 100, 1)} % (${worst.query}: ${whole(worst.on)} vs ${whole(worst.off)} requests/s)`,
  };
}
