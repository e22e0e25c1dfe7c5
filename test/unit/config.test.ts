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
});
