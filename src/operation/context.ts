import type { Context as TraceContext } from '@opentelemetry/api';
import type { YogaInitialContext } from 'graphql-yoga';
import type { OperationScope } from './scope.ts';

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
  /**
   * When these credentials stop being accepted (epoch ms): for a JWT, its `exp` plus the clock tolerance HTTP
   * allows (or its maximum age, if sooner); undefined for credentials that do not expire. A WebSocket is closed then.
   */
  readonly expiresAt?: number;
}

/** One operation's time limit: every nCore call and retry it makes stops when it passes. */
export interface Deadline {
  /** When it passes (epoch ms): no call starts and no retry waits beyond it. */
  readonly at: number;
  /** Aborts when it passes, wherever the operation's calls are (on a socket or still queued for one). */
  readonly signal: AbortSignal;
}

/** What the gateway adds to Yoga's context for each operation: its caller, its deadline, its reach into nCore. */
export interface RequestContext extends OperationScope {
  /** Who is calling, already authenticated (plugins/auth.ts). */
  readonly caller: Caller;
  /** When the operation must be done (plugins/deadline.ts). */
  readonly deadline: Deadline;
  /** Correlates the request's log line with its upstream calls (`x-request-id`; plugins/observability.ts). */
  readonly requestId: string;
  /** W3C trace context to pass on to nCore, when the caller sent a well-formed one. */
  readonly traceparent: string | undefined;
  /** The operation's span context, which its nCore calls are children of, when the process traces (plugins/tracing.ts). */
  readonly trace?: TraceContext;
}

/** Everything a resolver may touch for one GraphQL operation: Yoga's own context plus the gateway's. */
export type Context = YogaInitialContext & RequestContext;
