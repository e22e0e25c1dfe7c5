import { readFileSync } from 'node:fs';
import type { BreakerSettings } from './ncore/breaker.ts';

/**
 * The gateway's settings: read once from the environment, validated, frozen and passed in. This is the
 * only module that knows environment variable names; nothing else reads `process.env`.
 */

export type AuthMode = 'none' | 'bearer' | 'jwt' | 'forward';

/** Every setting: the process's (main.ts, serve.ts) and the gateway's (createGateway). */
export interface Config {
  readonly process: ProcessConfig;
  readonly gateway: GatewayConfig;
}

/** How the process runs: where it listens, how many workers, how it stops, what it logs. */
export interface ProcessConfig {
  /** Port the gateway listens on. */
  readonly port: number;
  /** Interface the gateway binds. */
  readonly host: string;
  /** pino level of the gateway's log lines. */
  readonly logLevel: string;
  /** Processes serving the port through node:cluster; 1 serves from this process alone. */
  readonly workers: number;
  /** How long in-flight operations may run on after SIGTERM before their connections are closed. */
  readonly shutdownTimeoutMs: number;
  /** A client that has not sent a request's headers within this is answered 408 and cut. */
  readonly headersTimeoutMs: number;
  /** A client that has not sent a whole request, body included, within this is answered 408 and cut. */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this (and the second of grace Node adds). */
  readonly keepAliveTimeoutMs: number;
  /** Open client connections per process; beyond it a new connection is answered 503 and closed. */
  readonly maxConnections: number;
  /** Latency the embedded simulator adds to every call, to make the demo feel like a real network. */
  readonly simulatorLatencyMs: number;
  /**
   * An embedded simulator that a cluster primary already started, passed to its workers so that all of them
   * share one set of demo data. Set by the gateway itself, never by hand.
   */
  readonly embeddedNcore: { readonly url: string; readonly apiKey: string } | undefined;
  /** OpenTelemetry traces, on when an OTLP endpoint is set; undefined when off (then nothing is loaded). */
  readonly tracing: TracingConfig | undefined;
}

/**
 * The gateway's view of the standard OpenTelemetry variables. The SDK reads them itself (that is their
 * contract, and it covers the ones not named here: headers, timeouts, `OTEL_BSP_*`, `OTEL_RESOURCE_ATTRIBUTES`);
 * they are checked here so that a typo stops the start like any other setting instead of falling back quietly.
 */
export interface TracingConfig {
  /** `OTEL_SERVICE_NAME`, or the gateway's own name. */
  readonly serviceName: string;
  /** `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL` or `OTEL_EXPORTER_OTLP_PROTOCOL`; the SDK's default is http/protobuf. */
  readonly protocol: (typeof OTLP_PROTOCOLS)[number];
}

/** What one gateway serves and how: its upstream, its limits, its callers. */
export interface GatewayConfig {
  /** `NODE_ENV=production`: GraphiQL, introspection and suggestions off unless enabled. */
  readonly production: boolean;
  readonly graphiql: boolean;
  readonly introspection: boolean;
  /** Serve Prometheus metrics at `/metrics`. */
  readonly metrics: boolean;
  /** Also serve as a Federation v2 subgraph: `User @key(fields: "id")`, `_entities`, `_service`. */
  readonly federation: boolean;
  /** Trusted-documents mode: only these operations (document id -> document) may run; undefined allows any. */
  readonly trustedDocuments: ReadonlyMap<string, string> | undefined;
  /** Browser origins allowed to read answers cross-origin (exact `scheme://host[:port]`); empty sends no CORS headers. */
  readonly corsOrigins: readonly string[];
  readonly ncore: {
    /** nCore base URL ending in the version (`https://host/v1`); undefined runs the embedded simulator. */
    readonly baseUrl: string | undefined;
    /** The tenant key sent as `apikey`; undefined in `forward` auth mode, where callers bring their own. */
    readonly apiKey: string | undefined;
    /** Keep-alive connections in the process-wide pool. */
    readonly connections: number;
    /** Limit for one upstream call: for its answer to start, and for any pause in its body. */
    readonly callTimeoutMs: number;
    /** Most upstream calls one batch of one request runs at once. */
    readonly concurrency: number;
    /** Retries after the first attempt, for calls that are safe to repeat. */
    readonly maxRetries: number;
    /** How the circuit breaker judges nCore's health (one per tenant key in `forward` mode). */
    readonly breaker: BreakerSettings;
  };
  /** Limit for a whole GraphQL operation, every upstream call and retry included. */
  readonly operationTimeoutMs: number;
  /** Most nCore calls one operation may make. */
  readonly callBudget: number;
  readonly limits: {
    readonly maxDepth: number;
    readonly maxAliases: number;
    readonly maxTokens: number;
    readonly maxCost: number;
  };
  readonly auth: {
    readonly mode: AuthMode;
    readonly tokens: readonly string[];
    readonly jwtSecret: string | undefined;
    readonly jwksUrl: string | undefined;
    readonly jwtIssuer: string | undefined;
    readonly jwtAudience: string | undefined;
    /** Oldest a JWT may be, by its `iat`, in seconds; undefined leaves the age to `exp` alone. */
    readonly jwtMaxAgeSeconds: number | undefined;
  };
  /** Live user events: nCore's webhooks in, GraphQL subscriptions out (src/events/). */
  readonly events: EventsConfig;
}

