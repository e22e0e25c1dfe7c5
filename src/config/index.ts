import { readFileSync } from 'node:fs';
import { authConfig, corsOrigins } from './auth.ts';
import { cacheConfig } from './cache.ts';
import { eventsConfig } from './events.ts';
import { governorConfig } from './governor.ts';
import { ConfigError, createReaders, deepFreeze, type Env } from './readers.ts';
import { tracePropagation, tracingConfig } from './tracing.ts';
import type { Config, GatewayConfig, ProcessConfig } from './types.ts';

export { type DemoConfig, type EmbeddedNcore, handOver, loadDemoConfig, withEmbeddedNcore } from './demo.ts';
/**
 * The gateway's settings: read once from the environment, validated, frozen and passed in. This folder is the
 * only code that knows environment variable names; nothing else reads `process.env`.
 */
export { ConfigError } from './readers.ts';
export type * from './types.ts';

/** Reads and validates every setting at once; throws a ConfigError listing every problem. */
export function loadConfig(env: Env): Config {
  const problems: string[] = [];
  const r = createReaders(env, problems);
  const { text, int, bool } = r;

  const production = env['NODE_ENV'] === 'production';
  const baseUrl = r.url('NCORE_BASE_URL');
  const { auth, apiKey } = authConfig(r, baseUrl);

  if (text('BREAKER_THRESHOLD') !== undefined) {
    problems.push(
      'BREAKER_THRESHOLD is no longer read: the breaker opens on a failure rate, set BREAKER_MIN_CALLS and BREAKER_FAILURE_RATE (percent) instead',
    );
  }

  const events = eventsConfig(r, auth.mode);
  const propagation = tracePropagation(r);

  const trustedPath = text('TRUSTED_DOCUMENTS');
  const trustedDocuments = trustedPath === undefined ? undefined : readManifest(trustedPath, problems);

  const processConfig: ProcessConfig = {
    port: int('PORT', 4000, 0, 65535),
    host: text('HOST') ?? '127.0.0.1',
    logLevel: r.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    workers: int('WORKERS', 1, 1, 64),
    shutdownTimeoutMs: int('SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    // Load balancers take a few seconds to stop routing to an instance told to stop (Kubernetes endpoints and
    // ingresses, a cloud LB's health checks): it keeps serving that long before it stops accepting.
    shutdownDelayMs: int('SHUTDOWN_DELAY_MS', 5_000, 0, 600_000),
    headersTimeoutMs: int('HEADERS_TIMEOUT_MS', 10_000, 1, 600_000),
    requestTimeoutMs: int('REQUEST_TIMEOUT_MS', 30_000, 1, 3_600_000),
    // Longer than a load balancer's idle timeout (60 s on the common ones), so it never reuses a closing socket.
    keepAliveTimeoutMs: int('KEEP_ALIVE_TIMEOUT_MS', 65_000, 1, 3_600_000),
    maxConnections: int('MAX_CONNECTIONS', 10_000, 1, 1_000_000),
    tracing: tracingConfig(r, propagation, production),
  };
  const gateway: GatewayConfig = {
    production,
    graphiql: bool('GRAPHIQL', !production),
    graphiqlExampleUserId: text('GRAPHIQL_EXAMPLE_USER_ID'),
    introspection: bool('INTROSPECTION', !production),
    metrics: bool('METRICS', true),
    federation: bool('FEDERATION', false),
    trustedDocuments,
    corsOrigins: corsOrigins(r),
    ncore: {
      baseUrl,
      apiKey,
      // Above the fan-out, so one operation's widest round never queues for a connection behind itself.
      connections: int('NCORE_CONNECTIONS', 128, 1, 1024),
      callTimeoutMs: int('NCORE_TIMEOUT_MS', 10_000, 1, 600_000),
      // A full page of children (100, nCore's largest) fans out in one round, not two.
      concurrency: int('NCORE_CONCURRENCY', 100, 1, 256),
      maxRetries: int('NCORE_MAX_RETRIES', 2, 0, 10),
      breaker: {
        minCalls: int('BREAKER_MIN_CALLS', 20, 1, 100_000),
        failureRate: int('BREAKER_FAILURE_RATE', 50, 1, 100) / 100,
        windowMs: int('BREAKER_WINDOW_MS', 10_000, 100, 600_000),
        cooldownMs: int('BREAKER_COOLDOWN_MS', 10_000, 1, 600_000),
        halfOpenProbes: int('BREAKER_HALF_OPEN_PROBES', 3, 1, 100),
      },
      tracePropagation: propagation,
    },
    operationTimeoutMs: int('OPERATION_TIMEOUT_MS', 30_000, 1, 600_000),
    callBudget: int('UPSTREAM_CALL_BUDGET', 250, 1, 100_000),
    limits: {
      maxDepth: int('MAX_DEPTH', 16, 1, 100),
      maxAliases: int('MAX_ALIASES', 30, 1, 1000),
      maxTokens: int('MAX_TOKENS', 2000, 10, 100_000),
      maxCost: int('MAX_COST', 5_000_000, 1, Number.MAX_SAFE_INTEGER),
    },
    auth,
    events,
    cache: cacheConfig(r, baseUrl, events, auth.mode),
    governor: governorConfig(r, processConfig.workers),
  };
  if (processConfig.requestTimeoutMs < processConfig.headersTimeoutMs)
    problems.push('REQUEST_TIMEOUT_MS must be at least HEADERS_TIMEOUT_MS: the headers are part of the request');
  if (problems.length) throw new ConfigError(problems);
  return deepFreeze({ process: processConfig, gateway });
}

/** A persisted-documents manifest as client-preset writes it: `{ "<document id>": "<document>" }`. */
function readManifest(path: string, problems: string[]): ReadonlyMap<string, string> | undefined {
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    problems.push(`TRUSTED_DOCUMENTS must name a readable JSON manifest of persisted documents (got "${path}")`);
    return undefined;
  }
  const entries =
    typeof manifest === 'object' && manifest !== null && !Array.isArray(manifest) ? Object.entries(manifest) : [];
  if (entries.length === 0 || !entries.every(([, document]) => typeof document === 'string')) {
    problems.push(
      `TRUSTED_DOCUMENTS must map document ids to GraphQL documents, as client-preset's persisted-documents.json does (in "${path}")`,
    );
    return undefined;
  }
  return new Map(entries as [string, string][]);
}
