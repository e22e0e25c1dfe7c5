import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AIMD } from '../../src/ncore/rate.ts';
import { SharedRates } from '../../src/ncore/sharedRate.ts';
import { type RedisProcess, startRedis } from '../support/redis.ts';

const SETTINGS = { perSecond: 10, burst: 5, instances: 1 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A connection as the gateway makes one for the governor: no offline queue, so an outage fails at once. */
function connect(url: string): Redis {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  return redis;
}

async function ready(redis: Redis): Promise<void> {
  while (redis.status !== 'ready') await sleep(10);
}

describe("the shared bucket's script on a real Redis", () => {
  let server: RedisProcess;
  const made: SharedRates[] = [];
  const store = async (changes: [boolean, number][] = []) => {
    const redis = connect(server.url);
    const rates = new SharedRates(redis, SETTINGS, { onChange: (up, n) => changes.push([up, n]) });
    made.push(rates);
    await ready(redis);
    return rates;
  };

  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    for (const rates of made) await rates.close();
    await server.stop();
  });

  it('grants the burst at once, then the rate, on one clock for every instance', async () => {
    const [a, b] = [await store(), await store()];
    const [granted, waitMs, instances, rate] = await a.run('ncore-gateway:rate:t1', 'take', 8);
    expect([granted, instances, rate]).toEqual([5, 1, 10_000]);
    expect(waitMs).toBeGreaterThan(90);
    expect(waitMs).toBeLessThanOrEqual(100);
    // The other instance asks the same bucket: nothing is left for it now, and it is counted.
    expect((await b.run('ncore-gateway:rate:t1', 'take', 3)).slice(0, 3)).toEqual([0, expect.any(Number), 2]);
    await sleep(110);
    expect((await b.run('ncore-gateway:rate:t1', 'take', 3))[0]).toBe(1);
    expect(a.up && b.up).toBe(true);
  });

  it('halves the rate on a 429 for every instance, once per hold, and pauses the tenant for Retry-After', async () => {
    const [a, b] = [await store(), await store()];
    await a.run('ncore-gateway:rate:t2', 'throttled', 600);
    await b.run('ncore-gateway:rate:t2', 'throttled', 0);
    const [granted, waitMs, , rate] = await b.run('ncore-gateway:rate:t2', 'take', 1);
    expect(granted).toBe(0);
    expect(waitMs).toBeGreaterThan(500);
    expect(rate).toBeGreaterThanOrEqual(5_000);
    expect(rate).toBeLessThan(5_100);
    await sleep(610);
    const after = await a.run('ncore-gateway:rate:t2', 'take', 5);
    // The burst was spent: one turn as the pause ends, then one per (slower) interval.
    expect(after[0]).toBe(1);
    expect(after[3]).toBeGreaterThan(5_000);
    expect(after[3]).toBeLessThan(5_000 + 10_000 * AIMD.recovery);
  });

  it('falls back to its share when Redis goes, says so once, and shares again when it is back', async () => {
    const port = Number(new URL(server.url).port);
    // The instances of the tests before leave the count as they close.
    for (const rates of made.splice(0)) await rates.close();
    const changes: [boolean, number][] = [];
    const [a, b, c] = [await store(changes), await store(), await store()];
    await b.source('t3').take(1);
    await c.source('t3').take(1);
    const source = a.source('t3');
    await source.take(1);
    expect(a.up).toBe(true);
    await server.stop();
    await sleep(100);
    expect(a.up).toBe(false);
    // Three instances were seen asking: this one keeps a third of the rate, starting with no burst of its own.
    expect(source.local).toBe(true);
    expect(await source.take(5)).toEqual({ granted: 0, waitMs: expect.any(Number) });
    await sleep(310);
    expect((await source.take(5)).granted).toBe(1);
    expect(changes).toEqual([[false, 3]]);
    server = await startRedis(port);
    await ready((a as unknown as { redis: Redis }).redis);
    await sleep(1_000);
    expect(source.local).toBe(false);
    expect((await source.take(2)).granted).toBe(2);
    // A Redis started afresh counts again the instances that ask it: so far this one.
    expect(changes).toEqual([
      [false, 3],
      [true, 1],
    ]);
  });
});
