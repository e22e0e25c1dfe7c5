/**
 * Sections 3 to 5: overhead, throughput, CPU per request and memory, in one run on loopback. The simulator,
 * the gateway (once with one worker, once with two) and each peer (Apollo Server, Mesh) run in their own
 * process over the same 11,110 users; the targets take turns (request by request at concurrency 1,
 * interleaved rounds under load) so that whatever else the machine does falls on all of them alike.
 */
import type { HierarchyOptions } from '../src/simulator/index.ts';
import { generateHierarchy } from '../src/simulator/index.ts';
import { cpuMs } from './cpu.ts';
import { interleaved, type LoadResult, load, type Target } from './load.ts';
import type { Mode } from './mode.ts';
import {
  type Child,
  type GraphqlServer,
  type PeerName,
  rssMb,
  startGateway,
  startPeer,
  startRelay,
  startUpstream,
} from './processes.ts';
import { median, percentile } from './stats.ts';
import { directTarget, nestedTarget, type ServerKind, userTarget } from './targets.ts';

/** The same generated hierarchy as the simulator's own benchmark. */
export const LOAD_HIERARCHY: HierarchyOptions = { roots: 10, fanOut: 10, depth: 4, seed: 2024 };

/** The second gateway's name in the tables: the same gateway with WORKERS=2. */
export const TWO_WORKERS = 'gateway, 2 workers';

/** The plain Node relay's name in the tables (relay-server.ts): the floor of any server between client and nCore. */
export const RELAY = 'plain Node relay';

/** Concurrency-1 times of one target, in milliseconds. */
export interface SequentialRow {
  target: string;
  count: number;
  p50: number;
  p99: number;
  /** Median over turns of (this target's time - the direct call's time in the same turn); NaN for direct. */
  pairedAdded: number;
}

/** Autocannon figures of one target, summed or averaged over its rounds, and its server's CPU per request. */
export interface LoadRow extends LoadResult {
  target: string;
  /** User + system CPU of the serving process (and its workers) per answered request, in ms. */
  cpuMsPerRequest: number;
}

/** One server's memory: RSS (MB, from /proc) idle after its start, during and after two equal runs of load. */
export interface MemoryRow {
  server: string;
  /** From its spawn to its first answer's readiness: the process's own startup, module loading included. */
  startupMs: number;
  idle: number;
  /** The highest RSS sampled (every 250 ms) during the runs. */
  peak: number;
  afterRuns: number[];
  requestsPerRun: number[];
}

export interface MemoryFigures {
  seconds: number;
  rows: MemoryRow[];
  /** Startup of the servers not loaded in the memory runs (the plain Node relay, the gateway with two workers). */
  startups: { server: string; startupMs: number }[];
}

export interface ThroughputFigures {
  sequential: SequentialRow[];
  load: LoadRow[];
  memory: MemoryFigures;
  /** The peers that ran beside the gateway. */
  peers: PeerName[];
}

/** Runs the overhead loop, the interleaved autocannon rounds and the memory runs. */
export async function measureThroughput(mode: Mode, peers: readonly PeerName[]): Promise<ThroughputFigures> {
  const users = generateHierarchy(LOAD_HIERARCHY);
  const children = new Map<string, number>();
  for (const u of users)
    if (u.parent_user_id) children.set(u.parent_user_id, (children.get(u.parent_user_id) ?? 0) + 1);
  // 1,000 users spread over the forest for single reads; users with a parent and at least ten children for nested.
  const step = Math.floor(users.length / 1000);
  const readIds = users
    .filter((_, i) => i % step === 0)
    .slice(0, 1000)
    .map((u) => u.id);
  const nestedIds = users
    .filter((u) => u.parent_user_id && (children.get(u.id) ?? 0) >= 10)
    .slice(0, 1000)
    .map((u) => u.id);

  const started: Child[] = [];
  try {
    const upstream = await startUpstream(LOAD_HIERARCHY);
    started.push(upstream);
    const gateway = await startGateway(upstream);
    started.push(gateway);
    const twoWorkers = await startGateway(upstream, { WORKERS: '2' });
    started.push(twoWorkers);
    const relayServer = await startRelay(upstream);
    started.push(relayServer);
    const servers: { name: string; server: GraphqlServer }[] = [{ name: 'gateway', server: gateway }];
    const pids = new Map<string, number>();
    const direct = directTarget(upstream.url, upstream.apiKey, readIds);
    pids.set(direct.name, upstream.pid);
    const relay = userTarget('gateway', relayServer.url, readIds, RELAY);
    pids.set(relay.name, relayServer.pid);
    const userTargets: Target[] = [];
    const nestedTargets: Target[] = [];
    // Each server's two targets, their CPU read from its process.
    const add = (kind: ServerKind, server: GraphqlServer) => {
      const user = userTarget(kind, server.url, readIds);
      const nested = nestedTarget(kind, server.url, nestedIds);
      userTargets.push(user);
      nestedTargets.push(nested);
      pids.set(user.name, server.pid);
      pids.set(nested.name, server.pid);
    };
    add('gateway', gateway);
    for (const name of peers) {
      const peer = await startPeer(name, upstream);
      started.push(peer);
      add(name, peer);
      servers.push({ name, server: peer });
    }
    // Idle: every server started, none yet asked anything; a moment for start-up work to settle.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const idle = new Map(servers.map(({ name, server }) => [name, rssMb(server.pid)]));
    const sequentialTargets = [direct, relay, ...userTargets, ...nestedTargets];

    const times = await interleaved(sequentialTargets, mode.sequentialRequests, Math.min(300, mode.sequentialRequests));
    const directTimes = times.get(direct.name)!;
    const sequentialRows = sequentialTargets.map((t) => {
      const list = times.get(t.name)!;
      return {
        target: t.name,
        count: list.length,
        p50: median(list),
        p99: percentile(list, 99),
        pairedAdded: t === direct ? Number.NaN : median(list.map((ms, i) => ms - directTimes[i]!)),
      };
    });

    const two = [
      userTarget('gateway', twoWorkers.url, readIds, TWO_WORKERS),
      nestedTarget('gateway', twoWorkers.url, nestedIds, TWO_WORKERS),
    ];
    for (const t of two) pids.set(t.name, twoWorkers.pid);
    const loadTargets = [direct, relay, ...userTargets, two[0]!, ...nestedTargets, two[1]!];
    const loadRows = await interleavedLoad(loadTargets, pids, mode);
    const runs = await memoryRuns(
      servers.map(({ name, server }, i) => ({
        name,
        server,
        idle: idle.get(name)!,
        nested: nestedTargets[i]!,
        single: userTargets[i]!,
      })),
      mode,
    );
    const memory: MemoryFigures = {
      ...runs,
      startups: [
        { server: RELAY, startupMs: relayServer.startupMs },
        { server: TWO_WORKERS, startupMs: twoWorkers.startupMs },
      ],
    };
    return { sequential: sequentialRows, load: loadRows, memory, peers: [...peers] };
  } finally {
    for (const child of started.reverse()) await child.stop();
  }
}

