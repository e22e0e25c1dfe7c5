import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSimulator, DEMO_ROOT_ID, type Simulator } from '../../src/simulator/index.ts';
import { call, errorOf } from '../support/simulator.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await createSimulator();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const getUser = (signal?: AbortSignal) => call(sim, 'GET', `/users/${DEMO_ROOT_ID}`, { signal });
const listUsers = () => call(sim, 'GET', '/users?limit=1');

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  return [result, performance.now() - start];
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(condition()).toBe(true);
}

describe('latency delays the normal answer', () => {
  it('a fixed delay', async () => {
    sim.setFaults({ kind: 'latency', ms: 150 });
    const [answer, ms] = await timed(getUser);
    expect(answer.status).toBe(200);
    expect(answer.json.id).toBe(DEMO_ROOT_ID);
    expect(ms).toBeGreaterThanOrEqual(140);
  });

  it('a random delay within a range', async () => {
    sim.setFaults({ kind: 'latency', ms: { min: 60, max: 90 } });
    for (let i = 0; i < 3; i++) {
      const [answer, ms] = await timed(getUser);
      expect(answer.status).toBe(200);
      expect(ms).toBeGreaterThanOrEqual(55);
      expect(ms).toBeLessThan(1000);
    }
  });

  it('the latencyMs option delays every request', async () => {
    const slow = await createSimulator({ latencyMs: 100, seed: 'empty' });
    try {
      const [answer, ms] = await timed(() => call(slow, 'GET', '/users'));
      expect(answer.status).toBe(200);
      expect(ms).toBeGreaterThanOrEqual(90);
    } finally {
      await slow.close();
    }
  });
});

describe('a status fault answers the chosen status and body', () => {
  it('json: the contract error shape, with the contract messages', async () => {
    sim.setFaults({ kind: 'status', status: 429 });
    const answer = await getUser();
    expect(answer.status).toBe(429);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(errorOf(answer)).toEqual({ code: 'TOO_MANY_REQUESTS', message: 'Request Attempt Exceed' });
    sim.setFaults({ kind: 'status', status: 503, body: 'json' });
    expect(errorOf(await getUser()).code).toBe('SERVICE_UNAVAILABLE');
  });

  it('empty: no body at all', async () => {
    sim.setFaults({ kind: 'status', status: 502, body: 'empty' });
    const answer = await getUser();
    expect(answer.status).toBe(502);
    expect(answer.text).toBe('');
    expect(answer.headers.get('content-length')).toBe('0');
  });

  it('html: a proxy page', async () => {
    sim.setFaults({ kind: 'status', status: 504, body: 'html' });
    const answer = await getUser();
    expect(answer.status).toBe(504);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    expect(answer.text).toMatch(/^<!DOCTYPE html>/);
    expect(answer.json).toBeUndefined();
  });

  it('raw: exact bytes and content type', async () => {
    sim.setFaults({ kind: 'status', status: 500, body: { raw: '{"message":"boom"}' } });
    let answer = await getUser();
    expect(answer.status).toBe(500);
    expect(answer.json).toEqual({ message: 'boom' });
    expect(answer.headers.get('content-type')).toBe('application/json');
    sim.setFaults({ kind: 'status', status: 400, body: { raw: 'plain words', contentType: 'text/plain' } });
    answer = await getUser();
    expect(answer.text).toBe('plain words');
    expect(answer.headers.get('content-type')).toBe('text/plain');
  });

  it('retryAfter sets Retry-After, in seconds or as a date', async () => {
    sim.setFaults({ kind: 'status', status: 429, retryAfter: 2 });
    expect((await getUser()).headers.get('retry-after')).toBe('2');
    sim.setFaults({ kind: 'status', status: 503, retryAfter: 'Wed, 21 Oct 2015 07:28:00 GMT' });
    expect((await getUser()).headers.get('retry-after')).toBe('Wed, 21 Oct 2015 07:28:00 GMT');
  });

  it('changes nothing: a faulted create creates no user', async () => {
    const count = sim.users().length;
    sim.setFaults({ kind: 'status', status: 500 });
    expect((await call(sim, 'POST', '/users', { body: { first_name: 'X' } })).status).toBe(500);
    expect(sim.users()).toHaveLength(count);
  });
});

