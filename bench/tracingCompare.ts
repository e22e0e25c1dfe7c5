/**
 * `tsx bench/tracingCompare.ts`: tracing off against on, to find where tracing's cost goes; prints, never writes.
 * Section 6's sides and collector stand-in (tracing.ts), with any other sides, and a second way to load them: short
 * alternated windows with CPU per request by thread.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { fixed, median, whole } from './stats.ts';
import {
  ALWAYS,
  COPY,
  comparedTable,
  compareTracing,
  DEFAULT,
  OFF,
  signed,
  type TracingSide,
  tracingQueries,
  withSides,
} from './tracing.ts';

/** CPU time (ms) of a process's main thread and of its other threads (the GC's helpers, libuv's pool), from /proc. */
function threadCpuMs(pid: number): { main: number; other: number } {
  let main = 0;
  let other = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = (Number(fields[11]) + Number(fields[12])) * 10;
      if (tid === String(pid)) main += ms;
      else other += ms;
    } catch {
      // A thread that ended between the listing and the read.
    }
  }
  return { main, other };
}

/** One side's alternated windows of one query. */
export interface AlternatedSide {
  requests: number;
  elapsedMs: number;
  mainMs: number;
  otherMs: number;
  /** CPU per request (ms, all threads) in each block of about 5 s of windows, paired across the sides. */
  blocks: number[];
}

/**
 * Short windows instead of rounds (`--windows`): a closed loop of `connections` requests in flight (undici, in this
 * process) loads one side for `windowMs`, then the next, round and round until each side has had `seconds` of
 * load. A machine whose load moves from second to second moves every side's figures alike, which 5-s rounds do
 * not; CPU per request is read per thread from /proc, so the garbage collector's helper threads show apart from
 * the main thread. No autocannon: requests/s here are the closed loop's, comparable between sides only.
 */
export async function alternateTracing(options: {
  seconds: number;
  windowMs: number;
  connections: number;
  sides: (endpoint: string) => TracingSide[];
}): Promise<{
  result: { query: string; sides: Map<string, AlternatedSide> }[];
  exports: number;
  exportedBytes: number;
}> {
  const queries = tracingQueries();
  return withSides(options.sides, async (gateways) => {
    const results: { query: string; sides: Map<string, AlternatedSide> }[] = [];
    for (const [query, target] of queries) {
      const loops = gateways.map((g) => {
        const t = target(g.url);
        return { g, t, pool: new Pool(t.origin, { connections: options.connections, pipelining: 1 }), next: 0 };
      });
      const window = async (loop: (typeof loops)[number], ms: number): Promise<number> => {
        const until = performance.now() + ms;
        let count = 0;
        await Promise.all(
          Array.from({ length: options.connections }, async () => {
            while (performance.now() < until) {
              const request = loop.t.requests[loop.next++ % loop.t.requests.length]!;
              const res = await loop.pool.request(request);
              loop.t.check(res.statusCode, await res.body.text());
              count++;
            }
          }),
        );
        return count;
      };
      try {
        for (const loop of loops) await window(loop, 2_000);
        const sides = new Map<string, AlternatedSide>(
          gateways.map((g) => [g.side.name, { requests: 0, elapsedMs: 0, mainMs: 0, otherMs: 0, blocks: [] }]),
        );
        const block = new Map(gateways.map((g) => [g.side.name, { requests: 0, cpuMs: 0 }]));
        const perBlock = Math.max(1, Math.round(5_000 / options.windowMs));
        for (let turn = 0; turn * options.windowMs < options.seconds * 1000; turn++) {
          for (let k = 0; k < loops.length; k++) {
            const loop = loops[(k + turn) % loops.length]!;
            const before = threadCpuMs(loop.g.pid);
            const started = performance.now();
            const requests = await window(loop, options.windowMs);
            const after = threadCpuMs(loop.g.pid);
            const side = sides.get(loop.g.side.name)!;
            side.requests += requests;
            side.elapsedMs += performance.now() - started;
            side.mainMs += after.main - before.main;
            side.otherMs += after.other - before.other;
            const b = block.get(loop.g.side.name)!;
            b.requests += requests;
            b.cpuMs += after.main - before.main + after.other - before.other;
          }
          if ((turn + 1) % perBlock === 0)
            for (const [name, b] of block) {
              sides.get(name)!.blocks.push(b.cpuMs / b.requests);
              b.requests = 0;
              b.cpuMs = 0;
            }
        }
        results.push({ query, sides });
        console.error(`${query} done`);
      } finally {
        await Promise.all(loops.map((l) => l.pool.close()));
      }
    }
    return results;
  });
}

/**
 * The windows as a Markdown table: CPU per request by thread, and what each side adds to the untraced gateways
 * (those named `off`, and `off (2)` with `--twice`, pooled: two identical processes can differ by several per cent
 * for as long as they live, so that one would be a poor reference).
 */
