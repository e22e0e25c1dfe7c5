import pino from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ROOT_ID, demoSeed } from '../../src/simulator/index.ts';
import { graphql } from '../gql/index.ts';
import { useStack } from '../support/stack.ts';

const Wide = graphql(`
  query GovernedWide($ids: [ID!]!) {
    nodes(ids: $ids) { id }
  }
`);

const Small = graphql(`
  query GovernedSmall($id: ID!) {
    user(id: $id) { id firstName }
  }
`);

const Both = graphql(`
  query GovernedBoth($id: ID!, $ids: [ID!]!) {
    user(id: $id) { id firstName }
    nodes(ids: $ids) { id }
  }
`);

/** Every demo user but the root: a `nodes` of them is one getUser each, all asked for in one round. */
const IDS = demoSeed()
  .map((u) => u.id)
  .filter((id) => id !== DEMO_ROOT_ID);

/** The gateway's log lines, as JSON. */
function logged() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, operations: () => lines.filter((line) => line['msg'] === 'graphql operation') };
}

/** `clients` loops sending `send` for `ms`; every answer, in order of arrival. */
async function overload<T>(clients: number, ms: number, send: (i: number) => Promise<T>): Promise<T[]> {
  const answers: T[] = [];
  const until = Date.now() + ms;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let i = 0; Date.now() < until; i++) answers.push(await send(client * 1000 + i));
    }),
  );
  return answers;
}

const RATE = 20;
const BURST = 10;

describe('the governor in front of an nCore whose quota is its rate', () => {
  const log = logged();
  const stack = useStack({
    env: { NCORE_RATE_LIMIT: String(RATE), CACHE_TTL_MS: '0', OPERATION_TIMEOUT_MS: '20000' },
    simulator: { quota: { perSecond: RATE } },
    deps: { logger: log.logger },
  });
  beforeEach(() => stack.sim.reset());

  it('keeps six clients of wide trees to the rate: nCore refuses none and every operation is answered', async () => {
    const began = Date.now();
    const answers = await overload(6, 2_500, (i) => stack.run(Wide, { ids: IDS.slice(i % 40, (i % 40) + 8) }));
    const seconds = (Date.now() - began) / 1000;
    expect(answers.every((a) => a.status === 200 && a.body.errors === undefined)).toBe(true);
    expect(stack.sim.quotaCounts.refused).toBe(0);
    // GCRA's bound: the burst plus the rate over the run; and the rate is used, not left idle.
    const calls = stack.sim.requests.length;
    expect(calls).toBeLessThanOrEqual(BURST + RATE * seconds + 1);
    expect(calls).toBeGreaterThan(RATE * seconds * 0.5);
    const waits = log.operations().map((line) => line['rateWaitMs'] as number);
    expect(Math.max(...waits)).toBeGreaterThan(500);
  });

  it('serves a query for one user while a wide tree waits, not behind its fifty calls', async () => {
    const wide = stack.run(Wide, { ids: IDS });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = performance.now();
    const small = await stack.run(Small, { id: DEMO_ROOT_ID });
    const smallMs = performance.now() - started;
    const wideDone = stack.sim.requests.length;
    expect(small.body.data?.user?.firstName).toBe('Khalid');
    // First come, first served, it would wait for the tree's remaining forty-odd calls: two seconds at 20 per second.
    // Round-robin, one turn: 50 ms (the bounds leave room for a busy machine).
    expect(smallMs).toBeLessThan(1_000);
    expect(log.operations().at(-1)).toMatchObject({ operation: 'GovernedSmall', upstreamCalls: 1 });
    expect(log.operations().at(-1)!['rateWaitMs']).toBeLessThan(500);
    expect(wideDone).toBeLessThan(IDS.length);
    const answer = await wide;
    expect(answer.body.errors).toBeUndefined();
    expect(stack.sim.quotaCounts.refused).toBe(0);
  });

  it('reports waits, queue, refusals and the rate per tenant digest in /metrics, never the key', async () => {
    await stack.run(Wide, { ids: IDS.slice(0, 15) });
    const text = await (await stack.gateway.fetch('http://gateway.test/metrics')).text();
    const tenant = /^ncore_rate_limit\{tenant="([\w-]{8})"\} 20$/m.exec(text)?.[1];
    expect(tenant).toBeDefined();
    expect(text).toMatch(new RegExp(`^ncore_rate_wait_seconds_count\\{tenant="${tenant}"\\} \\d+`, 'm'));
    expect(text).toMatch(new RegExp(`^ncore_rate_queued\\{tenant="${tenant}"\\} 0$`, 'm'));
    expect(text).toMatch(/^# TYPE ncore_rate_refused_total counter$/m);
    expect(text).toMatch(/^ncore_rate_shared 0$/m);
    expect(text).not.toContain(stack.sim.apiKey);
  });
});

describe('an operation that cannot get its turns before its deadline', () => {
  const stack = useStack({
    env: { NCORE_RATE_LIMIT: String(RATE), NCORE_RATE_BURST: '5', CACHE_TTL_MS: '0', OPERATION_TIMEOUT_MS: '1000' },
  });

  it('ends with RATE_LIMITED on the fields that needed them, the rest standing, and sends no call too late', async () => {
    const started = Date.now();
    const { body } = await stack.run(Both, { id: DEMO_ROOT_ID, ids: IDS });
    const tookMs = Date.now() - started;
    expect(body.data?.user?.firstName).toBe('Khalid');
    const nodes = body.data?.nodes ?? [];
    const served = nodes.filter((n) => n !== null).length;
    // A second of turns at most: the burst of five and twenty more, the user's among them.
    expect(served).toBeGreaterThanOrEqual(10);
    expect(served).toBeLessThanOrEqual(25);
    expect(body.errors).toHaveLength(IDS.length - served);
    for (const error of body.errors ?? []) {
      expect(error.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
      expect(error.path?.[0]).toBe('nodes');
    }
    expect(stack.calls()).toBe(served + 1);
    // Every call went with an answer's time left (nCore, in this process, may read it a little later on a busy machine).
    for (const call of stack.sim.requests) expect(call.at).toBeLessThan(started + 1_100);
    expect(tookMs).toBeLessThan(1_500);
  });
});
