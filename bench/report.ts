/**
 * Turns the figures into Markdown tables and target verdicts: printed by `npm run bench` and written between
 * markers into bench/RESULTS.md, so that hand-written sections around them (the simulator's, the profile
 * notes) survive every rerun.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { CallRow } from './calls.ts';
import type { TreeRow } from './latency.ts';
import { fixed, whole } from './stats.ts';
import type { ThroughputFigures } from './throughput.ts';

export interface Figures {
  calls: CallRow[];
  trees: TreeRow[];
  treesTuned: TreeRow[];
  tunedEnv: Record<string, string>;
  throughput: ThroughputFigures;
}

/** Whether a target is met, and the figure that says so. */
export interface Verdict {
  target: string;
  met: boolean;
  detail: string;
}

function table(header: string[], rows: (string | number)[][], align?: ('l' | 'r')[]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  const rule = header.map((_, i) => ((align?.[i] ?? (i === 0 ? 'l' : 'r')) === 'r' ? '---:' : '---'));
  return [line(header), line(rule), ...rows.map(line)].join('\n');
}

export function callsTable(rows: CallRow[]): string {
  return table(
    ['query shape', 'floor', 'gateway', 'gateway / floor', 'naive (no DataLoader)', 'naive / floor', 'same data'],
    rows.map((r) => [
      r.shape,
      r.floor,
      r.gateway,
      fixed(r.gateway / r.floor, 2),
      r.naive,
      fixed(r.naive / r.floor, 2),
      r.sameData === null ? 'n/a (write)' : r.sameData ? 'yes' : 'NO',
    ]),
  );
}

export function treesTable(rows: TreeRow[]): string {
  return table(
    [
      'fan-out',
      'levels L',
      'nCore calls',
      'median ms',
      'max ms',
      'median / (L x 20 ms)',
      'bound ms',
      'within bound',
      'direct call ms',
      'inline `first: 10`',
    ],
    rows.map((r) => [
      r.fanOut,
      r.levels,
      r.calls,
      r.refused ? 'refused' : fixed(r.medianMs, 1),
      r.refused ? '-' : fixed(r.maxMs, 1),
      r.refused ? '-' : fixed(r.medianMs / r.floorMs, 2),
      fixed(r.boundMs, 0),
      r.refused ? `no: ${r.refused.split(':')[0]}` : r.medianMs <= r.boundMs ? 'yes' : 'no',
      fixed(r.directMs, 1),
      r.literalRefused
        ? `refused (${r.literalRefused.includes('Cost') ? 'cost limit' : r.literalRefused.split(':')[0]})`
        : 'answered',
    ]),
  );
}

export function sequentialTable(t: ThroughputFigures): string {
  const direct = t.sequential.find((r) => r.target.startsWith('direct'))!;
  return table(
    ['target (concurrency 1)', 'requests', 'p50 ms', 'p99 ms', 'p50 added to direct'],
    t.sequential.map((r) => [
      r.target,
      r.count,
      fixed(r.p50, 3),
      fixed(r.p99, 3),
      r === direct ? '-' : `${fixed(r.p50 - direct.p50, 3)} ms`,
    ]),
  );
}

export function loadTable(t: ThroughputFigures, connections: number): string {
  const rate = (name: string) => t.load.find((r) => r.target === name)?.requestsPerSecond ?? Number.NaN;
  const ratio = (name: string) => {
    if (!name.startsWith('gateway')) return '-';
    const peer = rate(name.replace('gateway', 'mesh'));
    return Number.isFinite(peer) ? `${fixed(rate(name) / peer, 2)} x Mesh` : '-';
  };
  return table(
    [`target (${connections} connections)`, 'requests/s', 'p50 ms', 'p99 ms', 'requests', 'failures', 'gateway / Mesh'],
    t.load.map((r) => [
      r.target,
      whole(r.requestsPerSecond),
      fixed(r.p50, 0),
      fixed(r.p99, 0),
      whole(r.total),
      r.failures,
      ratio(r.target),
    ]),
  );
}

