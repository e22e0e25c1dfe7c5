import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, DEMO_ROOT_ID, type Simulator } from '../../src/simulator/index.ts';
import { WEBHOOK_ENV } from '../support/events.ts';
import { askProcess, type GatewayProcess, metricOf, startGatewayProcess } from '../support/process.ts';
import { freePort, type RedisProcess, startRedis } from '../support/redis.ts';

const FAMILY = `query Family($id: ID!) {
  user(id: $id) {
    id firstName lastName
    children(first: 10) { nodes { id firstName lastName children { nodes { id firstName } } } }
  }
}`;

type Person = { id: string; firstName: string; lastName?: string; children?: { nodes: Person[] } };
type Answer = { data?: { user?: Person | null } | null; errors?: unknown[] };

const ask = (gateway: GatewayProcess, query: string, variables: object = {}) =>
  askProcess<Answer>(gateway, query, variables);

const family = async (gateway: GatewayProcess) => (await ask(gateway, FAMILY, { id: DEMO_ROOT_ID })).data!.user!;
const firstChild = (root: Person) => root.children!.nodes[0]!;

const metric = metricOf;

/** Waits until every instance reports `gateway_cache_coherent` as `value`. */
async function coherent(value: 0 | 1, ...gateways: GatewayProcess[]): Promise<void> {
  for (const end = Date.now() + 15_000; ; ) {
    const states = await Promise.all(gateways.map((g) => metric(g, 'gateway_cache_coherent')));
    if (states.every((state) => state === value)) return;
    if (Date.now() > end) throw new Error(`gateway_cache_coherent is ${states.join(', ')}, not ${value}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the cache while Redis fails', () => {
  let port: number;
  let redis: RedisProcess;
  let sim: Simulator;
  let a: GatewayProcess;
  let b: GatewayProcess;
  const calls = () => sim.requests.filter((r) => r.route !== null).length;
  const edit = (id: string, body: object) =>
    fetch(`${sim.url}/users/${id}`, {
      method: 'PUT',
      headers: { apikey: sim.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    sim = await createSimulator({ seed: 'demo' });
    const env = {
      NCORE_BASE_URL: sim.url,
      NCORE_API_KEY: sim.apiKey,
      GATEWAY_AUTH: 'none',
      REDIS_URL: redis.url,
      CACHE_TTL_MS: '60000',
      ...WEBHOOK_ENV,
    };
    [a, b] = await Promise.all([startGatewayProcess(env), startGatewayProcess(env)]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await sim?.close();
    await redis?.stop();
  });

  it('answers every query while Redis is down, reads through, and serves nothing stale before or after', async () => {
    await coherent(1, a, b);
    const child = firstChild(await family(a));
    await family(b);
    sim.clearRequests();
    await family(b);
    expect(calls()).toBe(0);

    await redis.stop();
    // A write through one instance while the other cannot hear it: it must not serve what it held.
    await ask(a, 'mutation($id: ID!) { updateUser(id: $id, input: { firstName: "DuringOutage" }) { id } }', {
      id: child.id,
    });
    expect(firstChild(await family(b)).firstName).toBe('DuringOutage');
    expect(firstChild(await family(a)).firstName).toBe('DuringOutage');
    // A change nobody reports, made while Redis is down: read from nCore, since nothing cached is served.
    expect((await edit(child.id, { last_name: 'Unreported' })).status).toBe(200);
    sim.clearRequests();
    for (const gateway of [a, b, a, b]) expect(firstChild(await family(gateway)).lastName).toBe('Unreported');
    expect(calls()).toBeGreaterThan(8);
    await coherent(0, a, b);
    expect(await metric(b, 'gateway_cache_reads_total{kind="user",result="bypass"}')).toBeGreaterThan(0);

    redis = await startRedis(port);
    await coherent(1, a, b);
    for (const gateway of [a, b]) {
      const seen = firstChild(await family(gateway));
      expect([seen.firstName, seen.lastName]).toEqual(['DuringOutage', 'Unreported']);
    }
    // Cached again once the channel is back.
    sim.clearRequests();
    await family(a);
    await family(b);
    expect(calls()).toBe(0);
  }, 60_000);

  it('answers a write while Redis hangs only once every instance stopped serving what it holds', async () => {
    await coherent(1, a, b);
    const child = firstChild(await family(a));
    await family(b);
    redis.child.kill('SIGSTOP');
    try {
      const started = Date.now();
      await ask(a, 'mutation($id: ID!) { updateUser(id: $id, input: { firstName: "WhileHung" }) { id } }', {
        id: child.id,
      });
      expect(Date.now() - started).toBeGreaterThan(3_000);
      expect(firstChild(await family(b)).firstName).toBe('WhileHung');
      expect(await metric(b, 'gateway_cache_coherent')).toBe(0);
    } finally {
      redis.child.kill('SIGCONT');
    }
    await coherent(1, a, b);
    for (const gateway of [a, b]) expect(firstChild(await family(gateway)).firstName).toBe('WhileHung');
  }, 60_000);

  it('forgets everything and starts the shared entries afresh when only the subscriptions are cut', async () => {
    await coherent(1, a, b);
    await family(a);
    await family(b);
    sim.clearRequests();
    await family(b);
    expect(calls()).toBe(0);
    const flushes = await metric(a, 'gateway_cache_flushes_total{reason="lost"}');
    // Redis keeps every entry; only the instances' subscriptions go.
    const admin = new Redis(redis.url);
    await admin.client('KILL', 'TYPE', 'pubsub');
    admin.disconnect();
    await expect.poll(() => metric(a, 'gateway_cache_flushes_total{reason="lost"}')).toBeGreaterThan(flushes);
    await coherent(1, a, b);
    sim.clearRequests();
    await family(b);
    // Nothing from before the cut is read again, from this process or from Redis.
    expect(calls()).toBeGreaterThan(2);
  }, 30_000);
});
