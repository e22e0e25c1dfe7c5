import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.ts';

const REAL = { NCORE_BASE_URL: 'https://sandbox.example/v1', NCORE_API_KEY: 'k', GATEWAY_AUTH: 'none' };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('settings (loadConfig)', () => {
  it('runs the demo with no settings at all: embedded simulator, no auth, GraphiQL on', () => {
    const { process, gateway } = loadConfig({});
    expect(process).toMatchObject({ port: 4000, host: '127.0.0.1', workers: 1, logLevel: 'info' });
    expect(gateway).toMatchObject({ production: false, graphiql: true, introspection: true, metrics: true });
    expect(gateway.ncore.baseUrl).toBeUndefined();
    expect(gateway.auth.mode).toBe('none');
  });

  it('splits the process settings from the gateway settings', () => {
    const config = loadConfig({ ...REAL, PORT: '8080', WORKERS: '2', OPERATION_TIMEOUT_MS: '5000' });
    expect(config.process).toMatchObject({ port: 8080, workers: 2 });
    expect(config.gateway.operationTimeoutMs).toBe(5000);
    expect(config.gateway).not.toHaveProperty('port');
    expect(config.process).not.toHaveProperty('ncore');
  });

  it('reports every problem at once, one line each, without echoing a URL', () => {
    const found = problems({
      NCORE_BASE_URL: 'ftp://user:secret@host/v1',
      PORT: 'eighty',
      WORKERS: '0',
      METRICS: 'maybe',
      LOG_LEVEL: 'loud',
    });
    expect(found).toHaveLength(7);
    expect(found.join('\n')).not.toContain('secret');
    expect(found).toContain('PORT must be a whole number from 0 to 65535 (got "eighty")');
    expect(found.some((p) => p.startsWith('GATEWAY_AUTH must be set explicitly'))).toBe(true);
  });

  it('treats production as closed by default, each part reopenable', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).gateway).toMatchObject({ graphiql: false, introspection: false });
    expect(loadConfig({ NODE_ENV: 'production', GRAPHIQL: 'true' }).gateway.graphiql).toBe(true);
  });

  it('refuses keys that contradict the mode', () => {
    expect(problems({ NCORE_API_KEY: 'k' })[0]).toMatch(/NCORE_API_KEY is set but NCORE_BASE_URL is not/);
    expect(problems({ ...REAL, GATEWAY_AUTH: 'forward' })[0]).toMatch(/must not be set with GATEWAY_AUTH=forward/);
    expect(problems({ ...REAL, GATEWAY_AUTH: 'bearer' })[0]).toMatch(/GATEWAY_TOKENS must list/);
  });

  it('freezes what it returns, nested objects too', () => {
    const config = loadConfig(REAL);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.gateway.ncore)).toBe(true);
    expect(Object.isFrozen(config.gateway.limits)).toBe(true);
  });

  it('trims a trailing slash from the base URL', () => {
    expect(loadConfig({ ...REAL, NCORE_BASE_URL: 'https://sandbox.example/v1//' }).gateway.ncore.baseUrl).toBe(
      'https://sandbox.example/v1',
    );
  });

  it('reads TRACE_PROPAGATION with or without tracing: traceparent by default, none or trusted, nothing else', () => {
    expect(loadConfig(REAL).gateway.ncore.tracePropagation).toBe('traceparent');
    const traced = { ...REAL, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(loadConfig(traced).process.tracing?.propagation).toBe('traceparent');
    for (const mode of ['none', 'traceparent', 'trusted'] as const) {
      const config = loadConfig({ ...traced, TRACE_PROPAGATION: mode });
      expect(config.gateway.ncore.tracePropagation).toBe(mode);
      expect(config.process.tracing?.propagation).toBe(mode);
    }
    expect(problems({ ...REAL, TRACE_PROPAGATION: 'all' })).toEqual([
      'TRACE_PROPAGATION must be one of none, traceparent, trusted (got "all")',
    ]);
  });

  it('refuses a webhook password a guesser could reach, without echoing it', () => {
    const webhook = (password: string) =>
      problems({ ...REAL, NCORE_WEBHOOK_USERNAME: 'ncore', NCORE_WEBHOOK_PASSWORD: password });
    const refused = [
      'Short-pass-1!', // 3 classes, 13 characters
      'alllowercaseandsymbols-here!', // 28 characters, 2 classes
      '0123456789012345678901234567890', // 31 digits
      'Aa1!Aa1!Aa1!Aa1!Aa1!', // 4 classes, 4 different characters
      'a'.repeat(40),
    ];
    for (const password of refused) {
      const found = webhook(password);
      expect(found, password).toHaveLength(1);
      expect(found[0]).toMatch(/^NCORE_WEBHOOK_PASSWORD must be at least 16 characters mixing 3 of .*or at least 32/);
      expect(found[0]).not.toContain(password);
    }
    const accepted = [
      'Sixteen-chars-ok',
      'lower-and-digits-0123456',
      'kq7vz3xw9tm2ph5rjc8ndb4lfg6sy1ea',
      'A-webhook-password-for-tests',
    ];
    for (const password of accepted) expect(webhook(password), password).toEqual([]);
    expect(
      loadConfig({ ...REAL, NCORE_WEBHOOK_USERNAME: 'n', NCORE_WEBHOOK_PASSWORD: 'Sixteen-chars-ok' }).gateway.events
        .webhook,
    ).toEqual({
      username: 'n',
      password: 'Sixteen-chars-ok',
      proxyHops: 0,
    });
  });

  it('reads WEBHOOK_PROXY_HOPS only beside webhook credentials', () => {
    const pair = { NCORE_WEBHOOK_USERNAME: 'ncore', NCORE_WEBHOOK_PASSWORD: 'A-webhook-password-for-tests' };
    expect(loadConfig({ ...REAL, ...pair, WEBHOOK_PROXY_HOPS: '2' }).gateway.events.webhook?.proxyHops).toBe(2);
    expect(problems({ ...REAL, ...pair, WEBHOOK_PROXY_HOPS: '11' })).toEqual([
      'WEBHOOK_PROXY_HOPS must be a whole number from 0 to 10 (got "11")',
    ]);
    expect(problems({ ...REAL, WEBHOOK_PROXY_HOPS: '1' })).toEqual([
      'WEBHOOK_PROXY_HOPS applies only with NCORE_WEBHOOK_USERNAME and NCORE_WEBHOOK_PASSWORD',
    ]);
  });
});
