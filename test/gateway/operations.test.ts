import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WireUser } from '../../src/contract/types.ts';
import { DEMO_ROOT_ID } from '../../src/simulator/index.ts';
import { graphql } from '../gql/index.ts';
import { restCreate } from '../support/data.ts';
import { postWebhook, subscribeSse, subscribeWs, userEvent, WEBHOOK_ENV, wsClient } from '../support/events.ts';
import { type Stack, useStack } from '../support/stack.ts';

const Lookup = graphql(`
  query OperationsLookup($id: ID!) {
    user(id: $id) { id firstName }
  }
`);

/** Just past the time one readiness answer stands. */
const READY_CACHE = 2_100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const get = (stack: Stack, path: string, headers: Record<string, string> = {}) =>
  stack.gateway.fetch(`http://gateway.test${path}`, { headers });

describe('health and readiness', () => {
  const stack = useStack({ env: { NCORE_MAX_RETRIES: '0', BREAKER_MIN_CALLS: '2', BREAKER_COOLDOWN_MS: '60000' } });

  it('answers /health while alive, with no upstream call', async () => {
    stack.sim.clearRequests();
    const response = await get(stack, '/health');
    expect(response.status).toBe(200);
    expect(stack.calls()).toBe(0);
  });

  it('answers /ready after a cheap nCore call succeeds', async () => {
    stack.sim.clearRequests();
    const response = await get(stack, '/ready');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', ncore: 'up' });
    expect(stack.sim.requests.map((r) => [r.route, r.query['limit']])).toEqual([['listUsers', '1']]);
  });

  it('checks nCore at most once per two seconds, however many probes arrive', async () => {
    await sleep(READY_CACHE);
    stack.sim.clearRequests();
    const answers = await Promise.all(Array.from({ length: 20 }, () => get(stack, '/ready')));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(stack.calls()).toBe(1);
  });

  it("stays ready while nCore fails or the breaker is open, and says so: nCore is every instance's", async () => {
    await sleep(READY_CACHE);
    stack.sim.setFaults({ kind: 'status', status: 503, body: 'html' });
    const failing = await get(stack, '/ready');
    expect(failing.status).toBe(200);
    expect(await failing.json()).toEqual({ status: 'ready', ncore: 'down: UPSTREAM_UNAVAILABLE' });
    await stack.run(Lookup, { id: '00000000-0000-4000-8000-000000000000' });
    expect(stack.gateway.upstream.breakers.worst()).toBe('open');
    await sleep(READY_CACHE);
    const open = await get(stack, '/ready');
    expect(open.status).toBe(200);
    expect(await open.json()).toEqual({ status: 'ready', ncore: 'circuit open' });
    stack.sim.clearFaults();
  });

  it('answers 503 draining from the moment the gateway drains, without asking nCore', async () => {
    await sleep(READY_CACHE);
    stack.sim.clearRequests();
    stack.gateway.drain();
    const draining = await get(stack, '/ready');
    expect(draining.status).toBe(503);
    expect(await draining.json()).toEqual({ status: 'draining' });
    expect(stack.calls()).toBe(0);
    // Everything else is still served.
    expect((await stack.run(Lookup, { id: '00000000-0000-4000-8000-000000000000' })).status).toBe(200);
  });
});

describe('metrics', () => {
  const stack = useStack({ simulator: { seed: 'empty' } });
  let user: WireUser;
  beforeAll(async () => {
    user = await restCreate(stack.sim, { first_name: 'Metric' });
  });

  it('exposes operations, nCore calls by endpoint and status, latency, retries and the breaker in Prometheus format', async () => {
    await stack.run(Lookup, { id: user.id });
    stack.sim.setFaults({ route: 'getUser', kind: 'status', status: 503, body: 'json', times: 1 });
    await stack.run(Lookup, { id: user.id });
    const response = await get(stack, '/metrics');
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/^ncore_calls_total\{route="getUser",status="200"\} 2$/m);
    expect(text).toMatch(/^ncore_calls_total\{route="getUser",status="503"\} 1$/m);
    expect(text).toMatch(/^ncore_retries_total\{route="getUser"\} 1$/m);
    expect(text).toMatch(/^ncore_call_duration_seconds_count\{route="getUser"\} 3$/m);
    expect(text).toMatch(/^ncore_circuit_state 0$/m);
    expect(text).toMatch(/^graphql_envelop_request\{operationType="query"\} 2$/m);
    expect(text).not.toContain(user.id);
    expect(text).not.toContain('OperationsLookup');
  });
});