/** The webhook receiver, the event bus shared by instances, and the subscriptions' limits. */
export interface EventsConfig {
  /** The Basic Auth credentials nCore's webhook is registered with; undefined turns the receiver (and subscriptions) off. */
  readonly webhook: { readonly username: string; readonly password: string } | undefined;
  /** Redis shared by every instance for fan-out and de-duplication; undefined keeps both in this process (or cluster). */
  readonly redisUrl: string | undefined;
  /** How long an event token is remembered, so that a retried delivery is dropped. */
  readonly dedupTtlMs: number;
  /** Most subscriptions one WebSocket connection may hold. */
  readonly maxPerConnection: number;
  /** Most subscriptions open in this process, over every transport. */
  readonly maxSubscriptions: number;
  /** Events one subscription may fall behind before it is ended as a slow consumer. */
  readonly bufferSize: number;
  /** `forward` mode only: every caller's key belongs to the one tenant whose webhooks arrive here. */
  readonly singleTenant: boolean;
}

/** A setting that is missing or malformed; `problems` has one line each. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Reads and validates every setting at once; throws a ConfigError listing every problem. */
export function loadConfig(env: Env): Config {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name]?.trim().toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    problems.push(`${name} must be true or false (got "${env[name]}")`);
    return fallback;
  };
  const text = (name: string): string | undefined => env[name]?.trim() || undefined;
  const oneOf = (name: string, values: string[], fallback: string): string => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    if (values.includes(raw)) return raw;
    problems.push(`${name} must be one of ${values.join(', ')} (got "${raw}")`);
    return fallback;
  };

  const production = env['NODE_ENV'] === 'production';
  const url = (name: string): string | undefined => {
    const raw = text(name);
    if (raw === undefined) return undefined;
    // The value is not echoed: a URL can carry credentials.
    if (!isHttpUrl(raw)) problems.push(`${name} must be an http(s) URL without a query or fragment`);
    return raw.replace(/\/+$/, '');
  };
  const baseUrl = url('NCORE_BASE_URL');

  const rawMode = text('GATEWAY_AUTH');
  const modes: AuthMode[] = ['none', 'bearer', 'jwt', 'forward'];
  let mode: AuthMode = 'none';
  if (rawMode !== undefined && !modes.includes(rawMode as AuthMode)) {
    problems.push(`GATEWAY_AUTH must be one of ${modes.join(', ')} (got "${rawMode}")`);
  } else if (rawMode !== undefined) {
    mode = rawMode as AuthMode;
  } else if (baseUrl !== undefined) {
    problems.push(
      'GATEWAY_AUTH must be set explicitly (none, bearer, jwt or forward) when NCORE_BASE_URL points at a real nCore',
    );
  }

  const apiKey = text('NCORE_API_KEY');
  if (baseUrl !== undefined && mode !== 'forward' && apiKey === undefined) {
    problems.push('NCORE_API_KEY is required with NCORE_BASE_URL (unless GATEWAY_AUTH=forward)');
  }
  if (baseUrl === undefined && apiKey !== undefined) {
    problems.push(
      'NCORE_API_KEY is set but NCORE_BASE_URL is not: the embedded simulator has its own key; set NCORE_BASE_URL to call a real nCore',
    );
  }
  if (mode === 'forward' && apiKey !== undefined) {
    problems.push('NCORE_API_KEY must not be set with GATEWAY_AUTH=forward: callers bring their own key');
  }

  const tokens = (text('GATEWAY_TOKENS') ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (mode === 'bearer' && tokens.length === 0)
    problems.push('GATEWAY_TOKENS must list at least one token with GATEWAY_AUTH=bearer');
  const jwtSecret = text('JWT_SECRET');
  const jwksUrl = url('JWT_JWKS_URL');
  const jwtIssuer = text('JWT_ISSUER');
  const jwtAudience = text('JWT_AUDIENCE');
  if (mode === 'jwt') {
    if ((jwtSecret === undefined) === (jwksUrl === undefined))
      problems.push('GATEWAY_AUTH=jwt needs exactly one of JWT_SECRET and JWT_JWKS_URL');
    if (jwtSecret !== undefined && jwtSecret.length < 32) problems.push('JWT_SECRET must be at least 32 characters');
    if (jwtIssuer === undefined) problems.push('JWT_ISSUER is required with GATEWAY_AUTH=jwt');
    if (jwtAudience === undefined) problems.push('JWT_AUDIENCE is required with GATEWAY_AUTH=jwt');
  }

  if (text('BREAKER_THRESHOLD') !== undefined) {
    problems.push(
      'BREAKER_THRESHOLD is no longer read: the breaker opens on a failure rate, set BREAKER_MIN_CALLS and BREAKER_FAILURE_RATE (percent) instead',
    );
  }

  const jwtMaxAge = text('JWT_MAX_AGE') === undefined ? undefined : int('JWT_MAX_AGE', 0, 1, 31 * 24 * 3600);

  const corsOrigins = (text('CORS_ORIGINS') ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of corsOrigins) {
    if (!isExactOrigin(origin))
      problems.push(
        `CORS_ORIGINS must list exact origins such as https://app.example.com (no path, no trailing slash, no *); got "${origin}"`,
      );
  }

  const events = eventsConfig({ text, int, bool, problems, mode });

  const trustedPath = text('TRUSTED_DOCUMENTS');
  const trustedDocuments = trustedPath === undefined ? undefined : readManifest(trustedPath, problems);

  const processConfig: ProcessConfig = {
    port: int('PORT', 4000, 0, 65535),
    host: text('HOST') ?? '127.0.0.1',
    logLevel: oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    workers: int('WORKERS', 1, 1, 64),
    shutdownTimeoutMs: int('SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    headersTimeoutMs: int('HEADERS_TIMEOUT_MS', 10_000, 1, 600_000),
    requestTimeoutMs: int('REQUEST_TIMEOUT_MS', 30_000, 1, 3_600_000),
    // Longer than a load balancer's idle timeout (60 s on the common ones), so it never reuses a closing socket.
    keepAliveTimeoutMs: int('KEEP_ALIVE_TIMEOUT_MS', 65_000, 1, 3_600_000),
    maxConnections: int('MAX_CONNECTIONS', 10_000, 1, 1_000_000),
    simulatorLatencyMs: int('SIMULATOR_LATENCY_MS', 0, 0, 60_000),
    embeddedNcore: embedded(env),
    tracing: tracingConfig(env, problems),
  };
  const gateway: GatewayConfig = {
    production,
    graphiql: bool('GRAPHIQL', !production),
    introspection: bool('INTROSPECTION', !production),
    metrics: bool('METRICS', true),
    federation: bool('FEDERATION', false),
    trustedDocuments,
    corsOrigins,
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
    },
    operationTimeoutMs: int('OPERATION_TIMEOUT_MS', 30_000, 1, 600_000),
    callBudget: int('UPSTREAM_CALL_BUDGET', 250, 1, 100_000),
    limits: {
      maxDepth: int('MAX_DEPTH', 16, 1, 100),
      maxAliases: int('MAX_ALIASES', 30, 1, 1000),
      maxTokens: int('MAX_TOKENS', 2000, 10, 100_000),
      maxCost: int('MAX_COST', 5_000_000, 1, Number.MAX_SAFE_INTEGER),
    },
    auth: { mode, tokens, jwtSecret, jwksUrl, jwtIssuer, jwtAudience, jwtMaxAgeSeconds: jwtMaxAge },
    events,
  };
  if (processConfig.requestTimeoutMs < processConfig.headersTimeoutMs)
    problems.push('REQUEST_TIMEOUT_MS must be at least HEADERS_TIMEOUT_MS: the headers are part of the request');
  if (problems.length) throw new ConfigError(problems);
  return deepFreeze({ process: processConfig, gateway });
}