describe('afterCommit carries the request out and loses only its answer', () => {
  it('a create takes effect, and a keyed repeat replays it', async () => {
    const count = sim.users().length;
    sim.setFaults({ route: 'createUser', kind: 'status', status: 503, afterCommit: true, times: 1 });
    const headers = { 'x-nymos-idempotency-key': 'lost-answer' };
    expect((await call(sim, 'POST', '/users', { body: { first_name: 'Committed' }, headers })).status).toBe(503);
    expect(sim.users()).toHaveLength(count + 1);
    const again = await call(sim, 'POST', '/users', { body: { first_name: 'Committed' }, headers });
    expect(again.status).toBe(201);
    expect(again.json.first_name).toBe('Committed');
    expect(sim.users()).toHaveLength(count + 1);
  });

  it('an update takes effect behind a dropped connection', async () => {
    sim.setFaults({ route: 'updateUser', kind: 'drop', afterCommit: true, times: 1 });
    await expect(call(sim, 'PUT', `/users/${DEMO_ROOT_ID}`, { body: { last_name: 'Dropped' } })).rejects.toThrow();
    expect(sim.getUser(DEMO_ROOT_ID)?.last_name).toBe('Dropped');
  });
});

describe('malformed answers a 200 whose JSON is cut off', () => {
  it('cannot be parsed', async () => {
    sim.setFaults({ kind: 'malformed' });
    const answer = await getUser();
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(answer.text.length).toBeGreaterThan(0);
    expect(() => JSON.parse(answer.text)).toThrow();
  });
});

describe('drop, hang, stall and cut break the connection', () => {
  it('drop: the socket closes without an answer', async () => {
    sim.setFaults({ kind: 'drop' });
    await expect(getUser()).rejects.toThrow();
    expect(sim.requests.at(-1)!.route).toBe('getUser');
    expect(sim.requests.at(-1)!.status).toBeUndefined();
  });

  it('hang: never answers, so the client times out', async () => {
    sim.setFaults({ kind: 'hang' });
    const [error, ms] = await timed(() => getUser(AbortSignal.timeout(200)).catch((e: Error) => e));
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('TimeoutError');
    expect(ms).toBeGreaterThanOrEqual(190);
    expect(sim.requests.at(-1)!.route).toBe('getUser');
    expect(sim.requests.at(-1)!.status).toBeUndefined();
  });

  it('stall: headers and half the body arrive, then nothing', async () => {
    sim.setFaults({ kind: 'stall' });
    const response = await fetch(`${sim.url}/users/${DEMO_ROOT_ID}`, {
      headers: { apikey: sim.apiKey },
      signal: AbortSignal.timeout(300),
    });
    expect(response.status).toBe(200);
    const declared = Number(response.headers.get('content-length'));
    expect(declared).toBeGreaterThan(10);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.value!.length).toBe(Math.floor(declared / 2));
    await expect(reader.read()).rejects.toThrow();
    expect(sim.requests.at(-1)!.status).toBe(200);
  });

  it('cut: headers and half the body arrive, then the connection closes', async () => {
    sim.setFaults({ kind: 'cut' });
    const response = await fetch(`${sim.url}/users/${DEMO_ROOT_ID}`, { headers: { apikey: sim.apiKey } });
    expect(response.status).toBe(200);
    const declared = Number(response.headers.get('content-length'));
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.value!.length).toBe(Math.floor(declared / 2));
    // Not a timeout: the closed connection ends the read at once.
    const [error, ms] = await timed(() => reader.read().catch((e: Error) => e));
    expect(error).toBeInstanceOf(Error);
    expect(ms).toBeLessThan(1_000);
    expect(sim.requests.at(-1)!.status).toBe(200);
  });

  it('close() does not wait for hung or stalled connections', async () => {
    const doomed = await createSimulator({ seed: 'empty' });
    doomed.setFaults({ kind: 'hang', route: 'listUsers' }, { kind: 'stall' });
    const hung = call(doomed, 'GET', '/users').catch((e: Error) => e);
    const stalled = fetch(`${doomed.url}/users/${DEMO_ROOT_ID}`, { headers: { apikey: doomed.apiKey } })
      .then((r) => r.text())
      .catch((e: Error) => e);
    await until(() => doomed.requests.length === 2);
    const [, ms] = await timed(() => doomed.close());
    expect(ms).toBeLessThan(1000);
    expect(await hung).toBeInstanceOf(Error);
    expect(await stalled).toBeInstanceOf(Error);
  });
});

