import { useDeferStream } from '@graphql-yoga/plugin-defer-stream';
import type { Tracer } from '@opentelemetry/api';
import { createYoga, type Plugin } from 'graphql-yoga';
import pino, { type Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createUserCache } from './cache/index.ts';
import type { GatewayConfig } from './config/index.ts';
import type { EventHub } from './events/hub.ts';
import { createLiveEvents } from './events/index.ts';
import { useSharedDeliveries } from './events/sharedExecution.ts';
import { Governor } from './ncore/governor.ts';
import { Upstream } from './ncore/http.ts';
import { createGovernorMetrics, createUpstreamMetrics } from './ncore/metrics.ts';
import type { RequestContext } from './operation/context.ts';
import { usePersistedQueries } from './plugins/apq.ts';
import { memoryStore, redisStore } from './plugins/apqStore.ts';
import { createAuthenticator, useAuth } from './plugins/auth.ts';
import { useDeadline } from './plugins/deadline.ts';
import { useDocumentCache } from './plugins/documentCache.ts';
import { useNoIntrospection } from './plugins/introspection.ts';
import { useLimits } from './plugins/limits.ts';
import { useMetrics } from './plugins/metrics.ts';
import { useNoStore } from './plugins/noStore.ts';
import { useObservability } from './plugins/observability.ts';
import { useOperationScope } from './plugins/operationScope.ts';
import { useOneOverBudgetError } from './plugins/overBudget.ts';
import { useReadiness } from './plugins/readiness.ts';
import { maskAndLogBugs, useScrubbedErrors } from './plugins/scrubErrors.ts';
import { useTracing } from './plugins/tracing.ts';
import { useTrustedDocuments } from './plugins/trustedDocuments.ts';
import { commandConnection } from './redis/connection.ts';
import { createSchema } from './schema/index.ts';
import { corsOptions } from './server/cors.ts';
import { graphiqlOptions } from './server/graphiql.ts';
import { useLanding } from './server/landing.ts';
import { useRequestGuard } from './server/requestGuard.ts';
import { useRequestParams } from './server/requestParams.ts';
import type { Servable } from './server/servable.ts';

/** Persisted queries kept per process (each at most a request body, 256 KB), and how long Redis keeps one. */
const APQ_BOUNDS = { maxEntries: 10_000, maxChars: 32 * 1024 * 1024 };
const APQ_TTL_MS = 7 * 24 * 3600 * 1000;

/** What the gateway is built from besides its settings. */
export interface GatewayDeps {
  /** Where log lines go; silent by default, so tests and embedders choose. */
  logger?: Logger;
  /** Also export the process's own metrics (memory, event loop, GC); for the one gateway a process serves. */
  processMetrics?: boolean;
  /** A node:cluster worker: without Redis, live events and their tokens go through the primary. */
  clusterWorker?: boolean;
  /** Traces operations and their nCore calls; the process's SDK provides it (main.ts). Without one, nothing is traced. */
  tracer?: Tracer;
  /** With a tracer, also a span for each operation's parse, validate and execute (`TRACE_PHASES`). */
  tracePhases?: boolean;
}

/** The Yoga instance as the server serves it, plus the process-wide pieces tests and operators look at. */
export type Gateway = Servable & {
  readonly upstream: Upstream;
  /** The process's live-event subscriptions. */
  readonly events: EventHub;
};

/**
 * Builds the gateway from its settings: the process-wide pieces (upstream pool and breaker, schema, metrics
 * registry) and the plugins that make each request's context. Wiring only: every concern lives in its own
 * module, and nothing here listens (serve.ts does), so tests call `gateway.fetch` directly.
 */
