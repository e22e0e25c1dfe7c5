import type { Context as TraceContext } from '@opentelemetry/api';
import type { YogaInitialContext } from 'graphql-yoga';
import type { EventHub } from './events/hub.ts';
import { createLoaders, type Loaders } from './loaders.ts';
import { NcoreClient } from './ncore/client.ts';
import type { Upstream } from './ncore/http.ts';

/** Who is calling, as far as the gateway needs to know: the subject for logs, the key for nCore. */
export interface Caller {
  /** A token's subject, or undefined for anonymous callers and shared tokens. */
  readonly subject: string | undefined;
  /** The nCore key this caller's upstream calls carry. */
  readonly apiKey: string;
  /**
   * Names this caller, stably and opaquely (a digest): the nCore key plus the JWT's subject, or the bearer
   * token. What the caller scopes (its idempotency keys) is scoped by this, so two callers never share it.
   */
  readonly id: string;
}

/** One operation's time limit: every nCore call and retry it makes stops when it passes. */
export interface Deadline {
  /** When it passes (epoch ms): no call starts and no retry waits beyond it. */
  readonly at: number;
  /** Aborts when it passes, wherever the operation's calls are (on a socket or still queued for one). */
  readonly signal: AbortSignal;
}

/** What the gateway adds to Yoga's context for each operation. */
export interface RequestContext {
  /** Who is calling, already authenticated (plugins/auth.ts). */
  readonly caller: Caller;
  /** When the operation must be done (plugins/deadline.ts). */
  readonly deadline: Deadline;
  /** nCore under this caller's key, this operation's deadline and its call budget. */
  readonly ncore: NcoreClient;
  /** This operation's loaders: a cache that lives and dies with it. */
  readonly loaders: Loaders;
  /** Correlates the request's log line with its upstream calls (`x-request-id`; plugins/observability.ts). */
  readonly requestId: string;
  /** W3C trace context to pass on to nCore, when the caller sent a well-formed one. */
  readonly traceparent: string | undefined;
  /** The operation's span context, which its nCore calls are children of, when the process traces (plugins/tracing.ts). */
  readonly trace?: TraceContext;
  /** The process's live-event subscriptions (events/hub.ts). */
  readonly events: EventHub;
}

/** Everything a resolver may touch for one GraphQL operation: Yoga's own context plus the gateway's. */
export type Context = YogaInitialContext & RequestContext;

/** What the plugins before it have put in the context: the caller, the deadline and the request's identity. */
type Built = YogaInitialContext & Pick<RequestContext, 'caller' | 'deadline' | 'requestId' | 'traceparent' | 'trace'>;

/**
 * The context factory: per operation, an nCore client under the caller's key and the operation's deadline,
 * and fresh loaders over it. Per process (passed in): the upstream pool, the live-event hub and the limits.
 */
export function createContext(
  upstream: Upstream,
  events: EventHub,
  limits: { callBudget: number; concurrency: number },
) {
  return ({
    caller,
    deadline,
    requestId,
    traceparent,
    trace,
  }: Built): Pick<RequestContext, 'ncore' | 'loaders' | 'events'> => {
    const scope = {
      apiKey: caller.apiKey,
      signal: deadline.signal,
      deadline: deadline.at,
      requestId,
      traceparent,
      trace,
    };
    const ncore = new NcoreClient(upstream, scope, limits.callBudget);
    return { ncore, loaders: createLoaders(ncore, limits.concurrency), events };
  };
}
