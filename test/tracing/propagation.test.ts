import { randomBytes } from 'node:crypto';
import {
  defaultTextMapGetter,
  defaultTextMapSetter,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { tracing } from '@opentelemetry/sdk-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LoggedRequest } from '../../src/simulator/index.ts';
import { createSimulator, DEMO_ROOT_ID, type Simulator } from '../../src/simulator/index.ts';
import { CallerTraceparent, OwnDecision } from '../../src/telemetry.ts';
import { type OtlpReceiver, startOtlpReceiver } from '../support/otlpReceiver.ts';
import { type GatewayProcess, startGatewayProcess } from '../support/process.ts';
import { useStack } from '../support/stack.ts';

const SERVER = 2;
const QUERY = JSON.stringify({ query: `{ user(id: "${DEMO_ROOT_ID}") { id children(first: 2) { nodes { id } } } }` });
const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** What a caller might send: a sampled traceparent, and tracestate and baggage holding values nCore must not see. */
function callerHeaders() {
  const traceId = hex(16);
  const parentId = hex(8);
  return {
    traceId,
    parentId,
    headers: {
      traceparent: `00-${traceId}-${parentId}-01`,
      tracestate: 'vendor=caller-state-secret',
      baggage: 'user.email=baggage-secret%40example.com,role=admin',
    },
  };
}

/** Each header nCore received, over every call it logged. */
const received = (requests: LoggedRequest[], name: 'traceparent' | 'tracestate' | 'baggage') =>
  requests.map((r) => r.headers[name]);

describe('TRACE_PROPAGATION without tracing: what of the caller nCore hears', () => {
  const modes = {
    none: useStack({ env: { TRACE_PROPAGATION: 'none' } }),
    traceparent: useStack(),
    trusted: useStack({ env: { TRACE_PROPAGATION: 'trusted' } }),
  };
  const call = async (mode: keyof typeof modes, headers: Record<string, string>) => {
    const stack = modes[mode];
    stack.sim.clearRequests();
    const response = await stack.post(QUERY, headers);
    expect(response.status).toBe(200);
    expect(stack.sim.requests.length).toBeGreaterThan(1);
    return stack.sim.requests;
  };

  it('none: no trace header at all', async () => {
    const requests = await call('none', callerHeaders().headers);
    for (const name of ['traceparent', 'tracestate', 'baggage'] as const)
      expect(received(requests, name).every((v) => v === undefined)).toBe(true);
  });

  it('traceparent (the default): the trace and parent ids, never the sampled flag, tracestate or baggage', async () => {
    const { traceId, parentId, headers } = callerHeaders();
    const requests = await call('traceparent', headers);
    expect(new Set(received(requests, 'traceparent'))).toEqual(new Set([`00-${traceId}-${parentId}-00`]));
    expect(received(requests, 'tracestate').every((v) => v === undefined)).toBe(true);
    expect(received(requests, 'baggage').every((v) => v === undefined)).toBe(true);
  });

  it('trusted: the traceparent as it came (tracestate and baggage need tracing on to be carried)', async () => {
    const { headers } = callerHeaders();
    const requests = await call('trusted', headers);
    expect(new Set(received(requests, 'traceparent'))).toEqual(new Set([headers.traceparent]));
    expect(received(requests, 'baggage').every((v) => v === undefined)).toBe(true);
  });

  it('drops a malformed or invalid traceparent in every mode', async () => {
    for (const mode of ['traceparent', 'trusted'] as const) {
      for (const traceparent of [
        `ff-${hex(16)}-${hex(8)}-01`,
        `00-${'0'.repeat(32)}-${hex(8)}-01`,
        `00-${hex(16)}-${'0'.repeat(16)}-01`,
        `00-${hex(16).toUpperCase()}-${hex(8)}-01`,
      ]) {
        const requests = await call(mode, { traceparent });
        expect(
          received(requests, 'traceparent').every((v) => v === undefined),
          `${mode} ${traceparent}`,
        ).toBe(true);
      }
    }
  });
});

describe('TRACE_PROPAGATION with tracing, sampling ratio 0 (parentbased_traceidratio)', () => {
  let receiver: OtlpReceiver;
  let sim: Simulator;
  const gateways: Record<'traceparent' | 'trusted' | 'none', GatewayProcess> = {} as never;
  const spansOf = (service: string) => receiver.spans.filter((s) => s.resource['service.name'] === service);
  const post = async (gateway: GatewayProcess, headers: Record<string, string> = {}) => {
    sim.clearRequests();
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: QUERY,
    });
    expect(response.status).toBe(200);
    expect(sim.requests.length).toBeGreaterThan(1);
    return sim.requests;
  };

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    sim = await createSimulator({ seed: 'demo' });
    const env = (mode: string, sampler = 'parentbased_traceidratio') => ({
      NCORE_BASE_URL: sim.url,
      NCORE_API_KEY: sim.apiKey,
      GATEWAY_AUTH: 'none',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: `gateway-${mode}`,
      OTEL_TRACES_SAMPLER: sampler,
      OTEL_TRACES_SAMPLER_ARG: '0',
      OTEL_BSP_SCHEDULE_DELAY: '50',
      ...(mode === 'default' ? {} : { TRACE_PROPAGATION: mode }),
    });
    [gateways.traceparent, gateways.trusted, gateways.none] = await Promise.all([
      startGatewayProcess(env('default')),
      startGatewayProcess(env('trusted')),
      startGatewayProcess(env('none', 'parentbased_always_on')),
    ]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(Object.values(gateways).map((g) => g?.stop()));
    await sim?.close();
    await receiver?.close();
  });

  beforeEach(() => sim.clearFaults());

  it('default: a caller flagging its trace sampled exports nothing, and nCore hears the gateway decision, not the flag', async () => {
    const { traceId, parentId, headers } = callerHeaders();
    const requests = await post(gateways.traceparent, headers);
    for (const traceparent of received(requests, 'traceparent')) {
      const [version, trace, parent, flags] = traceparent!.split('-');
      expect([version, trace, flags]).toEqual(['00', traceId, '00']);
      expect(parent).not.toBe(parentId);
    }
    // An operation left out by the sampler makes no span per call: every call names the operation's own.
    expect(new Set(received(requests, 'traceparent')).size).toBe(1);
    expect(received(requests, 'tracestate').every((v) => v === undefined)).toBe(true);
    expect(received(requests, 'baggage').every((v) => v === undefined)).toBe(true);
    await post(gateways.traceparent);
    await post(gateways.traceparent, { traceparent: `00-${hex(16)}-${hex(8)}-03` });
    // A stopped process has flushed every span it had: none arrived.
    await gateways.traceparent.stop();
    expect(await gateways.traceparent.exited).toBe(0);
    expect(spansOf('gateway-default')).toEqual([]);
    expect(receiver.rejected).toBe(0);
  });

  it('trusted: the caller sampled flag is honoured (spans at ratio 0), and tracestate and baggage reach nCore, never a span', async () => {
    const { traceId, parentId, headers } = callerHeaders();
    const requests = await post(gateways.trusted, headers);
    const spans = await receiver.waitFor((all) => all.some((s) => s.traceId === traceId && s.kind === SERVER));
    const operation = spans.find((s) => s.traceId === traceId && s.kind === SERVER)!;
    expect(operation.parentSpanId).toBe(parentId);
    const calls = spans.filter((s) => s.traceId === traceId && s.parentSpanId === operation.spanId && s.kind === 3);
    expect(new Set(received(requests, 'traceparent'))).toEqual(
      new Set(calls.map((c) => `00-${traceId}-${c.spanId}-01`)),
    );
    expect(new Set(received(requests, 'tracestate'))).toEqual(new Set([headers.tracestate]));
    for (const baggage of received(requests, 'baggage')) {
      expect(baggage).toContain('baggage-secret%40example.com');
      expect(baggage).toContain('role=admin');
    }
    // Its own traces stay at the ratio: none.
    await post(gateways.trusted);
    await gateways.trusted.stop();
    const exported = spansOf('gateway-trusted');
    expect(new Set(exported.map((s) => s.traceId))).toEqual(new Set([traceId]));
    for (const span of exported) {
      const text = JSON.stringify([span.name, span.attributes, span.resource, span.events]);
      for (const secret of ['caller-state-secret', 'baggage-secret', 'admin']) expect(text).not.toContain(secret);
    }
  });

  it('none: the caller trace is not continued; the gateway starts its own and nCore hears only that', async () => {
    const { traceId, headers } = callerHeaders();
    const requests = await post(gateways.none, headers);
    const spans = await receiver.waitFor((all) =>
      all.some((s) => s.resource['service.name'] === 'gateway-none' && s.kind === SERVER),
    );
    const operation = spans.find((s) => s.resource['service.name'] === 'gateway-none' && s.kind === SERVER)!;
    expect(operation.traceId).not.toBe(traceId);
    expect(operation.parentSpanId).toBeUndefined();
    for (const traceparent of received(requests, 'traceparent'))
      expect(traceparent).toMatch(new RegExp(`^00-${operation.traceId}-[0-9a-f]{16}-01$`));
    expect(received(requests, 'tracestate').every((v) => v === undefined)).toBe(true);
    expect(received(requests, 'baggage').every((v) => v === undefined)).toBe(true);
  });
});

