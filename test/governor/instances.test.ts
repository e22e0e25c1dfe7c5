import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSimulator, DEMO_ROOT_ID, demoSeed, type Simulator } from '../../src/simulator/index.ts';
import { type GatewayProcess, startGatewayProcess } from '../support/process.ts';
import { type RedisProcess, startRedis } from '../support/redis.ts';

const RATE = 30;
/** The default burst: half a second of calls. */
const BURST = 15;
const WIDE = 'query InstancesWide($ids: [ID!]!) { nodes(ids: $ids) { id } }';
const IDS = demoSeed()
  .map((u) => u.id)
  .filter((id) => id !== DEMO_ROOT_ID);

interface Answer {
  status: number;
  errors?: { extensions?: { code?: string } }[];
}

async function run(gateway: GatewayProcess, ids: string[]): Promise<Answer> {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: WIDE, variables: { ids } }),
  });
  const body = (await response.json()) as { errors?: Answer['errors'] };
  return { status: response.status, errors: body.errors };
}

/** Eight clients, four on each instance, each sending wide trees one after another for `ms`. */
async function overload(gateways: GatewayProcess[], ms: number, during?: () => Promise<void>): Promise<Answer[]> {
  const answers: Answer[] = [];
  const until = Date.now() + ms;
  await Promise.all([
    ...Array.from({ length: 8 }, async (_, client) => {
      for (let i = client * 5; Date.now() < until; i += 3)
        answers.push(await run(gateways[client % 2]!, IDS.slice(i % 40, (i % 40) + 8)));
    }),
    during?.(),
  ]);
  return answers;
}

async function metric(gateway: GatewayProcess, pattern: RegExp): Promise<string | undefined> {
  const text = await (await fetch(new URL('/metrics', gateway.url))).text();
  return pattern.exec(text)?.[1];
}

describe('two gateway processes sharing one tenant rate through Redis', () => {
  let redis: RedisProcess;
  let sim: Simulator;
  let gateways: GatewayProcess[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    sim = await createSimulator({ seed: 'demo', quota: { perSecond: RATE } });
    const env = {
      NCORE_BASE_URL: sim.url,
      NCORE_API_KEY: sim.apiKey,
      GATEWAY_AUTH: 'none',
      REDIS_URL: redis.url,
      NCORE_RATE_LIMIT: String(RATE),
      OPERATION_TIMEOUT_MS: '20000',
    };
    gateways = await Promise.all([startGatewayProcess(env), startGatewayProcess(env)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    await sim?.close();
    await redis?.stop();
  });
  beforeEach(() => sim.reset());

  it('keep together to the rate under eight clients: nCore refuses none and every operation is answered', async () => {
    const began = Date.now();
    const answers = await overload(gateways, 3_000);
    const seconds = (Date.now() - began) / 1000;
    expect(answers.filter((a) => a.status !== 200 || a.errors)).toEqual([]);
    expect(answers.length).toBeGreaterThanOrEqual(8);
    expect(sim.quotaCounts.refused).toBe(0);
    // Either alone would send the whole rate: together they send it once, and use it.
    const calls = sim.requests.length;
    expect(calls).toBeLessThanOrEqual(BURST + RATE * seconds + 1);
    expect(calls).toBeGreaterThan(RATE * seconds * 0.5);
    for (const gateway of gateways) {
      expect(await metric(gateway, /^ncore_rate_shared (\d)$/m)).toBe('1');
      const waited = await metric(gateway, /^ncore_rate_wait_seconds_sum\{tenant="[\w-]{8}"\} ([\d.]+)$/m);
      expect(Number(waited)).toBeGreaterThan(1);
    }
  });

  it('lose no answer when Redis stops mid-run: each falls back to half the rate and says so once', async () => {
    const answers = await overload(gateways, 4_000, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await redis.stop();
    });
    expect(answers.filter((a) => a.status !== 200 || a.errors)).toEqual([]);
    // Each kept half of the rate (Redis had counted two instances), with no burst of its own on the way over.
    expect(sim.quotaCounts.refused).toBe(0);
    for (const gateway of gateways) {
      const lines = gateway
        .output()
        .split('\n')
        .filter((line) => line.includes('Redis unreachable'));
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!)).toMatchObject({ instances: 2, level: 40 });
      expect(await metric(gateway, /^ncore_rate_shared (\d)$/m)).toBe('0');
    }
  });
});
