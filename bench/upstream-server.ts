/**
 * A benchmark upstream in its own process, so that the gateway under test does not share its event loop:
 * the simulator seeded with `generateHierarchy(BENCH_HIERARCHY)`, with `BENCH_LATENCY_MS` added to every
 * answer and a bounded request log, as for a long-running process. Reports `{ url, apiKey, ids }` over
 * IPC; exits when its parent disconnects, and after `BENCH_MAX_LIFETIME_MS` whatever happens.
 */
import { createSimulator, generateHierarchy, type HierarchyOptions } from '../src/simulator/index.ts';

const hierarchy = JSON.parse(
  process.env['BENCH_HIERARCHY'] ?? '{"roots":10,"fanOut":10,"depth":4,"seed":2024}',
) as HierarchyOptions;
const latencyMs = Number(process.env['BENCH_LATENCY_MS'] ?? 0);
setTimeout(() => process.exit(0), Number(process.env['BENCH_MAX_LIFETIME_MS'] ?? 15 * 60_000)).unref();

const users = generateHierarchy(hierarchy);
const sim = await createSimulator({ seed: users, apiKey: 'bench-key', requestLogLimit: 10_000, latencyMs });
process.send?.({ url: sim.url, apiKey: sim.apiKey, ids: users.map((u) => u.id) });
process.on('disconnect', () => {
  void sim.close().then(() => process.exit(0));
});
