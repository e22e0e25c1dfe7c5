/**
 * A faithful local nCore Users API for tests, benchmarks and `npm start` without an upstream.
 * The gateway's own modules never import it: only main.ts (the embedded demo, loaded when no nCore is
 * configured), the tests and the benchmarks do.
 */

export { type Demo, type EmbeddedNcore, startDemo } from './embed.ts';
export { generateHierarchy, type HierarchyOptions } from './generate.ts';
export { DEMO_BUSINESS_ID, DEMO_ROOT_ID, demoSeed } from './seed.ts';
export { createSimulator, DEFAULT_API_KEY } from './server.ts';
export type {
  Fault,
  FaultBody,
  Latency,
  LoggedRequest,
  Quota,
  Route,
  Simulator,
  SimulatorOptions,
} from './types.ts';
