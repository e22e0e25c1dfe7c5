/**
 * Sections 3 and 4: overhead, throughput and memory, in one run on loopback. The simulator, the gateway
 * and Mesh each run in their own process over the same 11,110 users; the targets take turns (interleaved
 * rounds) so that whatever else the machine does falls on all of them alike.
 */
import type { HierarchyOptions } from '../src/simulator/index.ts';
import { generateHierarchy } from '../src/simulator/index.ts';
import { type LoadResult, load, sequential, type Target } from './load.ts';
import type { Mode } from './mode.ts';
import { type Child, rssMb, startGateway, startMesh, startUpstream } from './processes.ts';
import { median, percentile } from './stats.ts';
import { directTarget, nestedTarget, userTarget } from './targets.ts';

/** The same generated hierarchy as the simulator's own benchmark. */
export const LOAD_HIERARCHY: HierarchyOptions = { roots: 10, fanOut: 10, depth: 4, seed: 2024 };

/** Concurrency-1 times of one target, in milliseconds. */
export interface SequentialRow {
  target: string;
  count: number;
  p50: number;
  p99: number;
}

/** Autocannon figures of one target, summed or averaged over its rounds. */
export interface LoadRow extends LoadResult {
  target: string;
}

export interface MemoryFigures {
  /** RSS (MB) of the gateway process: idle after the other sections, then after each of two equal runs. */
  before: number;
  afterFirst: number;
  afterSecond: number;
  seconds: number;
  requestsPerRun: number[];
}

export interface ThroughputFigures {
  sequential: SequentialRow[];
  load: LoadRow[];
  memory: MemoryFigures;
  meshIncluded: boolean;
}

/** Runs the overhead loop, the interleaved autocannon rounds and the memory runs. */
export async function measureThroughput(mode: Mode, withMesh: boolean): Promise<ThroughputFigures> {
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
    const mesh = withMesh ? await startMesh(upstream) : undefined;
    if (mesh) started.push(mesh);

    const direct = directTarget(upstream.url, upstream.apiKey, readIds);
    const userTargets = [direct, userTarget('gateway', gateway.url, readIds)];
    const nestedTargets = [nestedTarget('gateway', gateway.url, nestedIds)];
    if (mesh) {
      userTargets.push(userTarget('mesh', mesh.url, readIds));
      nestedTargets.push(nestedTarget('mesh', mesh.url, nestedIds));
    }
    const all = [...userTargets, ...nestedTargets];

    const times = await sequential(all, mode.sequentialRequests, 50, Math.min(300, mode.sequentialRequests));
    const sequentialRows = all.map((t) => {
      const list = times.get(t.name)!;
      return { target: t.name, count: list.length, p50: median(list), p99: percentile(list, 99) };
    });

    const loadRows = await interleavedLoad(all, mode);
    const memory = await memoryRuns(gateway.pid, nestedTargets[0]!, userTargets[1]!, mode);
    return { sequential: sequentialRows, load: loadRows, memory, meshIncluded: mesh !== undefined };
  } finally {
    for (const child of started.reverse()) await child.stop();
  }
}

/** `mode.loadRounds` rounds; in each, every target in turn gets `mode.loadSeconds` of autocannon. */
async function interleavedLoad(targets: readonly Target[], mode: Mode): Promise<LoadRow[]> {
  const runs = new Map(targets.map((t) => [t.name, [] as LoadResult[]]));
  // A short untimed burst each, so that no target is measured while its JIT is still cold.
  for (const target of targets) await load(target, mode.connections, 1);
  for (let round = 0; round < mode.loadRounds; round++) {
    for (const target of targets) runs.get(target.name)!.push(await load(target, mode.connections, mode.loadSeconds));
  }
  return targets.map((t) => {
    const list = runs.get(t.name)!;
    const mean = (pick: (r: LoadResult) => number) => list.reduce((sum, r) => sum + pick(r), 0) / list.length;
    return {
      target: t.name,
      requestsPerSecond: mean((r) => r.requestsPerSecond),
      p50: mean((r) => r.p50),
      p99: mean((r) => r.p99),
      total: list.reduce((sum, r) => sum + r.total, 0),
      failures: list.reduce((sum, r) => sum + r.failures, 0),
    };
  });
}

/** Two equal runs of nested and single reads on the gateway; RSS read after each. */
async function memoryRuns(pid: number, nested: Target, single: Target, mode: Mode): Promise<MemoryFigures> {
  const before = rssMb(pid);
  const requestsPerRun: number[] = [];
  const readings: number[] = [];
  for (let run = 0; run < 2; run++) {
    const half = Math.max(1, Math.round(mode.memorySeconds / 2));
    const a = await load(nested, mode.connections, half);
    const b = await load(single, mode.connections, mode.memorySeconds - half || 1);
    requestsPerRun.push(a.total + b.total);
    readings.push(rssMb(pid));
  }
  return { before, afterFirst: readings[0]!, afterSecond: readings[1]!, seconds: mode.memorySeconds, requestsPerRun };
}
