import type { Readers } from './readers.ts';
import type { TracePropagation, TraceSampler, TracingConfig } from './types.ts';

const OTLP_PROTOCOLS: readonly TracingConfig['protocol'][] = ['http/protobuf', 'http/json', 'grpc'];
const SAMPLERS: readonly TraceSampler[] = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];
const PROPAGATIONS: readonly TracePropagation[] = ['none', 'traceparent', 'trusted'];

/**
 * `TRACE_PROPAGATION`: how far a caller's trace context is trusted. An edge service honouring any sampled flag can be
 * made to trace everything, and `tracestate` or baggage may carry what nCore should not see: `none` ignores it,
 * `traceparent` (default) continues its trace id but samples by the gateway's own decision, `trusted` (the
 * operator's own infrastructure) passes all of it on. Read even without tracing: it governs what nCore receives.
 */
export function tracePropagation(r: Readers): TracePropagation {
  return r.oneOf('TRACE_PROPAGATION', PROPAGATIONS, 'traceparent');
}

/**
 * Without `OTEL_TRACES_SAMPLER`, a production gateway traces this share of the operations it starts a trace for;
 * `OTEL_TRACES_SAMPLER_ARG` sets another. Every sampled operation costs its spans' making and export, about a
 * fifth of a simple read's CPU on two cores with every operation sampled (bench/RESULTS.md, tracing cost), so
 * production defaults to what many teams sample at; development (`npm run dev`) traces every operation.
 */
const PRODUCTION_RATIO = 0.1;

/**
 * Tracing is on when an OTLP endpoint is set, unless the SDK or its trace exporter is switched off. The sampler is
 * the standard `OTEL_TRACES_SAMPLER`; unset, it is `parentbased_always_on` in development and
 * `parentbased_traceidratio` at 0.1 in production.
 */
export function tracingConfig(
  r: Readers,
  propagation: TracePropagation,
  production: boolean,
): TracingConfig | undefined {
  const { text, problems } = r;
  // Checked as any URL setting is, never echoed (a collector URL can carry credentials).
  const endpoints = ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_ENDPOINT'].filter((n) => r.url(n));
  const protocol = text('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? text('OTEL_EXPORTER_OTLP_PROTOCOL') ?? 'http/protobuf';
  if (!(OTLP_PROTOCOLS as readonly string[]).includes(protocol)) {
    problems.push(`OTEL_EXPORTER_OTLP_PROTOCOL must be one of ${OTLP_PROTOCOLS.join(', ')} (got "${protocol}")`);
  }
  const defaulted = production && text('OTEL_TRACES_SAMPLER') === undefined;
  const sampler = r.oneOf(
    'OTEL_TRACES_SAMPLER',
    SAMPLERS,
    defaulted ? 'parentbased_traceidratio' : 'parentbased_always_on',
  );
  const ratio = text('OTEL_TRACES_SAMPLER_ARG');
  const ratioValid = ratio !== undefined && ratio.trim() !== '' && Number(ratio) >= 0 && Number(ratio) <= 1;
  if (sampler.endsWith('traceidratio') && ratio !== undefined && !ratioValid) {
    problems.push(`OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1 (got "${ratio}")`);
  }
  const off = text('OTEL_SDK_DISABLED')?.toLowerCase() === 'true' || text('OTEL_TRACES_EXPORTER') === 'none';
  if (endpoints.length === 0 || off) return undefined;
  return {
    serviceName: text('OTEL_SERVICE_NAME') ?? 'ncore-graphql-gateway',
    protocol: protocol as TracingConfig['protocol'],
    propagation,
    sampler,
    samplerRatio: ratioValid ? Number(ratio) : defaulted ? PRODUCTION_RATIO : 1,
    phases: r.bool('TRACE_PHASES', false),
  };
}