export function createGateway(config: GatewayConfig, deps: GatewayDeps = {}): Gateway {
  const { baseUrl, apiKey } = config.ncore;
  if (!baseUrl) throw new Error('createGateway needs an nCore base URL (config.ncore.baseUrl)');
  const logger = deps.logger ?? pino({ level: 'silent' });
  const registry = new Registry();
  // Process metrics watch the event loop for the process's life, so only the process's own gateway has them.
  if (deps.processMetrics && config.metrics) collectDefaultMetrics({ register: registry });
  // With metrics off, nothing is recorded at all.
  const upstreamMetrics = config.metrics ? createUpstreamMetrics(registry, () => upstream.breakers) : undefined;
  // Each tenant's nCore call rate (NCORE_RATE_LIMIT), one bucket for every instance through Redis when there is one.
  const { redisUrl: rateRedisUrl } = config.events;
  const governorMetrics = config.metrics ? createGovernorMetrics(registry, () => governor) : undefined;
  const governor: Governor | undefined =
    config.governor &&
    new Governor(config.governor, {
      redis: rateRedisUrl ? commandConnection(rateRedisUrl, logger, 'rate governor') : undefined,
      observer: governorMetrics,
      onShared: (up, instances) =>
        up
          ? logger.info('ncore rate governor: turns shared through Redis again')
          : logger.warn(
              { instances },
              'ncore rate governor: Redis unreachable, each instance keeps 1/instances of the rate',
            ),
    });
  const upstream: Upstream = new Upstream({
    ...config.ncore,
    baseUrl,
    breakerPerKey: config.auth.mode === 'forward',
    onCall: (event) => {
      upstreamMetrics?.record(event);
      logger.debug(event, 'ncore call');
    },
    onBreaker: (transition) => {
      upstreamMetrics?.transition(transition);
      logger[transition.to === 'open' ? 'warn' : 'info'](transition, 'ncore circuit breaker');
    },
    tracer: deps.tracer,
    governor,
  });

  const events = createLiveEvents(config, { upstream, registry, logger, clusterWorker: deps.clusterWorker });
  const authenticate = createAuthenticator(config.auth, apiKey, logger);
  const maskBug = maskAndLogBugs(logger);
  const drain = { draining: false };
  const { redisUrl } = config.events;
  const apqRedis = redisUrl ? commandConnection(redisUrl, logger, 'persisted queries') : undefined;
  const apqStore = apqRedis ? redisStore(apqRedis, APQ_TTL_MS, APQ_BOUNDS, logger) : memoryStore(APQ_BOUNDS);
  // Users and children pages across operations, kept coherent by the gateway's own writes and nCore's webhooks.
  const cache = createUserCache(
    {
      ...config.cache,
      operationTimeoutMs: config.operationTimeoutMs,
      redisUrl,
      clusterWorker: deps.clusterWorker ?? false,
      apiKey,
      forward: config.auth.mode === 'forward',
      singleTenant: config.events.singleTenant,
    },
    { logger, registry: config.metrics ? registry : undefined },
  );
  const stopHearing = cache && events.listen((event) => cache.heard(event));

  // Order matters: health, readiness and metrics answer before anything else (and without credentials, for
  // probes and scrapers; nCore's webhook, no GraphQL request, answers before the rest); errors are scrubbed
  // before they are logged; requests are guarded and their caller authenticated before they are parsed; the
  // caller and the deadline are in the context before the context that needs them is built.
  const plugins: (Plugin | false)[] = [
    useNoStore({ varyOnOrigin: config.corsOrigins.length > 0 }),
    useReadiness(upstream, config.auth.mode === 'forward' ? undefined : apiKey, drain, events.health),
    useLanding(config.graphiql),
    events.receiver,
    config.metrics && useMetrics(registry, { trustedNames: config.trustedDocuments !== undefined }),
    useScrubbedErrors(maskBug),
    useObservability(logger),
    deps.tracer !== undefined && useTracing(deps.tracer, { phases: deps.tracePhases ?? false }),
    // The strict parameter reader first: the guard then wraps whichever reader was chosen, counting its body.
    useRequestParams(),
    useRequestGuard(),
    usePersistedQueries(apqStore, { trustedDocuments: config.trustedDocuments !== undefined }),
    useAuth(authenticate),
    useLimits(config),
    useDeferStream<Record<never, never>>(),
    useDocumentCache(),
    useOneOverBudgetError(),
    config.trustedDocuments !== undefined && useTrustedDocuments(config.trustedDocuments),
    !config.introspection && useNoIntrospection(),
    useDeadline(config.operationTimeoutMs),
    useOperationScope({ upstream, callBudget: config.callBudget, concurrency: config.ncore.concurrency, cache }),
    useSharedDeliveries(),
  ];

  const yoga = createYoga<Record<string, unknown>, RequestContext>({
    schema: createSchema({ events: events.hub, federation: config.federation }),
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    logging: false,
    maskedErrors: { maskError: maskBug },
    // requestGuard is the one body-size guard; Yoga's own piped every body through a stream of its own.
    maxRequestBodySize: false,
    // plugins/documentCache.ts keeps parsed and validated documents, without Yoga's per-request key of rule names.
    parserAndValidationCache: false,
    plugins: plugins.filter((plugin): plugin is Plugin => plugin !== false),
    ...graphiqlOptions(config.graphiql, config.graphiqlExampleUserId),
    ...corsOptions(config.corsOrigins),
  });
  return Object.assign(yoga, {
    upstream,
    events: events.hub,
    authenticate,
    drain: () => {
      drain.draining = true;
    },
    close: async (force = false) => {
      stopHearing?.();
      cache?.close();
      await events.close();
      apqRedis?.disconnect();
      await governor?.close();
      await yoga.dispose();
      await upstream.close(force);
    },
  });
}
