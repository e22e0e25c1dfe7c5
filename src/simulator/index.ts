/**
 * A faithful local nCore Users API for tests, benchmarks and `npm start` without an upstream.
 * Nothing outside `src/simulator/` and `src/main.ts` imports it.
 */

export { generateHierarchy, type HierarchyOptions } from './generate.ts';
export { DEMO_BUSINESS_ID, DEMO_ROOT_ID, demoSeed } from './seed.ts';
export { createSimulator, DEFAULT_API_KEY } from './server.ts';
export type { Fault, FaultBody, Latency, LoggedRequest, Route, Simulator, SimulatorOptions } from './types.ts';