describe('fault matching', () => {
  it('a route fault affects only that route', async () => {
    sim.setFaults({ kind: 'status', status: 503, route: 'listUsers' });
    expect((await getUser()).status).toBe(200);
    expect((await listUsers()).status).toBe(503);
  });

  it('times expires the fault after N matching requests', async () => {
    sim.setFaults({ kind: 'status', status: 503, route: 'getUser', times: 2 });
    expect((await listUsers()).status).toBe(200);
    expect((await getUser()).status).toBe(503);
    expect((await getUser()).status).toBe(503);
    expect((await getUser()).status).toBe(200);
  });

  it('the first applicable fault wins, in order', async () => {
    sim.setFaults(
      { kind: 'status', status: 500, route: 'getUser', times: 1 },
      { kind: 'status', status: 502, route: 'getUser' },
      { kind: 'status', status: 503 },
    );
    expect((await getUser()).status).toBe(500);
    expect((await getUser()).status).toBe(502);
    expect((await listUsers()).status).toBe(503);
  });

  it('a fault without a route applies before authentication, even on unknown paths', async () => {
    sim.setFaults({ kind: 'status', status: 503 });
    expect((await call(sim, 'GET', '/nowhere', { noKey: true })).status).toBe(503);
  });

  it('setFaults replaces, clearFaults and reset remove', async () => {
    sim.setFaults({ kind: 'status', status: 500 });
    sim.setFaults({ kind: 'status', status: 502 });
    expect((await getUser()).status).toBe(502);
    sim.clearFaults();
    expect((await getUser()).status).toBe(200);
    sim.setFaults({ kind: 'status', status: 502 });
    sim.reset();
    expect((await getUser()).status).toBe(200);
  });

  it('faulted requests are logged with their route and status', async () => {
    sim.setFaults({ kind: 'status', status: 429, route: 'searchUsers' });
    await call(sim, 'POST', '/users:search', { body: { name: 'x' } });
    expect(sim.requests).toHaveLength(1);
    expect(sim.requests[0]).toMatchObject({ route: 'searchUsers', status: 429, body: { name: 'x' } });
  });

  it('an id fault affects only the requests for that user, on every route naming it', async () => {
    const other = sim.users().find((u) => u.id !== DEMO_ROOT_ID)!.id;
    sim.setFaults({ kind: 'status', status: 502, body: 'html', id: DEMO_ROOT_ID });
    expect((await getUser()).status).toBe(502);
    expect((await call(sim, 'GET', `/users/${DEMO_ROOT_ID}:getLinkedRelationships`)).status).toBe(502);
    expect((await call(sim, 'GET', `/users/${other}`)).status).toBe(200);
    expect((await call(sim, 'GET', `/users/${DEMO_ROOT_ID.toUpperCase()}`)).status).toBe(404);
    expect((await listUsers()).status).toBe(200);
  });

  it('an apiKey fault affects only the requests carrying that key, before authentication', async () => {
    sim.setFaults({ kind: 'status', status: 503, apiKey: 'tenant-a' });
    expect((await call(sim, 'GET', '/users', { headers: { apikey: 'tenant-a' } })).status).toBe(503);
    expect((await call(sim, 'GET', '/users', { headers: { apikey: 'tenant-b' } })).status).toBe(401);
    expect((await listUsers()).status).toBe(200);
  });

  it('a fault with a chance takes about that share of requests and lets the rest pass to the next fault', async () => {
    sim.setFaults(
      { kind: 'status', status: 503, route: 'listUsers', chance: 0.3 },
      { kind: 'status', status: 429, route: 'listUsers', chance: 0 },
      { kind: 'status', status: 502, route: 'listUsers', chance: 1, times: 5 },
    );
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) statuses.push((await listUsers()).status);
    const unavailable = statuses.filter((s) => s === 503).length;
    expect(unavailable).toBeGreaterThan(25);
    expect(unavailable).toBeLessThan(100);
    expect(statuses.filter((s) => s === 429)).toHaveLength(0);
    expect(statuses.filter((s) => s === 502)).toHaveLength(5);
    expect(statuses.filter((s) => s === 200)).toHaveLength(200 - 5 - unavailable);
  });

  it('refuses a chance outside 0 to 1', () => {
    expect(() => sim.setFaults({ kind: 'drop', chance: 1.5 })).toThrow(/chance must be from 0 to 1/);
    expect(() => sim.setFaults({ kind: 'drop', chance: Number.NaN })).toThrow(RangeError);
  });
});
