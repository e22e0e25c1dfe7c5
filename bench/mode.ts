/** How long each section runs: `full` for the figures in RESULTS.md, `smoke` so that CI can keep the bench alive. */
export interface Mode {
  readonly name: 'full' | 'smoke';
  /** Repetitions of each tree query in the latency section. */
  readonly treeRuns: number;
  /** Sequential requests per target at concurrency 1, taken in interleaved rounds. */
  readonly sequentialRequests: number;
  /** Seconds of autocannon load per target and round, and how many interleaved rounds. */
  readonly loadSeconds: number;
  readonly loadRounds: number;
  /** Connections autocannon keeps open against each target. */
  readonly connections: number;
  /** Seconds of load on each server before each of the two memory readings. */
  readonly memorySeconds: number;
}

export const FULL: Mode = {
  name: 'full',
  treeRuns: 15,
  sequentialRequests: 2000,
  loadSeconds: 10,
  loadRounds: 2,
  connections: 32,
  memorySeconds: 30,
};
export const SMOKE: Mode = {
  name: 'smoke',
  treeRuns: 2,
  sequentialRequests: 100,
  loadSeconds: 1,
  loadRounds: 1,
  connections: 8,
  memorySeconds: 1,
};
