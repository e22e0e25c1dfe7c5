/**
 * `npm run simulator`: the nCore Users simulator on its own, seeded with the demo hierarchy.
 * SIMULATOR_PORT (default 4010) and SIMULATOR_API_KEY (default `sim-dev-key`) configure it.
 */
import { createSimulator } from './index.ts';
import { DEMO_ROOT_ID } from './seed.ts';

const DEFAULT_PORT = 4010;
const DEFAULT_KEY = 'sim-dev-key';

const rawPort = process.env.SIMULATOR_PORT ?? String(DEFAULT_PORT);
const port = Number(rawPort);
if (!/^\d+$/.test(rawPort) || port > 65_535) {
  console.error(`SIMULATOR_PORT must be a port number from 0 to 65535, not "${rawPort}"`);
  process.exit(1);
}
const apiKey = process.env.SIMULATOR_API_KEY || DEFAULT_KEY;

// A long-running process keeps only the recent part of its request log.
const simulator = await createSimulator({ port, apiKey, requestLogLimit: 10_000 });
console.log(`nCore Users simulator listening on ${simulator.url}`);
console.log(`API key (header "apikey"): ${apiKey}`);
console.log(`OpenAPI document: ${simulator.url}/openapi.json`);
console.log(`Try: curl -H 'apikey: ${apiKey}' ${simulator.url}/users/${DEMO_ROOT_ID}`);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping`);
  await simulator.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
