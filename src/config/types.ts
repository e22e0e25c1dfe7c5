import type { BreakerSettings } from '../ncore/breaker.ts';
import type { TracePropagation } from '../ncore/http.ts';

export type { TracePropagation };

/** The shape of every setting, as loadConfig (index.ts) returns it: read once, validated, frozen. */

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
  /** After SIGTERM, how long the instance keeps accepting and serving (with `/ready` 503) before it stops accepting. */
  readonly shutdownDelayMs: number;
  /** A client that has not sent a request's headers within this is answered 408 and cut. */
  readonly headersTimeoutMs: number;
  /** A client that has not sent a whole request, body included, within this is answered 408 and cut. */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this (and the second of grace Node adds). */
  readonly keepAliveTimeoutMs: number;
  /** Open client connections per process; beyond it a new connection is answered 503 and closed. */
  readonly maxConnections: number;
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
  readonly protocol: 'http/protobuf' | 'http/json' | 'grpc';
  /**
   * `TRACE_PROPAGATION`: what a caller's trace context may decide (`traceparent` by default). Short of `trusted`
   * the gateway reads only a caller's trace id and parent, samples by its own decision, and ignores `OTEL_PROPAGATORS`.
   */
  readonly propagation: TracePropagation;
  /** `OTEL_TRACES_SAMPLER`, the SDK's default `parentbased_always_on` when unset. */
  readonly sampler: TraceSampler;
  /** `OTEL_TRACES_SAMPLER_ARG` for the ratio samplers; 1 when unset, as the SDK reads it. */
  readonly samplerRatio: number;
  /**
   * `TRACE_PHASES`: whether each operation also gets `graphql.parse`, `graphql.validate` and `graphql.execute`
   * spans. Off by default: with the document caches they measure microseconds, and they were most of the spans
   * (and so of tracing's cost) of a simple read.
   */
  readonly phases: boolean;
}

/** The standard `OTEL_TRACES_SAMPLER` values. */
export type TraceSampler =
  | 'always_on'
  | 'always_off'
  | 'traceidratio'
  | 'parentbased_always_on'
  | 'parentbased_always_off'
  | 'parentbased_traceidratio';

/** What one gateway serves and how: its upstream, its limits, its callers. */
export interface GatewayConfig {
  /** `NODE_ENV=production`: GraphiQL, introspection and suggestions off unless enabled. */
  readonly production: boolean;
  readonly graphiql: boolean;
  /** A user id GraphiQL's example queries start from; without one they start from the newest users. */
  readonly graphiqlExampleUserId: string | undefined;
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
    /** `TRACE_PROPAGATION` for the calls themselves: what of a caller's trace context nCore is sent. */
    readonly tracePropagation: TracePropagation;
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
  /** The cross-request cache of users and children pages (src/cache/). */
  readonly cache: CacheConfig;
  /** Each tenant's nCore call rate, across instances (src/ncore/governor.ts); undefined: calls go as they come. */
  readonly governor: GovernorConfig | undefined;
}

/** The per-tenant call governor: `NCORE_RATE_LIMIT`, `NCORE_RATE_BURST`, `NCORE_RATE_INSTANCES`. */
export interface GovernorConfig {
  /** Calls per second for one tenant (one nCore key), across every instance. */
  readonly perSecond: number;
  /** Calls that may go at once after a quiet spell; the rate holds beyond them. */
  readonly burst: number;
  /** Processes sharing the rate when Redis cannot (unset or away): each keeps this share, or the share Redis last counted. */
  readonly instances: number;
}

/** The cross-request cache: how long an entry is served, and how much this process holds. */
export interface CacheConfig {
  /**
   * `CACHE_TTL_MS`: the oldest an entry may be when it is served, counted from when its read began: the bound on a
   * change nobody reports (a profile edit made outside the gateway). 0 turns the cache off.
   */
  readonly ttlMs: number;
  /** Most entries this process holds (users and children pages). */
  readonly maxEntries: number;
  /** Most bytes of JSON this process holds, entries counted as nCore sent them. */
  readonly maxBytes: number;
}

/** The webhook receiver, the event bus shared by instances, and the subscriptions' limits. */
export interface EventsConfig {
  /** The Basic Auth credentials nCore's webhook is registered with; undefined turns the receiver (and subscriptions) off. */
  readonly webhook:
    | {
        readonly username: string;
        readonly password: string;
        /**
         * `WEBHOOK_PROXY_HOPS`: reverse proxies in front of the gateway (and the only way to it), each appending to
         * `X-Forwarded-For`; failed logins are throttled by the entry the outermost one added. 0: the peer's address.
         */
        readonly proxyHops?: number;
      }
    | undefined;
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
