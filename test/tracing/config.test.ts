import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.ts';

const tracing = (env: Record<string, string>) => loadConfig(env).process.tracing;

describe('tracing settings: the standard OTEL_* variables', () => {
  it('is off without an OTLP endpoint, whatever else is set', () => {
    expect(tracing({})).toBeUndefined();
    expect(tracing({ OTEL_SERVICE_NAME: 'x', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })).toBeUndefined();
  });

  it('is on with an endpoint (general or traces-only), named after the gateway unless OTEL_SERVICE_NAME says otherwise', () => {
    expect(tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toEqual({
      serviceName: 'ncore-graphql-gateway',
      protocol: 'http/protobuf',
      propagation: 'traceparent',
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
      phases: false,
    });
    expect(
      tracing({
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector/v1/traces',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
        OTEL_SERVICE_NAME: 'users-gateway',
      }),
    ).toMatchObject({ serviceName: 'users-gateway', protocol: 'http/json' });
  });

  it('reads the sampler and its ratio, which the gateway applies itself unless TRACE_PROPAGATION=trusted', () => {
    const on = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' };
    expect(
      tracing({ ...on, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' }),
    ).toMatchObject({ sampler: 'parentbased_traceidratio', samplerRatio: 0 });
    expect(tracing({ ...on, OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' })).toMatchObject({
      samplerRatio: 0.25,
    });
    expect(tracing({ ...on, TRACE_PROPAGATION: 'trusted' })?.propagation).toBe('trusted');
    expect(tracing({ ...on, TRACE_PHASES: 'true' })?.phases).toBe(true);
    expect(() => tracing({ ...on, TRACE_PHASES: 'sometimes' })).toThrow(/TRACE_PHASES/);
    expect(() => tracing({ ...on, TRACE_PROPAGATION: 'caller' })).toThrow(
      /TRACE_PROPAGATION must be one of none, traceparent, trusted/,
    );
  });

  it('samples a tenth of the operations in production unless OTEL_TRACES_SAMPLER says otherwise; all in development', () => {
    const on = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' };
    const production = { ...on, NODE_ENV: 'production' };
    expect(tracing(production)).toMatchObject({ sampler: 'parentbased_traceidratio', samplerRatio: 0.1 });
    expect(tracing({ ...production, OTEL_TRACES_SAMPLER_ARG: '0.5' })).toMatchObject({ samplerRatio: 0.5 });
    expect(tracing({ ...production, OTEL_TRACES_SAMPLER: 'parentbased_always_on' })).toMatchObject({
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
    });
    expect(tracing({ ...production, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio' })?.samplerRatio).toBe(1);
    expect(tracing(on)).toMatchObject({ sampler: 'parentbased_always_on', samplerRatio: 1 });
  });

  it('is off when the SDK or its trace exporter is switched off', () => {
    expect(tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
    expect(tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' })).toBeUndefined();
  });

  it('reports every malformed value at once, never echoing an endpoint', () => {
    try {
      loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318?token=secret',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/xml',
        OTEL_TRACES_SAMPLER: 'sometimes',
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems;
      expect(problems).toHaveLength(3);
      expect(problems.join('\n')).not.toContain('secret');
    }
    expect(() =>
      loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '1.5',
      }),
    ).toThrow(/OTEL_TRACES_SAMPLER_ARG/);
  });
});