describe('operation metrics', () => {
  const stack = useStack({ env: WEBHOOK_ENV });
  const metric = async (series: string) => {
    const text = await (await get(stack, '/metrics')).text();
    return Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  };

  it('counts operations over HTTP, SSE and WebSocket, and errors by the phase that reported them', async () => {
    const user = await restCreate(stack.sim, { first_name: 'Counted' });
    await stack.run(Lookup, { id: user.id });
    stack.sim.setFaults({ route: 'getUser', kind: 'status', status: 500, body: 'json', times: 1 });
    expect((await stack.run(Lookup, { id: user.id })).body.errors).toHaveLength(1);
    const codeOf = async (query: string) =>
      ((await (await stack.post(JSON.stringify({ query }))).json()) as { errors: { extensions: { code: string } }[] })
        .errors[0]!.extensions.code;
    // The second time from the gateway's document cache: counted all the same.
    expect(await codeOf('{ user(id: ')).toBe('GRAPHQL_PARSE_FAILED');
    expect(await codeOf('{ user(id: ')).toBe('GRAPHQL_PARSE_FAILED');
    expect(await codeOf('{ nope }')).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(await metric('graphql_envelop_request{operationType="query"}')).toBe(2);
    expect(await metric('graphql_envelop_request_duration_count{operationType="query"}')).toBe(2);
    expect(await metric('graphql_envelop_error_result{phase="parse"}')).toBe(2);
    expect(await metric('graphql_envelop_error_result{operationType="query",phase="validate"}')).toBe(1);
    expect(await metric('graphql_envelop_error_result{operationType="query",phase="execute"}')).toBe(1);

    const url = await stack.listen();
    const sse = await subscribeSse(url, 'subscription { userEvents { id } }');
    const client = wsClient(url);
    const ws = subscribeWs(client, 'subscription { userEvents { id user { parent { firstName } } } }');
    await expect.poll(() => metric('graphql_envelop_request{operationType="subscription"}')).toBe(2);
    // One that fails to start, and an event whose parent nCore fails to give.
    const refused = subscribeWs(client, 'subscription { userEvents(userId: "nope") { id } }');
    expect((await refused.waitFor(1))[0]!.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(await metric('graphql_envelop_error_result{operationType="subscription",phase="subscribe"}')).toBe(1);
    stack.sim.setFaults({ route: 'getUser', kind: 'status', status: 500, body: 'json' });
    await postWebhook(url, userEvent('USER_CREATED', user.id, { parent_user_id: DEMO_ROOT_ID }));
    expect((await ws.waitFor(1))[0]!.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_UNAVAILABLE');
    expect(await metric('graphql_envelop_error_result{operationType="subscription",phase="execute"}')).toBe(1);
    stack.sim.clearFaults();
    sse.stop();
    ws.stop();
    await client.dispose();
  });
});

describe('request correlation', () => {
  const stack = useStack({ simulator: { seed: 'empty' } });
  let user: WireUser;
  beforeAll(async () => {
    user = await restCreate(stack.sim, { first_name: 'Traced' });
  });
  beforeEach(() => stack.sim.clearRequests());

  it("returns and forwards the caller x-request-id, and its trace's ids without the sampled flag", async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const response = await stack.post(JSON.stringify({ query: `{ user(id: "${user.id}") { id } }` }), {
      'x-request-id': 'req-42',
      traceparent,
    });
    expect(response.headers.get('x-request-id')).toBe('req-42');
    // TRACE_PROPAGATION's default: the caller's trace continues, its sampling decision does not (tracing is off).
    expect(stack.sim.requests[0]?.headers).toMatchObject({
      'x-request-id': 'req-42',
      traceparent: traceparent.replace(/-01$/, '-00'),
    });
  });

  it('makes a request id when the caller sends none or an unsafe one, and drops a malformed traceparent', async () => {
    const response = await stack.post(JSON.stringify({ query: `{ user(id: "${user.id}") { id } }` }), {
      'x-request-id': 'bad id\twith spaces',
      traceparent: 'nope',
    });
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(stack.sim.requests[0]?.headers['x-request-id']).toBe(id);
    expect(stack.sim.requests[0]?.headers.traceparent).toBeUndefined();
  });
});