export function alternatedTable(queries: { query: string; sides: Map<string, AlternatedSide> }[], off: string): string {
  const lines = [
    '| query | gateway | requests/s (closed loop) | CPU per request: main thread + other threads | CPU added | CPU added, median of 5-s blocks (range) |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
  ];
  for (const { query, sides } of queries) {
    const refs = [...sides].filter(([name]) => name === off || name === `${off}${COPY}`).map(([, s]) => s);
    const perRequest = (s: AlternatedSide) => (s.mainMs + s.otherMs) / s.requests;
    const reference = refs.reduce((sum, s) => sum + s.mainMs + s.otherMs, 0) / refs.reduce((n, s) => n + s.requests, 0);
    const referenceBlocks = refs[0]!.blocks.map((_, i) => refs.reduce((sum, s) => sum + s.blocks[i]!, 0) / refs.length);
    for (const [name, s] of sides) {
      const untraced = name.startsWith(off);
      const added = s.blocks.map((b, i) => b / referenceBlocks[i]! - 1);
      const cpu = `${fixed(perRequest(s), 3)} ms: ${fixed(s.mainMs / s.requests, 3)} + ${fixed(s.otherMs / s.requests, 3)}`;
      const total = untraced && refs.length === 1 ? '-' : `${signed((perRequest(s) / reference - 1) * 100)} %`;
      const blocks =
        (untraced && refs.length === 1) || added.length === 0
          ? '-'
          : `${signed(median(added) * 100)} % (${signed(Math.min(...added) * 100)} to ${signed(Math.max(...added) * 100)} %)`;
      lines.push(
        `| ${query} | ${name} | ${whole(s.requests / (s.elapsedMs / 1000))} | ${cpu} | ${total} | ${blocks} |`,
      );
    }
  }
  return lines.join('\n');
}

/**
 * The command: section 6's sides (off, the default sampler, always_on) and any others, printed, never written.
 * Its flags are listed in bench/README.md.
 */
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '6' },
    seconds: { type: 'string' },
    connections: { type: 'string' },
    windows: { type: 'boolean', default: false },
    window: { type: 'string', default: '400' },
    base: { type: 'string' },
    ratio: { type: 'string' },
    twice: { type: 'boolean', default: false },
    env: { type: 'string', multiple: true },
    variant: { type: 'string', multiple: true },
    untraced: { type: 'string', multiple: true },
  },
});
const setting = (pair: string): [string, string] => [
  pair.slice(0, pair.indexOf('=')),
  pair.slice(pair.indexOf('=') + 1),
];
const extra = Object.fromEntries((values.env ?? []).map(setting));
const traced = (endpoint: string) => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
  OTEL_SERVICE_NAME: 'bench-gateway',
  ...extra,
});
const atRatio = (endpoint: string) => ({
  ...traced(endpoint),
  OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
  OTEL_TRACES_SAMPLER_ARG: values.ratio ?? '',
});
const base = values.base ? pathToFileURL(`${values.base.replace(/\/$/, '')}/`) : undefined;
const sides = (endpoint: string): TracingSide[] => {
  const list: TracingSide[] = [
    { name: DEFAULT, env: traced(endpoint) },
    { name: ALWAYS, env: { ...traced(endpoint), OTEL_TRACES_SAMPLER: 'always_on' } },
  ];
  if (base) list.push({ name: `tracing on, ${values.base}`, root: base, env: traced(endpoint) });
  if (values.ratio) list.push({ name: `ratio ${values.ratio}`, env: atRatio(endpoint) });
  if (values.ratio && base)
    list.push({ name: `ratio ${values.ratio}, ${values.base}`, root: base, env: atRatio(endpoint) });
  for (const variant of values.variant ?? []) {
    const settings = Object.fromEntries(variant.split(',').map(setting));
    list.push({ name: `tracing on, ${variant}`, env: { ...traced(endpoint), ...settings } });
  }
  for (const variant of values.untraced ?? [])
    list.push({ name: `tracing off, ${variant}`, env: Object.fromEntries(variant.split(',').map(setting)) });
  const all = [{ name: OFF, env: {} }, ...list];
  return values.twice ? [...all, ...all.map((s) => ({ ...s, name: `${s.name}${COPY}` }))] : all;
};
if (values.windows) {
  const seconds = Number(values.seconds ?? 40);
  const windowMs = Number(values.window);
  const connections = Number(values.connections ?? 16);
  const { result, exports, exportedBytes } = await alternateTracing({ seconds, windowMs, connections, sides });
  console.log(
    `\n${seconds} s per gateway and query in ${windowMs}-ms windows taking turns, ${connections} requests in flight; ` +
      `${exports} exports, ${fixed(exportedBytes / 1024, 0)} KB received by the collector stand-in\n`,
  );
  console.log(alternatedTable(result, OFF));
} else {
  const rounds = Number(values.rounds);
  const seconds = Number(values.seconds ?? 5);
  const connections = Number(values.connections ?? 32);
  const { result, exports, exportedBytes } = await compareTracing({ rounds, seconds, connections, sides });
  console.log(
    `\n${rounds} rounds of ${seconds} s per gateway and query, ${connections} connections, the order rotating each ` +
      `round; ${exports} exports, ${fixed(exportedBytes / 1024, 0)} KB received by the collector stand-in\n`,
  );
  console.log(comparedTable(result, OFF));
}