interface Readers {
  text(name: string): string | undefined;
  int(name: string, fallback: number, min: number, max: number): number;
  bool(name: string, fallback: boolean): boolean;
  problems: string[];
  mode: AuthMode;
}

function eventsConfig({ text, int, bool, problems, mode }: Readers): EventsConfig {
  const username = text('NCORE_WEBHOOK_USERNAME');
  const password = text('NCORE_WEBHOOK_PASSWORD');
  if ((username === undefined) !== (password === undefined))
    problems.push('NCORE_WEBHOOK_USERNAME and NCORE_WEBHOOK_PASSWORD must be set together (or neither)');
  if (username?.includes(':'))
    problems.push('NCORE_WEBHOOK_USERNAME must not contain ":" (Basic Auth separates with it)');
  if (password !== undefined && password.length < 16)
    problems.push('NCORE_WEBHOOK_PASSWORD must be at least 16 characters');
  const redisUrl = text('REDIS_URL');
  // The value is not echoed: it may carry a password.
  if (redisUrl !== undefined && !/^rediss?:\/\/[^\s]+$/.test(redisUrl))
    problems.push('REDIS_URL must be a redis:// or rediss:// URL');
  const singleTenant = bool('FORWARD_SINGLE_TENANT', false);
  if (singleTenant && mode !== 'forward') problems.push('FORWARD_SINGLE_TENANT only applies with GATEWAY_AUTH=forward');
  return {
    webhook: username !== undefined && password !== undefined ? { username, password } : undefined,
    redisUrl,
    dedupTtlMs: int('WEBHOOK_DEDUP_TTL_MS', 86_400_000, 1_000, 30 * 86_400_000),
    maxPerConnection: int('MAX_SUBSCRIPTIONS_PER_CONNECTION', 20, 1, 1_000),
    maxSubscriptions: int('MAX_SUBSCRIPTIONS', 10_000, 1, 1_000_000),
    bufferSize: int('SUBSCRIPTION_BUFFER', 100, 1, 10_000),
    singleTenant,
  };
}

