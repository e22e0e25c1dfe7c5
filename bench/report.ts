/**
 * Turns the figures into Markdown tables and target verdicts: printed by `npm run bench` and written between
 * markers into bench/RESULTS.md, so that hand-written sections around them (the simulator's, the profile
 * notes) survive every rerun.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { CallRow } from './calls.ts';
import type { TreeRow, TreeTimes } from './latency.ts';
import { PEERS, type PeerName } from './processes.ts';
import { fixed, whole } from './stats.ts';
import { RELAY, type ThroughputFigures, TWO_WORKERS } from './throughput.ts';

export interface Figures {
  calls: CallRow[];
  trees: TreeRow[];
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

/** The tree table's servers, in column order: the gateway first, then those present in the rows. */
function treeServers(rows: TreeRow[]): string[] {
  const names = new Set<string>();
  for (const r of rows) for (const name of Object.keys(r.times)) names.add(name);
  return [...names];
}

function treeCell(t: TreeTimes | undefined): string {
  if (!t) return '-';
  return t.refused ? `refused (${t.refused.split(':')[0]})` : fixed(t.medianMs, 1);
}

export function treesTable(rows: TreeRow[]): string {
  const others = treeServers(rows).filter((n) => n !== 'gateway');
  return table(
    [
      'fan-out',
      'levels L',
      'nCore calls',
      'bound ms',
      'gateway median ms',
      'gateway max ms',
      'gateway / (L x 20 ms)',
      'within bound',
      ...others.map((n) => `${n} median ms`),
      'direct call ms',
      'direct REST walk ms',
      'gateway - walk ms',
      'gateway, inline `first: 10`',
    ],
    rows.map((r) => {
      const g = r.times['gateway']!;
      return [
        r.fanOut,
        r.levels,
        r.calls,
        fixed(r.boundMs, 0),
        treeCell(g),
        g.refused ? '-' : fixed(g.maxMs, 1),
        g.refused ? '-' : fixed(g.medianMs / r.floorMs, 2),
        g.refused ? 'no' : g.medianMs <= r.boundMs ? 'yes' : 'no',
        ...others.map((n) => treeCell(r.times[n])),
        fixed(r.directMs, 1),
        fixed(r.directTreeMs, 1),
        g.refused ? '-' : fixed(g.medianMs - r.directTreeMs, 1),
        r.literalRefused
          ? `refused (${r.literalRefused.includes('Cost') ? 'cost limit' : r.literalRefused.split(':')[0]})`
          : 'answered',
      ];
    }),
  );
}

export function sequentialTable(t: ThroughputFigures): string {
  const direct = t.sequential.find((r) => r.target.startsWith('direct'))!;
  return table(
    [
      'target (concurrency 1)',
      'requests',
      'p50 ms',
      'p99 ms',
      'p50 - direct p50',
      'median of (this - direct), per turn',
    ],
    t.sequential.map((r) => [
      r.target,
      r.count,
      fixed(r.p50, 3),
      fixed(r.p99, 3),
      r === direct ? '-' : `${fixed(r.p50 - direct.p50, 3)} ms`,
      r === direct ? '-' : `${fixed(r.pairedAdded, 3)} ms`,
    ]),
  );
}

function rateOf(t: ThroughputFigures, name: string): number {
  return t.load.find((r) => r.target === name)?.requestsPerSecond ?? Number.NaN;
}

export function loadTable(t: ThroughputFigures, connections: number): string {
  const ratio = (name: string, peer: PeerName) => {
    if (!name.startsWith('gateway ')) return '-';
    const other = rateOf(t, name.replace('gateway', peer));
    return Number.isFinite(other) ? `${fixed(rateOf(t, name) / other, 2)} x` : '-';
  };
  return table(
    [
      `target (${connections} connections)`,
      'requests/s',
      'p50 ms',
      'p99 ms',
      'requests',
      'failures',
      'CPU ms / request',
      ...t.peers.map((p) => `gateway / ${PEERS[p].label}`),
    ],
    t.load.map((r) => [
      r.target,
      whole(r.requestsPerSecond),
      fixed(r.p50, 0),
      fixed(r.p99, 0),
      whole(r.total),
      r.failures,
      fixed(r.cpuMsPerRequest, 3),
      ...t.peers.map((p) => ratio(r.target, p)),
    ]),
  );
}

