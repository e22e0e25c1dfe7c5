import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSimulator, DEMO_ROOT_ID, type Simulator } from '../../src/simulator/index.ts';
import { QuotaBook } from '../../src/simulator/quota.ts';

describe("the simulator's per-key quota, as a token bucket", () => {
  it('lets a burst through, then the rate, and tells a refused call when a token is back', () => {
    const clock = { now: 0 };
    const book = new QuotaBook({ perSecond: 4, burst: 2 }, () => clock.now);
    expect([book.take('k'), book.take('k'), book.take('k')]).toEqual([0, 0, 1]);
    clock.now += 250;
    expect([book.take('k'), book.take('k')]).toEqual([0, 1]);
    expect(book.counts).toEqual({ admitted: 3, refused: 2 });
  });

  it('answers Retry-After in whole seconds, at least 1, from the time until a token is back', () => {
    const clock = { now: 0 };
    const book = new QuotaBook({ perSecond: 0.25, burst: 1 }, () => clock.now);
    expect(book.take('k')).toBe(0);
    expect(book.take('k')).toBe(4);
    clock.now += 2_500;
    expect(book.take('k')).toBe(2);
  });

  it('keeps a bucket per key, full at first; without a quota counts nothing', () => {
    const book = new QuotaBook({ perSecond: 1 });
    expect([book.take('a'), book.take('b'), book.take('a')]).toEqual([0, 0, 1]);
    book.set(undefined);
    expect(book.take('a')).toBe(0);
    expect(book.counts).toEqual({ admitted: 0, refused: 0 });
    expect(() => book.set({ perSecond: 0 })).toThrow(RangeError);
  });
});

describe('the simulator enforcing a quota over HTTP', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await createSimulator({ quota: { perSecond: 5, burst: 2 } });
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.reset());

  const get = (path: string, apikey = sim.apiKey) => fetch(`${sim.url}${path}`, { headers: { apikey } });
  const control = (method: string, body?: unknown) =>
    fetch(sim.url.replace(/\/v1$/, '/_sim/quota'), {
      method,
      headers: { apikey: sim.apiKey, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it("answers a call over the quota 429 'Request Attempt Exceed' with Retry-After, logged as refused", async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await get(`/users/${DEMO_ROOT_ID}`)).status);
    expect(statuses).toEqual([200, 200, 429]);
    const refused = await get(`/users/${DEMO_ROOT_ID}`);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toEqual({ error: { code: 'TOO_MANY_REQUESTS', message: 'Request Attempt Exceed' } });
    expect(sim.requests.map((r) => [r.status, r.overQuota])).toEqual([
      [200, undefined],
      [200, undefined],
      [429, true],
      [429, true],
    ]);
    expect(sim.quotaCounts).toEqual({ admitted: 2, refused: 2 });
  });

  it('counts only calls to the API under the right key: not a wrong key, the OpenAPI document or the controls', async () => {
    expect((await get(`/users/${DEMO_ROOT_ID}`, 'wrong')).status).toBe(401);
    expect((await get('/openapi.json')).status).toBe(200);
    expect((await control('GET')).status).toBe(200);
    expect(sim.quotaCounts).toEqual({ admitted: 0, refused: 0 });
  });

  it('is set, read and removed through PUT and GET /_sim/quota', async () => {
    expect(await (await control('PUT', { perSecond: 1 })).json()).toEqual({
      quota: { perSecond: 1 },
      admitted: 0,
      refused: 0,
    });
    await get('/users');
    await get('/users');
    expect(await (await control('GET')).json()).toEqual({ quota: { perSecond: 1 }, admitted: 1, refused: 1 });
    const bad = await control('PUT', { perSecond: -1, burst: 0 });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.fields).toEqual([{ field: 'perSecond', message: expect.any(String) }]);
    expect((await control('PUT', { perSecond: null })).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await get('/users')).status).toBe(200);
    sim.setQuota({ perSecond: 5, burst: 2 });
  });
});