/**
 * `mode.loadRounds` rounds; in each, every target in turn gets `mode.loadSeconds` of autocannon, its server's
 * CPU time read from /proc before and after.
 */
async function interleavedLoad(
  targets: readonly Target[],
  pids: ReadonlyMap<string, number>,
  mode: Mode,
): Promise<LoadRow[]> {
  const runs = new Map(targets.map((t) => [t.name, [] as (LoadResult & { cpuMs: number })[]]));
  // A short untimed burst each, so that no target is measured while its JIT is still cold.
  for (const target of targets) await load(target, mode.connections, 1);
  for (let round = 0; round < mode.loadRounds; round++) {
    for (const target of targets) {
      const pid = pids.get(target.name)!;
      const cpuBefore = cpuMs(pid);
      const result = await load(target, mode.connections, mode.loadSeconds);
      runs.get(target.name)!.push({ ...result, cpuMs: cpuMs(pid) - cpuBefore });
    }
  }
  return targets.map((t) => {
    const list = runs.get(t.name)!;
    const mean = (pick: (r: LoadResult) => number) => list.reduce((sum, r) => sum + pick(r), 0) / list.length;
    const total = list.reduce((sum, r) => sum + r.total, 0);
    return {
      target: t.name,
      requestsPerSecond: mean((r) => r.requestsPerSecond),
      p50: mean((r) => r.p50),
      p99: mean((r) => r.p99),
      total,
      failures: list.reduce((sum, r) => sum + r.failures, 0),
      cpuMsPerRequest: list.reduce((sum, r) => sum + r.cpuMs, 0) / total,
    };
  });
}

/**
 * Two equal runs of nested and single reads on each server, the servers taking turns run by run; RSS sampled
 * every 250 ms during the runs (the peak) and read after each.
 */
async function memoryRuns(
  servers: { name: string; server: GraphqlServer; idle: number; nested: Target; single: Target }[],
  mode: Mode,
): Promise<Omit<MemoryFigures, 'startups'>> {
  const rows: MemoryRow[] = servers.map(({ name, server, idle }) => ({
    server: name,
    startupMs: server.startupMs,
    idle,
    peak: idle,
    afterRuns: [],
    requestsPerRun: [],
  }));
  for (let run = 0; run < 2; run++) {
    for (const [i, { server, nested, single }] of servers.entries()) {
      const row = rows[i]!;
      const sampler = setInterval(() => {
        row.peak = Math.max(row.peak, rssMb(server.pid));
      }, 250);
      try {
        const half = Math.max(1, Math.round(mode.memorySeconds / 2));
        const a = await load(nested, mode.connections, half);
        const b = await load(single, mode.connections, mode.memorySeconds - half || 1);
        row.requestsPerRun.push(a.total + b.total);
      } finally {
        clearInterval(sampler);
      }
      row.afterRuns.push(rssMb(server.pid));
      row.peak = Math.max(row.peak, row.afterRuns.at(-1)!);
    }
  }
  return { seconds: mode.memorySeconds, rows };
}
