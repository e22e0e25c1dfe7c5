/**
 * Section 1: nCore calls per query shape. The simulator runs in this process, so that its request log
 * (`sim.requests`) can be read; the gateway runs in-process too (`gateway.fetch`), with production settings.
 */
import { isDeepStrictEqual } from 'node:util';
import { loadConfig } from '../src/config/index.ts';
import type { WirePage, WireUser } from '../src/contract/types.ts';
import { createGateway } from '../src/gateway.ts';
import { createSimulator, generateHierarchy } from '../src/simulator/index.ts';
import { Hierarchy } from './data.ts';
import { naiveExecutor } from './naive.ts';
import { type Exec, SHAPES, type Source } from './shapes.ts';

/** The seed of this section: 8 trees, fan-out 4, five levels (2,728 users). */
export const CALLS_HIERARCHY = { roots: 8, fanOut: 4, depth: 5, seed: 11 } as const;

/** One shape's figures. */
export interface CallRow {
  shape: string;
  floor: number;
  gateway: number;
  naive: number;
  /** Whether the gateway's data equals the naive resolvers' data (null where a write makes them differ). */
  sameData: boolean | null;
}

/** Runs every shape on the gateway and on the naive resolvers, from the same freshly reset data. */
export async function measureCalls(): Promise<CallRow[]> {
  const sim = await createSimulator({ seed: generateHierarchy(CALLS_HIERARCHY), apiKey: 'bench-key' });
  // Each shape is one operation against the floor of one operation: no cache of users carried between them (the
  // cache has a section of its own).
  const gateway = createGateway(
    loadConfig({
      NODE_ENV: 'production',
      NCORE_BASE_URL: sim.url,
      NCORE_API_KEY: sim.apiKey,
      GATEWAY_AUTH: 'none',
      CACHE_TTL_MS: '0',
    }).gateway,
  );
  const viaGateway: Exec = async (query, variables) => {
    const res = await gateway.fetch('http://gateway.bench/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
    if (body.errors?.length || !body.data)
      throw new Error(`gateway: ${body.errors?.map((e) => e.message).join('; ') ?? res.status}`);
    return body.data;
  };
  const naive = naiveExecutor(sim);
  const source: Source = {
    async search(name, limit) {
      const res = await fetch(`${sim.url}/users:search`, {
        method: 'POST',
        headers: { apikey: sim.apiKey, 'content-type': 'application/json' },
        body: JSON.stringify({ name, limit }),
      });
      return ((await res.json()) as WirePage<WireUser>).data;
    },
  };

  const rows: CallRow[] = [];
  try {
    for (const shape of SHAPES) {
      sim.reset();
      const data = new Hierarchy(sim.users());
      const floor = await shape.floor(data, source);
      sim.reset();
      const fromGateway = await shape.run(viaGateway, data);
      const gatewayCalls = sim.requests.length;
      sim.reset();
      const fromNaive = await shape.run(naive, data);
      const naiveCalls = sim.requests.length;
      const sameData = shape.comparable ? isDeepStrictEqual(normalise(fromGateway), normalise(fromNaive)) : null;
      rows.push({ shape: shape.name, floor, gateway: gatewayCalls, naive: naiveCalls, sameData });
    }
  } finally {
    await gateway.close();
    await sim.close();
  }
  return rows;
}

/** Drops prototype differences (graphql-js builds null-prototype objects) before comparing. */
function normalise(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}
