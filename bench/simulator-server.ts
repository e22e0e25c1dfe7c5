/**
 * The benchmark's upstream, in its own process so that the load generator does not share its core:
 * a simulator seeded with a generated 11,110-user hierarchy. Reports `{ url, apiKey, ids }` over IPC
 * and exits when its parent disconnects.
 */
import { createSimulator, generateHierarchy } from '../src/simulator/index.ts';

const users = generateHierarchy({ roots: 10, fanOut: 10, depth: 4, seed: 2024 });
const sim = await createSimulator({ seed: users, apiKey: 'bench-key', requestLogLimit: 10_000 });
process.send?.({ url: sim.url, apiKey: sim.apiKey, ids: users.map((u) => u.id) });
process.on('disconnect', () => {
  void sim.close().then(() => process.exit(0));
});