describe("the untrusted modes' propagator and sampler (telemetry.ts)", () => {
  const carrier = (headers: Record<string, string>) => headers;

  it('reads a trace id and parent only: no sampled flag, tracestate or baggage; with none, nothing', () => {
    const { traceId, parentId, headers } = callerHeaders();
    const read = new CallerTraceparent('traceparent').extract(ROOT_CONTEXT, carrier(headers), defaultTextMapGetter);
    expect(trace.getSpanContext(read)).toEqual({
      traceId,
      spanId: parentId,
      traceFlags: TraceFlags.NONE,
      isRemote: true,
    });
    expect(propagation.getBaggage(read)).toBeUndefined();
    const none = new CallerTraceparent('none').extract(ROOT_CONTEXT, carrier(headers), defaultTextMapGetter);
    expect(trace.getSpanContext(none)).toBeUndefined();
    const out: Record<string, string> = {};
    new CallerTraceparent('traceparent').inject(read, out, defaultTextMapSetter);
    expect(out).toEqual({ traceparent: `00-${traceId}-${parentId}-00` });
  });

  it('decides a continued trace on a draw of its own: a trace id crafted to pass a ratio does not force sampling', () => {
    // The four 32-bit words XOR to 1: the SDK's ratio sampler takes any such id at any ratio above 2^-32.
    const crafted = `${'0'.repeat(31)}1`;
    const remote = (traceFlags: TraceFlags) =>
      trace.setSpanContext(ROOT_CONTEXT, { traceId: crafted, spanId: hex(8), traceFlags, isRemote: true });
    const ratio = 1e-6;
    const sdk = new tracing.ParentBasedSampler({
      root: new tracing.TraceIdRatioBasedSampler(ratio),
      remoteParentNotSampled: new tracing.TraceIdRatioBasedSampler(ratio),
    });
    expect(sdk.shouldSample(remote(TraceFlags.NONE), crafted, 'op', SpanKind.SERVER, {}, []).decision).toBe(
      tracing.SamplingDecision.RECORD_AND_SAMPLED,
    );
    const own = new OwnDecision('parentbased_traceidratio', ratio);
    const decisions = [TraceFlags.NONE, TraceFlags.SAMPLED].flatMap((flags) =>
      Array.from(
        { length: 50 },
        () => own.shouldSample(remote(flags), crafted, 'op', SpanKind.SERVER, {}, []).decision,
      ),
    );
    expect(new Set(decisions)).toEqual(new Set([tracing.SamplingDecision.NOT_RECORD]));
    // With ratio 1 a continued trace is sampled; spans under an operation follow the operation.
    expect(new OwnDecision('traceidratio', 1).shouldSample(remote(0), crafted, 'op', 0, {}, []).decision).toBe(
      tracing.SamplingDecision.RECORD_AND_SAMPLED,
    );
    const local = (traceFlags: TraceFlags) =>
      trace.setSpanContext(ROOT_CONTEXT, { traceId: hex(16), spanId: hex(8), traceFlags, isRemote: false });
    const always = new OwnDecision('always_on', 1);
    expect(always.shouldSample(local(TraceFlags.NONE), hex(16), 'child', 0, {}, []).decision).toBe(
      tracing.SamplingDecision.NOT_RECORD,
    );
    expect(own.shouldSample(local(TraceFlags.SAMPLED), hex(16), 'child', 0, {}, []).decision).toBe(
      tracing.SamplingDecision.RECORD_AND_SAMPLED,
    );
    expect(new CallerTraceparent('traceparent').fields()).toEqual(['traceparent']);
  });
});
