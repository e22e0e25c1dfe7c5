import { setMaxListeners } from 'node:events';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { usePrometheus } from '@graphql-yoga/plugin-prometheus';
import { createYoga, maskError, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import pino, { type Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createAuthenticator } from './auth.ts';
import type { Config } from './config.ts';
import type { RequestContext } from './context.ts';
import { exampleQuery } from './exampleQuery.ts';
import { createLoaders } from './loaders.ts';
import { createUpstreamMetrics } from './metrics.ts';
import { NcoreClient } from './ncore/client.ts';
import { Upstream } from './ncore/http.ts';
import { useCallBudget } from './plugins/callBudget.ts';
import { useLimits } from './plugins/limits.ts';
import { requestInfo, useObservability } from './plugins/observability.ts';
import { useReadiness } from './plugins/readiness.ts';
import { useRequestGuard } from './plugins/requestGuard.ts';
import { useScrubbedErrors } from './plugins/scrubErrors.ts';
import { useTrustedDocuments } from './plugins/trustedDocuments.ts';
import { createSchema } from './schema/index.ts';

/** What the gateway is built from besides its settings. */
export interface GatewayDeps {
  /** Base URL of the nCore to call when the config names none (the embedded simulator). */
  ncoreBaseUrl?: string;
  /** Its key, likewise. */
  ncoreApiKey?: string;
  /** A user id for GraphiQL's example query; without one the example starts from the newest users. */
  exampleUserId?: string;
  /** Where log lines go; silent by default, so tests and embedders choose. */
  logger?: Logger;
  /** Also export the process's own metrics (memory, event loop, GC); for the one gateway a process serves. */
  processMetrics?: boolean;
}

/** The Yoga instance plus what the process must close when it stops. */
export type Gateway = YogaServerInstance<Record<string, unknown>, RequestContext> & {
  upstream: Upstream;
  /** The Prometheus registry behind `/metrics`. */
  registry: Registry;
  /** Closes the nCore pool, waiting for calls under way unless `force`. */
  close(force?: boolean): Promise<void>;
};

/**
 * Builds the gateway: schema, upstream pool and authenticator once per process, a fresh context per
 * request. No side effects: it listens nowhere (main.ts does), so tests call `gateway.fetch` directly.
 */
export function createGateway(config: Config, deps: GatewayDeps = {}): Gateway {
  const baseUrl = config.ncore.baseUrl ?? deps.ncoreBaseUrl;
  if (!baseUrl) throw new Error('createGateway needs an nCore base URL (config.ncore.baseUrl or deps.ncoreBaseUrl)');
  const logger = deps.logger ?? pino({ level: 'silent' });
  const apiKey = config.ncore.apiKey ?? deps.ncoreApiKey;
  const registry = new Registry();
  // Process metrics watch the event loop for the process's life, so only the process's own gateway has them.
  if (deps.processMetrics) collectDefaultMetrics({ register: registry });
  const metrics = createUpstreamMetrics(registry, () => upstream.breaker);
  const upstream: Upstream = new Upstream({
    ...config.ncore,
    baseUrl,
    onCall: (event) => {
      metrics.record(event);
      logger.debug(
        {
          route: event.route,
          status: event.status,
          code: event.code,
          durationMs: event.durationMs,
          attempt: event.attempt,
        },
        'ncore call',
      );
    },
  });
  const authenticate = createAuthenticator(config.auth, apiKey);

  // Order matters: health and metrics answer before anything else (and without credentials, for probes and
  // scrapers); errors are scrubbed before they are logged; requests are guarded before they are parsed.
  const plugins: Plugin[] = [
    useReadiness(upstream, config.auth.mode === 'forward' ? undefined : apiKey),
    usePrometheus({
      registry,
      endpoint: config.metrics ? '/metrics' : false,
      // Labels hold only what the schema or the trusted-documents manifest bounds. Not the URL (a GET
      // operation's URL holds its variables), nor a path (aliases are free text), nor, unless documents are
      // trusted, the operation name: any caller could otherwise mint new series without end.
      labels: { url: false, path: false, operationName: config.trustedDocuments !== undefined },
      // Per-phase histograms and the deprecated-field counter (which walks every document) cost more than
      // they tell here: operations, their duration, errors and HTTP timings stay.
      metrics: {
        graphql_envelop_request_time_summary: false,
        graphql_envelop_deprecated_field: false,
        graphql_envelop_phase_parse: false,
        graphql_envelop_phase_validate: false,
        graphql_envelop_phase_context: false,
        graphql_envelop_schema_change: false,
      },
    }),
    useScrubbedErrors(),
    useObservability(logger) as Plugin,
    useRequestGuard(),
    useLimits(config),
    useCallBudget(),
  ];
  if (config.trustedDocuments) plugins.push(useTrustedDocuments(config.trustedDocuments));
  if (!config.introspection) plugins.push(useDisableIntrospection());

  const yoga = createYoga<Record<string, unknown>, RequestContext>({
    schema: createSchema(),
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    logging: false,
    maskedErrors: {
      // A bug reaches the client as INTERNAL_SERVER_ERROR and the log with where it happened. Only the
      // stack's frames are logged, not its message, which may quote data (a parse error quotes its input).
      maskError(error, message, isDev) {
        const masked = maskError(error, message, isDev);
        if (masked !== error) {
          const original = (error as { originalError?: unknown }).originalError ?? error;
          const frames =
            original instanceof Error
              ? (original.stack ?? '')
                  .split('\n')
                  .slice(1, 8)
                  .map((f) => f.trim())
              : [];
          logger.error(
            { error: original instanceof Error ? original.name : typeof original, frames },
            'unexpected error',
          );
        }
        return masked;
      },
    },
    plugins,
    graphiql: config.graphiql ? { title: 'nCore users', defaultQuery: exampleQuery(deps.exampleUserId) } : false,
    // GraphiQL's bundle (scripts and styles, served by the gateway so it works offline) is 9 MB of source:
    // it is loaded on the first page view, so a production gateway with GraphiQL off never holds it.
    renderGraphiQL: async (options) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options),
    context: async ({ request }) => {
      const caller = await authenticate(request);
      const info = requestInfo(request);
      const { id: requestId, traceparent } = info;
      const deadline = Date.now() + config.operationTimeoutMs;
      // The operation's deadline as a signal, so that a call still queued for a pool connection is stopped
      // too (undici's own timers start only once a call is on a socket). Its timer is cleared as soon as the
      // response is out: a timer left to run would hold the request's calls in memory until it fired.
      const deadlineController = new AbortController();
      const timer = setTimeout(
        () => deadlineController.abort(new DOMException('operation deadline', 'TimeoutError')),
        config.operationTimeoutMs,
      );
      timer.unref();
      info.onDone.push(() => clearTimeout(timer));
      // Every call of a wide tree listens on the signal at once; each listener goes when its call ends.
      setMaxListeners(0, deadlineController.signal);
      const scope = { apiKey: caller.apiKey, signal: deadlineController.signal, deadline, requestId, traceparent };
      const ncore = new NcoreClient(upstream, scope, config.callBudget);
      return { caller, ncore, loaders: createLoaders(ncore, config.ncore.concurrency), requestId };
    },
  });
  return Object.assign(yoga, {
    upstream,
    registry,
    close: async (force = false) => {
      await yoga.dispose();
      await upstream.close(force);
    },
  });
}