export function memoryTable(t: ThroughputFigures): string {
  const m = t.memory;
  return table(
    ['gateway RSS', 'MB', 'requests in the run'],
    [
      ['idle, after the throughput rounds', fixed(m.before, 1), '-'],
      [`after run 1 (${m.seconds} s of load)`, fixed(m.afterFirst, 1), whole(m.requestsPerRun[0]!)],
      [`after run 2 (${m.seconds} s of load)`, fixed(m.afterSecond, 1), whole(m.requestsPerRun[1]!)],
      ['growth from run 1 to run 2', fixed(m.afterSecond - m.afterFirst, 1), '-'],
    ],
  );
}

/** RSS may move by allocator noise; more than this between two equal runs counts as growth. */
const MEMORY_TOLERANCE_MB = 10;

export function verdicts(f: Figures): Verdict[] {
  const worstCalls = Math.max(...f.calls.map((r) => r.gateway / r.floor));
  const trees = f.trees.filter((r) => !r.refused);
  const outside = f.trees.filter((r) => r.refused || r.medianMs > r.boundMs);
  const rate = (name: string) => f.throughput.load.find((r) => r.target === name)?.requestsPerSecond ?? Number.NaN;
  const direct = f.throughput.sequential.find((r) => r.target.startsWith('direct'))!;
  const gatewayUser = f.throughput.sequential.find((r) => r.target === 'gateway user(id)')!;
  const added = gatewayUser.p50 - direct.p50;
  const growth = f.throughput.memory.afterSecond - f.throughput.memory.afterFirst;
  const list: Verdict[] = [
    {
      target: 'nCore calls / floor = 1.00 on every shape',
      met: worstCalls <= 1,
      detail: `worst ${fixed(worstCalls, 2)} over ${f.calls.length} shapes`,
    },
    {
      target: 'tree latency <= L x 20 ms x 1.15 + 10 ms (production defaults)',
      met: outside.length === 0,
      detail:
        outside.length === 0
          ? `all ${trees.length} trees within; worst median / floor ${fixed(Math.max(...trees.map((r) => r.medianMs / r.floorMs)), 2)}`
          : `outside: ${outside.map((r) => `fan-out ${r.fanOut} L=${r.levels} (${r.refused ? r.refused.split(':')[0] : `${fixed(r.medianMs, 0)} ms > ${fixed(r.boundMs, 0)} ms`})`).join('; ')}`,
    },
    {
      target: '<= 0.5 ms added to the p50 of a direct call (concurrency 1)',
      met: added <= 0.5,
      detail: `${fixed(added, 3)} ms (${fixed(gatewayUser.p50, 3)} vs ${fixed(direct.p50, 3)} ms)`,
    },
    {
      target: `gateway RSS: no growth between two runs (<= ${MEMORY_TOLERANCE_MB} MB)`,
      met: Number.isFinite(growth) && growth <= MEMORY_TOLERANCE_MB,
      detail: `${fixed(growth, 1)} MB (${fixed(f.throughput.memory.afterFirst, 1)} -> ${fixed(f.throughput.memory.afterSecond, 1)} MB)`,
    },
  ];
  if (f.throughput.meshIncluded) {
    for (const [what, gw, mesh] of [
      ['user(id)', 'gateway user(id)', 'mesh user(id)'],
      ['nested', 'gateway nested', 'mesh nested'],
    ] as const) {
      const ratio = rate(gw) / rate(mesh);
      list.push({
        target: `gateway >= 3 x Mesh requests/s, ${what}`,
        met: ratio >= 3,
        detail: `${fixed(ratio, 2)} x (${whole(rate(gw))} vs ${whole(rate(mesh))} requests/s)`,
      });
    }
  }
  return list;
}

export function verdictTable(list: Verdict[]): string {
  return table(
    ['target', 'met', 'figure'],
    list.map((v) => [v.target, v.met ? 'yes' : '**no**', v.detail]),
    ['l', 'l', 'l'],
  );
}

const START = '<!-- bench:start (written by npm run bench; edit outside these markers) -->';
const END = '<!-- bench:end -->';

/** Replaces the generated part of RESULTS.md, or appends it; everything outside the markers is kept. */
export function writeResults(path: URL, section: string): void {
  const current = readFileSync(path, 'utf8');
  const block = `${START}\n${section.trim()}\n${END}`;
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const next =
    start >= 0 && end > start
      ? current.slice(0, start) + block + current.slice(end + END.length)
      : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(path, next);
}
