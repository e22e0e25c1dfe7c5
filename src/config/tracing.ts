import type { Readers } from './readers.ts';
import type { TracingConfig } from './types.ts';

const OTLP_PROTOCOLS: readonly TracingConfig['protocol'][] = ['http/protobuf', 'http/json', 'grpc'];
const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];

/** Tracing is on when an OTLP endpoint is set, unless the SDK or its trace exporter is switched off. */
export function tracingConfig(r: Readers): TracingConfig | undefined {
  const { text, problems } = r;
  // Checked as any URL setting is, never echoed (a collector URL can carry credentials).
  const endpoints = ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_ENDPOINT'].filter((n) => r.url(n));
  const protocol = text('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? text('OTEL_EXPORTER_OTLP_PROTOCOL') ?? 'http/protobuf';
  if (!(OTLP_PROTOCOLS as readonly string[]).includes(protocol)) {
    problems.push(`OTEL_EXPORTER_OTLP_PROTOCOL must be one of ${OTLP_PROTOCOLS.join(', ')} (got "${protocol}")`);
  }
  const sampler = text('OTEL_TRACES_SAMPLER');
  if (sampler !== undefined && !SAMPLERS.includes(sampler)) {
    problems.push(`OTEL_TRACES_SAMPLER must be one of ${SAMPLERS.join(', ')} (got "${sampler}")`);
  }
  const ratio = text('OTEL_TRACES_SAMPLER_ARG');
  if (sampler?.endsWith('traceidratio') && ratio !== undefined && !(Number(ratio) >= 0 && Number(ratio) <= 1)) {
    problems.push(`OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1 (got "${ratio}")`);
  }
  const off = text('OTEL_SDK_DISABLED')?.toLowerCase() === 'true' || text('OTEL_TRACES_EXPORTER') === 'none';
  if (endpoints.length === 0 || off) return undefined;
  return {
    serviceName: text('OTEL_SERVICE_NAME') ?? 'ncore-graphql-gateway',
    protocol: protocol as TracingConfig['protocol'],
  };
}
