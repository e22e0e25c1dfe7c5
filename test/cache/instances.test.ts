import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, DEMO_ROOT_ID, type Simulator } from '../../src/simulator/index.ts';
import { postWebhook, userEvent, WEBHOOK_ENV } from '../support/events.ts';
import { askProcess, type GatewayProcess, metricOf, startGatewayProcess } from '../support/process.ts';
import { type RedisProcess, startRedis } from '../support/redis.ts';

const FAMILY = `query Family($id: ID!) {
  user(id: $id) {
    id firstName status
    ancestors { id firstName }
    children(first: 10) {
      nodes { id firstName status children { nodes { id firstName status children { nodes { id firstName } } } } }
    }
  }
}`;

type Person = { id: string; firstName: string; status?: string; children?: { nodes: Person[] } };
type Answer = { data?: { user?: Person | null } | null; errors?: unknown[] };

const ask = (gateway: GatewayProcess, query: string, variables: object = {}) =>
  askProcess<Answer>(gateway, query, variables);

const family = async (gateway: GatewayProcess) => (await ask(gateway, FAMILY, { id: DEMO_ROOT_ID })).data!.user!;
const firstChild = (root: Person) => root.children!.nodes[0]!;

const metric = metricOf;

/** Waits (outside a test, where expect.poll cannot) until `check` holds. */
async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; !(await check()); ) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('two gateway processes sharing the cache through one Redis', () => {
  let redis: RedisProcess;
  let sim: Simulator;
  let a: GatewayProcess;
  let b: GatewayProcess;
  const calls = () => sim.requests.filter((r) => r.route !== null).length;

  beforeAll(async () => {
    redis = await startRedis();
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
    await until(
      async () => (await metric(a, 'gateway_cache_coherent')) + (await metric(b, 'gateway_cache_coherent')) === 2,
    );
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await sim?.close();
    await redis?.stop();
  });

  it('asks nCore for a family tree once: again on the same instance and on the other costs no call', async () => {
    sim.clearRequests();
    const cold = await family(a);
    expect(calls()).toBeGreaterThan(2);
    sim.clearRequests();
    expect(await family(a)).toEqual(cold);
    expect(calls()).toBe(0);
    expect(await family(b)).toEqual(cold);
    expect(calls()).toBe(0);
    expect(await metric(b, 'gateway_cache_reads_total{kind="page",result="hit"}')).toBeGreaterThan(0);
  });

  it('reads an update made through one instance on the other at once, alone and in its parent\u2019s page', async () => {
    const child = firstChild(await family(b));
    await ask(a, 'mutation($id: ID!) { updateUser(id: $id, input: { firstName: "Renamed" }) { id } }', {
      id: child.id,
    });
    expect(firstChild(await family(b)).firstName).toBe('Renamed');
    const alone = await ask(b, 'query($id: ID!) { user(id: $id) { firstName } }', { id: child.id });
    expect(alone.data?.user?.firstName).toBe('Renamed');
    expect(firstChild(await family(a)).firstName).toBe('Renamed');
  });

  it('reads a user created through one instance in its parent\u2019s page on the other at once', async () => {
    const child = firstChild(await family(a));
    await ask(b, 'mutation($p: ID!) { createUser(input: { firstName: "Newborn", parentUserId: $p }) { id } }', {
      p: child.id,
    });
    const names = (root: Person) => firstChild(root).children!.nodes.map((c) => c.firstName);
    expect(names(await family(a))).toContain('Newborn');
    expect(names(await family(b))).toContain('Newborn');
  });

  it('reads a status nCore reported by webhook on both instances at once', async () => {
    const child = firstChild(await family(a));
    await family(b);
    const changed = await fetch(`${sim.url.replace(/\/v1$/, '')}/_sim/users/${child.id}/status`, {
      method: 'POST',
      headers: { apikey: sim.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'SUSPENDED' }),
    });
    expect(changed.status).toBe(200);
    const user = sim.getUser(child.id)!;
    const event = userEvent('USER_STATUS_CHANGE', child.id, { old_status: 'ACTIVE', new_status: 'SUSPENDED', user });
    expect((await postWebhook(a.url, event)).status).toBe(202);
    expect(firstChild(await family(b)).status).toBe('SUSPENDED');
    expect(firstChild(await family(a)).status).toBe('SUSPENDED');
    const alone = await ask(b, 'query($id: ID!) { user(id: $id) { status } }', { id: child.id });
    expect(alone.data?.user?.status).toBe('SUSPENDED');
    expect(await metric(b, 'gateway_cache_invalidations_total{origin="webhook"}')).toBeGreaterThan(0);
  });

  it('logs a warm tree on either instance as no nCore call and its reads served from the cache', async () => {
    await Promise.all([family(a), family(b)]);
    await ask(b, 'query Warm($id: ID!) { user(id: $id) { id children(first: 10) { nodes { id } } } }', {
      id: DEMO_ROOT_ID,
    });
    await expect
      .poll(
        () =>
          b
            .output()
            .split('\n')
            .filter((line) => line.includes('"operation":"Warm"')).length,
      )
      .toBe(1);
    const line = JSON.parse(
      b
        .output()
        .split('\n')
        .find((l) => l.includes('"operation":"Warm"'))!,
    );
    expect(line).toMatchObject({ upstreamCalls: 0, cacheHits: 2, errorCodes: [] });
  });
});