export function workersTable(t: ThroughputFigures): string {
  return table(
    ['query', 'WORKERS=1 requests/s', 'WORKERS=2 requests/s', '2 / 1', 'CPU ms / request, 1', 'CPU ms / request, 2'],
    (['user(id)', 'nested'] as const).map((q) => {
      const one = t.load.find((r) => r.target === `gateway ${q}`);
      const two = t.load.find((r) => r.target === `${TWO_WORKERS} ${q}`);
      return [
        q,
        whole(one?.requestsPerSecond ?? Number.NaN),
        whole(two?.requestsPerSecond ?? Number.NaN),
        fixed((two?.requestsPerSecond ?? Number.NaN) / (one?.requestsPerSecond ?? Number.NaN), 2),
        fixed(one?.cpuMsPerRequest ?? Number.NaN, 3),
        fixed(two?.cpuMsPerRequest ?? Number.NaN, 3),
      ];
    }),
  );
}

export function memoryTable(t: ThroughputFigures): string {
  const m = t.memory;
  const label = (server: string) => (server === 'gateway' ? server : (PEERS[server as PeerName]?.label ?? server));
  const gateway = m.rows.find((r) => r.server === 'gateway')!;
  return table(
    [
      'server',
      'startup ms',
      'RSS idle MB',
      `RSS after run 1 (${m.seconds} s)`,
      `RSS after run 2 (${m.seconds} s)`,
      'RSS peak under load MB',
      'growth, run 1 to 2',
      'requests per run',
      'gateway / this, idle and peak',
    ],
    [
      ...m.rows.map((r) => [
        label(r.server),
        whole(r.startupMs),
        fixed(r.idle, 1),
        fixed(r.afterRuns[0]!, 1),
        fixed(r.afterRuns[1]!, 1),
        fixed(r.peak, 1),
        fixed(r.afterRuns[1]! - r.afterRuns[0]!, 1),
        r.requestsPerRun.map(whole).join(', '),
        r === gateway ? '-' : `${fixed(gateway.idle / r.idle, 2)} x, ${fixed(gateway.peak / r.peak, 2)} x`,
      ]),
      ...m.startups.map((s) => [s.server, whole(s.startupMs), '-', '-', '-', '-', '-', '-', '-']),
    ],
  );
}

/** RSS may move by allocator noise; more than this between two equal runs counts as growth. */
const MEMORY_TOLERANCE_MB = 10;
/** The gateway's RSS, idle and at its peak under load, against Apollo Server's under the same load. */
const RSS_FACTOR = 1.2;
/** The performance targets: against the hand-written peer, per-request CPU and overhead. */
const MAX_ADDED_OVER_RELAY_MS = 0.3;
const MAX_CPU_MS = 0.15;
const PEER_FACTOR: Record<PeerName, number> = { apollo: 1.5, mesh: 3 };

function treeVerdict(rows: TreeRow[], what: string): Verdict {
  const outside = rows.filter((r) => r.times['gateway']!.refused || r.times['gateway']!.medianMs > r.boundMs);
  const answered = rows.filter((r) => !r.times['gateway']!.refused);
  return {
    target: `tree latency <= L x 20 ms x 1.15 + 10 ms (${what})`,
    met: outside.length === 0,
    detail:
      outside.length === 0
        ? `all ${answered.length} trees within; worst median / floor ${fixed(Math.max(...answered.map((r) => r.times['gateway']!.medianMs / r.floorMs)), 2)}`
        : `outside: ${outside
            .map((r) => {
              const g = r.times['gateway']!;
              return `fan-out ${r.fanOut} L=${r.levels} (${g.refused ? g.refused.split(':')[0] : `${fixed(g.medianMs, 0)} ms > ${fixed(r.boundMs, 0)} ms`})`;
            })
            .join('; ')}`,
  };
}