function isHttpUrl(raw: string): boolean {
  try {
    const parsed = new URL(raw);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.search === '' && parsed.hash === '';
  } catch {
    return false;
  }
}

/**
 * `https://app.example.com` as a browser sends it in `Origin`: a scheme, a host and maybe a port, nothing else.
 * Anything else (a path, a trailing slash, `*`, `null`) could never match exactly, or would match too much.
 */
function isExactOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

function embedded(env: Env): ProcessConfig['embeddedNcore'] {
  const url = env[EMBEDDED_URL];
  const apiKey = env[EMBEDDED_KEY];
  return url && apiKey ? { url, apiKey } : undefined;
}

const OTLP_PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'] as const;
const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];

/** Tracing is on when an OTLP endpoint is set, unless the SDK or its trace exporter is switched off. */
function tracingConfig(env: Env, problems: string[]): TracingConfig | undefined {
  const text = (name: string): string | undefined => env[name]?.trim() || undefined;
  const endpoints = ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_ENDPOINT'].filter((n) => text(n));
  for (const name of endpoints) {
    // The value is not echoed: a collector URL can carry credentials.
    if (!/^https?:$/.test(safeUrl(text(name)!)?.protocol ?? '')) problems.push(`${name} must be an http(s) URL`);
  }
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

function safeUrl(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

/** How a cluster primary hands its embedded simulator to its workers. */
export const EMBEDDED_URL = 'GATEWAY_EMBEDDED_NCORE_URL';
export const EMBEDDED_KEY = 'GATEWAY_EMBEDDED_NCORE_KEY';

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

function deepFreeze<T extends object>(value: T): T {
  if (value instanceof Map) return value;
  for (const child of Object.values(value)) if (typeof child === 'object' && child !== null) deepFreeze(child);
  return Object.freeze(value);
}
