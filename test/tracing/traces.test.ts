import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WireUser } from '../../src/contract/types.ts';
import { createSimulator, type Simulator } from '../../src/simulator/index.ts';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from '../support/otlpReceiver.ts';
import { type GatewayProcess, startGatewayProcess } from '../support/process.ts';

const SERVER = 2;
const CLIENT = 3;

/** Posted as text: these operations are about spans, not about codegen's types. */
const FAMILY = `query Family($id: ID!) {
  user(id: $id) { firstName lastName email mobile dateOfBirth parent { firstName email } children(first: 5) { nodes { firstName email } } }
}`;

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

describe('OpenTelemetry traces from the gateway process', () => {
  let receiver: OtlpReceiver;
  let sim: Simulator;
  let gateway: GatewayProcess;
  /** The same, with `TRACE_PHASES` left at its default (off). */
  let lean: GatewayProcess;
  /** The same in production with no sampler set: its default, a tenth of the operations. */
  let production: GatewayProcess;
  let user: WireUser;
  /** Every user a test reads, so that their personal values can be looked for in every span. */
  const seen = new Map<string, WireUser>();

  const post = async (query: string, variables: object, headers: Record<string, string> = {}, url = gateway.url) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
  };
  const trace = (traceId: string) => receiver.spans.filter((s) => s.traceId === traceId);
  /** Waits until the trace's operation span has arrived (it ends last), then returns the whole trace. */
  const awaitTrace = async (traceId: string): Promise<ReceivedSpan[]> => {
    await receiver.waitFor((spans) => spans.some((s) => s.traceId === traceId && s.kind === SERVER));
    return trace(traceId);
  };
  const traceOf = (sent: string) => sent.split('-')[1]!;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    sim = await createSimulator({ seed: 'demo' });
    const users = sim.users();
    user = users.find((u) => u.parent_user_id && users.some((c) => c.parent_user_id === u.id))!;
    for (const u of users)
      if (u.id === user.id || u.id === user.parent_user_id || u.parent_user_id === user.id) seen.set(u.id, u);
    const env = {
      NCORE_BASE_URL: sim.url,
      NCORE_API_KEY: sim.apiKey,
      GATEWAY_AUTH: 'none',
      NCORE_MAX_RETRIES: '2',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'gateway-under-test',
      OTEL_TRACES_SAMPLER: 'parentbased_always_on',
      OTEL_BSP_SCHEDULE_DELAY: '50',
    };
    const { OTEL_TRACES_SAMPLER: _sampler, ...unset } = env;
    [gateway, lean, production] = await Promise.all([
      startGatewayProcess({ ...env, TRACE_PHASES: 'true' }),
      startGatewayProcess(env),
      startGatewayProcess({ ...unset, NODE_ENV: 'production', OTEL_SERVICE_NAME: 'gateway-in-production' }),
    ]);
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop();
    await lean?.stop();
    await production?.stop();
    await sim?.close();
    await receiver?.close();
  });

  beforeEach(() => {
    sim.clearFaults();
    sim.clearRequests();
  });

  it('continues the caller trace: operation, its phases, and one client span per nCore call named in its traceparent', async () => {
    const traceId = hex(16);
    const callerSpan = hex(8);
    const answer = await post(FAMILY, { id: user.id }, { traceparent: `00-${traceId}-${callerSpan}-01` });
    expect(answer.errors).toBeUndefined();
    for (const u of sim.users())
      if ([user.id, user.parent_user_id].includes(u.id) || u.parent_user_id === user.id) seen.set(u.id, u);

    const spans = await awaitTrace(traceId);
    const operation = spans.find((s) => s.kind === SERVER)!;
    expect(operation.parentSpanId).toBe(callerSpan);
    expect(operation.name).toBe('query Family');
    expect(operation.attributes).toMatchObject({
      'graphql.operation.type': 'query',
      'graphql.operation.name': 'Family',
      'graphql.outcome': 'OK',
      'http.response.status_code': 200,
      'ncore.calls': sim.requests.length,
    });
    expect(operation.resource['service.name']).toBe('gateway-under-test');

    const phases = spans.filter((s) => s.name.startsWith('graphql.'));
    expect(phases.map((s) => s.name).sort()).toEqual(['graphql.execute', 'graphql.parse', 'graphql.validate']);
    for (const phase of phases) expect(phase.parentSpanId).toBe(operation.spanId);

    // One client span per call nCore saw, each the parent named in that call's traceparent.
    const calls = spans.filter((s) => s.kind === CLIENT);
    expect(calls).toHaveLength(sim.requests.length);
    for (const call of calls) {
      expect(call.parentSpanId).toBe(operation.spanId);
      expect(call.attributes).toMatchObject({
        'http.request.method': 'GET',
        'http.response.status_code': 200,
        'ncore.attempt': 0,
      });
    }
    expect(sim.requests.map((r) => r.headers.traceparent).sort()).toEqual(
      calls.map((c) => `00-${traceId}-${c.spanId}-01`).sort(),
    );
    expect(calls.map((c) => c.attributes['ncore.route']).sort()).toEqual(sim.requests.map((r) => r.route).sort());
    expect(spans).toHaveLength(1 + phases.length + calls.length);
  });

  it('by default (TRACE_PHASES off), an operation is its span and one client span per nCore call: no phase spans', async () => {
    const traceId = hex(16);
    const answer = await post(FAMILY, { id: user.id }, { traceparent: `00-${traceId}-${hex(8)}-01` }, lean.url);
    expect(answer.errors).toBeUndefined();
    const spans = await awaitTrace(traceId);
    const operation = spans.find((s) => s.kind === SERVER)!;
    expect(operation.name).toBe('query Family');
    expect(spans.filter((s) => s.name.startsWith('graphql.'))).toEqual([]);
    expect(spans.filter((s) => s.kind === CLIENT)).toHaveLength(sim.requests.length);
    expect(spans).toHaveLength(1 + sim.requests.length);
  });

  it('in production with no sampler set, traces about a tenth of the operations and passes nCore a traceparent for all', async () => {
    const sent = 300;
    for (let i = 0; i < sent; i++)
      await post('query One($id: ID!) { user(id: $id) { id } }', { id: user.id }, {}, production.url);
    // Operations without spans arrive with nothing to wait for; the sampled ones within the 50-ms export delay.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const operations = receiver.spans.filter(
      (s) => s.kind === SERVER && s.resource['service.name'] === 'gateway-in-production',
    );
    // Binomial(300, 0.1): 30 expected; outside 8 to 60 once in more than a million runs.
    expect(operations.length).toBeGreaterThanOrEqual(8);
    expect(operations.length).toBeLessThanOrEqual(60);
    expect(sim.requests).toHaveLength(sent);
    expect(sim.requests.every((r) => /^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/.test(String(r.headers.traceparent)))).toBe(
      true,
    );
  });

  it('starts a trace of its own without a traceparent, and samples a caller trace by its own decision, not the caller flag', async () => {
    const before = new Set(receiver.spans.map((s) => s.traceId));
    expect((await post(FAMILY, { id: user.id })).errors).toBeUndefined();
    const own = await receiver.waitFor((spans) => spans.some((s) => s.kind === SERVER && !before.has(s.traceId)));
    const operation = own.find((s) => s.kind === SERVER && !before.has(s.traceId))!;
    expect(operation.parentSpanId).toBeUndefined();
    const traceparents = sim.requests.map((r) => r.headers.traceparent!);
    expect(traceparents.every((t) => traceOf(t) === operation.traceId)).toBe(true);

    // A caller's "not sampled" (flag 00) decides nothing either: with parentbased_always_on the trace is sampled,
    // and nCore hears the gateway's flag.
    sim.clearRequests();
    const unsampled = hex(16);
    const callerSpan = hex(8);
    await post(FAMILY, { id: user.id }, { traceparent: `00-${unsampled}-${callerSpan}-00` });
    expect(sim.requests.length).toBeGreaterThan(0);
    expect(
      sim.requests.every(
        (r) => r.headers.traceparent?.startsWith(`00-${unsampled}-`) && r.headers.traceparent.endsWith('-01'),
      ),
    ).toBe(true);
    const spans = await awaitTrace(unsampled);
    expect(spans.find((s) => s.kind === SERVER)!.parentSpanId).toBe(callerSpan);
  });

  it('records outcomes: an error code on the operation, and each retried attempt of a failing call', async () => {
    const bad = hex(16);
    const refused = await post(FAMILY, { id: 'not-a-uuid' }, { traceparent: `00-${bad}-${hex(8)}-01` });
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const [badOperation] = (await awaitTrace(bad)).filter((s) => s.kind === SERVER);
    expect(badOperation!.attributes).toMatchObject({
      'graphql.outcome': 'BAD_USER_INPUT',
      'graphql.error.codes': ['BAD_USER_INPUT'],
    });
    expect(badOperation!.status.code).toBe(2);

    const failing = hex(16);
    sim.setFaults({ route: 'getUser', kind: 'status', status: 503, body: 'json' });
    const failed = await post(FAMILY, { id: user.id }, { traceparent: `00-${failing}-${hex(8)}-01` });
    expect(failed.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    const spans = await awaitTrace(failing);
    const attempts = spans.filter((s) => s.kind === CLIENT);
    expect(attempts.map((s) => s.attributes['ncore.attempt'])).toEqual([0, 1, 2]);
    for (const attempt of attempts) {
      expect(attempt.attributes).toMatchObject({
        'ncore.route': 'getUser',
        'http.response.status_code': 503,
        'error.type': 'UPSTREAM_UNAVAILABLE',
      });
      expect(attempt.status.code).toBe(2);
    }
    expect(spans.find((s) => s.kind === SERVER)!.attributes['graphql.outcome']).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('tells the same story as the metrics: span routes and counts equal the ncore_calls_total increments', async () => {
    const callsByRoute = async () => {
      const text = await (await fetch(gateway.url.replace(/\/graphql$/, '/metrics'))).text();
      const counts: Record<string, number> = {};
      for (const [, route, count] of text.matchAll(/^ncore_calls_total\{route="(\w+)",status="\w+"\} (\d+)$/gm)) {
        counts[route!] = (counts[route!] ?? 0) + Number(count);
      }
      return counts;
    };
    const before = await callsByRoute();
    const traceId = hex(16);
    await post(FAMILY, { id: user.id }, { traceparent: `00-${traceId}-${hex(8)}-01` });
    const after = await callsByRoute();
    const fromMetrics = Object.fromEntries(
      Object.entries(after)
        .map(([route, count]) => [route, count - (before[route] ?? 0)] as const)
        .filter(([, delta]) => delta > 0),
    );
    const fromSpans: Record<string, number> = {};
    for (const span of (await awaitTrace(traceId)).filter((s) => s.kind === CLIENT)) {
      const route = String(span.attributes['ncore.route']);
      fromSpans[route] = (fromSpans[route] ?? 0) + 1;
    }
    expect(Object.keys(fromMetrics).sort()).toEqual(['getUser', 'listChildren']);
    expect(fromSpans).toEqual(fromMetrics);
  });

  it('ends a deferred operation span with its last part: every nCore call counted, every call span inside it', async () => {
    const traceId = hex(16);
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'multipart/mixed',
        traceparent: `00-${traceId}-${hex(8)}-01`,
      },
      body: JSON.stringify({
        query:
          'query Deferred($id: ID!) { user(id: $id) { firstName ... @defer { children { nodes { firstName } } } } }',
        variables: { id: user.id },
      }),
    });
    expect(await response.text()).toContain('"hasNext":false');
    const spans = await awaitTrace(traceId);
    const operation = spans.find((s) => s.kind === SERVER)!;
    expect(operation.attributes['ncore.calls']).toBe(2);
    const calls = spans.filter((s) => s.kind === CLIENT);
    expect(calls).toHaveLength(2);
    for (const call of calls) expect(call.endTimeUnixNano <= operation.endTimeUnixNano).toBe(true);
  });

  it('holds no key, id, name, email or other personal value in any attribute, event or resource', () => {
    expect(receiver.spans.length).toBeGreaterThan(10);
    const secrets = [sim.apiKey];
    for (const u of seen.values()) {
      secrets.push(u.id, u.first_name, u.last_name ?? '', u.email ?? '', u.mobile ?? '', u.date_of_birth ?? '');
    }
    const values = secrets.filter((v) => v.length >= 3).map((v) => v.toLowerCase());
    expect(values.length).toBeGreaterThan(10);
    for (const span of receiver.spans) {
      expect(span.events).toEqual([]);
      const texts = [span.name, ...Object.values(span.attributes), ...Object.values(span.resource)].map((v) =>
        JSON.stringify(v).toLowerCase(),
      );
      for (const text of texts) for (const secret of values) expect(text).not.toContain(secret);
    }
    expect(receiver.rejected).toBe(0);
  });
});