export function verdicts(f: Figures): Verdict[] {
  const worstCalls = Math.max(...f.calls.map((r) => r.gateway / r.floor));
  const t = f.throughput;
  const gatewayUser = t.sequential.find((r) => r.target === 'gateway user(id)')!;
  const flatCpu = t.load.find((r) => r.target === 'gateway user(id)')?.cpuMsPerRequest ?? Number.NaN;
  const relayUser = t.sequential.find((r) => r.target === `${RELAY} user(id)`)!;
  const memory = t.memory.rows.find((r) => r.server === 'gateway')!;
  const apollo = t.memory.rows.find((r) => r.server === 'apollo');
  const growth = memory.afterRuns[1]! - memory.afterRuns[0]!;
  const wide = f.trees.filter((r) => r.fanOut === 10 && r.levels === 4);
  const list: Verdict[] = [
    {
      // Exactly the floor: fewer would mean calls saved across operations (a cache), which this section must not count.
      target: 'nCore calls / floor = 1.00 on every shape',
      met: f.calls.every((r) => r.gateway === r.floor),
      detail: `${fixed(Math.min(...f.calls.map((r) => r.gateway / r.floor)), 2)} to ${fixed(worstCalls, 2)} over ${f.calls.length} shapes`,
    },
    treeVerdict(f.trees, 'production defaults'),
    treeVerdict(wide, 'the wide tree: fan-out 10, L = 4, 112 calls'),
    {
      target: `added to the p50 of a direct call within ${MAX_ADDED_OVER_RELAY_MS} ms of the plain Node relay's (concurrency 1, median per turn)`,
      met: gatewayUser.pairedAdded - relayUser.pairedAdded <= MAX_ADDED_OVER_RELAY_MS,
      detail: `${fixed(gatewayUser.pairedAdded - relayUser.pairedAdded, 3)} ms more (${fixed(gatewayUser.pairedAdded, 3)} vs ${fixed(relayUser.pairedAdded, 3)} ms added)`,
    },
    {
      target: `<= ${MAX_CPU_MS} ms of gateway CPU per flat request`,
      met: flatCpu <= MAX_CPU_MS,
      detail: `${fixed(flatCpu, 3)} ms`,
    },
    {
      target: `gateway RSS: no growth between two equal runs of load (<= ${MEMORY_TOLERANCE_MB} MB)`,
      met: Number.isFinite(growth) && growth <= MEMORY_TOLERANCE_MB,
      detail: `${fixed(memory.afterRuns[0]!, 1)} -> ${fixed(memory.afterRuns[1]!, 1)} MB (${fixed(growth, 1)} MB)`,
    },
  ];
  if (apollo) {
    for (const [what, ours, theirs] of [
      ['idle', memory.idle, apollo.idle],
      ['peak under load', memory.peak, apollo.peak],
    ] as const) {
      list.push({
        target: `gateway RSS ${what} <= ${RSS_FACTOR} x Apollo's`,
        met: ours <= RSS_FACTOR * theirs,
        detail: `${fixed(ours / theirs, 2)} x (${fixed(ours, 1)} vs ${fixed(theirs, 1)} MB)`,
      });
    }
  }
  for (const peer of t.peers) {
    for (const what of ['user(id)', 'nested'] as const) {
      const ratio = rateOf(t, `gateway ${what}`) / rateOf(t, `${peer} ${what}`);
      list.push({
        target: `gateway >= ${PEER_FACTOR[peer]} x ${PEERS[peer].label} requests/s, ${what}`,
        met: ratio >= PEER_FACTOR[peer],
        detail: `${fixed(ratio, 2)} x (${whole(rateOf(t, `gateway ${what}`))} vs ${whole(rateOf(t, `${peer} ${what}`))} requests/s)`,
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
  writeBetween(START, END, section, path);
}

/** Replaces what stands between a section's own markers in RESULTS.md, or appends the section with them. */
export function writeBetween(
  start: string,
  end: string,
  section: string,
  path = new URL('./RESULTS.md', import.meta.url),
): void {
  const current = readFileSync(path, 'utf8');
  const block = `${start}\n${section.trim()}\n${end}`;
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  writeFileSync(
    path,
    from >= 0 && to > from
      ? current.slice(0, from) + block + current.slice(to + end.length)
      : `${current.trimEnd()}\n\n${block}\n`,
  );
}
