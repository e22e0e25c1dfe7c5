import { createHash } from 'node:crypto';
import type { Context, Span, Tracer } from '@opentelemetry/api';
import { GraphQLError } from 'graphql';
import { Pool } from 'undici';
import { ErrorCode, errorCode, gatewayError } from '../errors.ts';
import type { BreakerSettings, CircuitBreaker } from './breaker.ts';
import { Breakers, type BreakerTransition } from './breakers.ts';
import { badResponse, errorFromStatus, errorFromTransport } from './errors.ts';
import type { GovernedOperation, Governor } from './governor.ts';
import { backoffMs, isConnectionError, parseRetryAfter, RETRYABLE_STATUSES, sleep } from './retry.ts';
import { send } from './send.ts';
import { endCallSpan, injectCallSpan, startCallSpan } from './spans.ts';

/** The per-request side of a call: whose key, until when, and the ids to propagate. */
export interface CallScope {
  apiKey: string;
  /** Aborts when the operation's deadline passes, wherever its calls are (on a socket or still queued). */
  signal?: AbortSignal;
  /** The operation's deadline (epoch ms): no call runs and no retry waits past it. */
  deadline: number;
  requestId?: string;
  /** The caller's W3C traceparent, passed on (as `tracePropagation` allows) when the gateway traces nothing itself. */
  traceparent?: string;
  /** The operation's trace context: with a tracer, every attempt is a client span under it. */
  trace?: Context;
  /**
   * The key's breaker, found on the scope's first call and kept here: in `forward` mode finding it hashes the
   * key, which a wide tree would otherwise do a hundred times in one operation. (An operation keeps its breaker
   * should the least-recently-used tenants be dropped meanwhile; the next operation finds the new one.)
   */
  breaker?: CircuitBreaker;
  /** The operation's turns of its tenant's call rate (ncore/governor.ts), set on its first call when there is one. */
  turns?: GovernedOperation;
}

/** One upstream call. `route` names the endpoint for logs and metrics, never the URL with its ids. */
export interface CallSpec {
  route: string;
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Whether repeating the call cannot change the outcome (GET, PUT, a read over POST, a keyed create). */
  retrySafe: boolean;
}

/** What every attempt reports, for logs and metrics. Carries no URL, body or key. */
export interface CallEvent {
  route: string;
  status: number | undefined;
  code: string | undefined;
  durationMs: number;
  attempt: number;
}

/**
 * What of a caller's trace context nCore may hear (`TRACE_PROPAGATION`): nothing; its trace id and parent with the
 * gateway's own sampling decision (default); or, from trusted callers only, all of it (flag, tracestate, baggage).
 */
export type TracePropagation = 'none' | 'traceparent' | 'trusted';

export interface UpstreamOptions {
  baseUrl: string;
  connections: number;
  callTimeoutMs: number;
  maxRetries: number;
  breaker: BreakerSettings;
  /** One breaker per caller's key (`forward` mode) rather than one for the process. */
  breakerPerKey?: boolean;
  onCall?: (event: CallEvent) => void;
  onBreaker?: (transition: BreakerTransition) => void;
  /** Traces every attempt of every call made within a traced operation; without one, nothing is traced. */
  tracer?: Tracer;
  /** `traceparent` when unset. */
  tracePropagation?: TracePropagation;
  /** Each tenant's call rate (`NCORE_RATE_LIMIT`): every attempt waits for its turn; without one, calls go at once. */
  governor?: Governor;
}

/**
 * HTTP to nCore: one keep-alive undici Pool for the process, a timeout on every attempt, retries with
 * backoff for calls that are safe to repeat, and circuit breakers (breakers.ts). Every failure leaves here as a
 * GraphQLError with an ErrorCode (mapped in ncore/errors.ts); nothing upstream-specific (URL, body, key) is in it.
 */
export class Upstream {
  readonly breakers: Breakers;
  readonly #pool: Pool;
  readonly #basePath: string;
  readonly #host: string;

  constructor(private readonly options: UpstreamOptions) {
    const url = new URL(options.baseUrl);
    this.#basePath = url.pathname.replace(/\/+$/, '');
    this.#host = url.hostname;
    this.#pool = new Pool(url.origin, {
      connections: options.connections,
      keepAliveTimeout: 30_000,
      connect: { timeout: options.callTimeoutMs },
    });
    this.breakers = new Breakers(options.breaker, {
      perKey: options.breakerPerKey ?? false,
      onTransition: (transition) => {
        try {
          options.onBreaker?.(transition);
        } catch {
          // Observability is best effort.
        }
      },
    });
  }

  /**
   * Sends `spec`, retrying where safe; resolves with the parsed JSON of a 2xx answer. The breaker admits the
   * call once and hears once how it went, however many attempts it took.
   */
  async call(scope: CallScope, spec: CallSpec): Promise<unknown> {
    scope.breaker ??= this.breakers.for(scope.apiKey);
    const breaker = scope.breaker;
    const permit = breaker.admit();
    if (!permit) {
      throw gatewayError(
        ErrorCode.UPSTREAM_UNAVAILABLE,
        'nCore is failing; the gateway is holding calls back for a moment.',
        { circuit: 'open' },
      );
    }
    let health: Health = 'unknown';
    try {
      for (let attempt = 0; ; attempt++) {
        // Every attempt, a retry too, waits for its tenant's turn; one that gets none in time is refused with
        // RATE_LIMITED before anything is sent (the breaker hears nothing of it).
        const turn = this.options.governor?.turn(scope);
        if (turn) await turn;
        const started = performance.now();
        const span =
          this.options.tracer && scope.trace
            ? startCallSpan(this.options.tracer, scope.trace, spec, attempt, this.#host)
            : undefined;
        const outcome = await this.#attempt(scope, spec, span);
        if (span) endCallSpan(span, outcome.status, errorCode(outcome.error));
        if (this.options.governor && outcome.status !== undefined) {
          this.options.governor.answered(performance.now() - started);
          // nCore's quota is lower than the rate, or others share it: the tenant slows down, everywhere.
          if (outcome.status === 429) this.options.governor.throttled(scope, outcome.retryAfterSeconds);
        }
        // An attempt cut short by the caller's deadline says nothing; an earlier attempt's verdict stands.
        if (outcome.health !== 'unknown') health = outcome.health;
        this.#report({
          route: spec.route,
          status: outcome.status,
          code: errorCode(outcome.error),
          durationMs: performance.now() - started,
          attempt,
        });
        if (!outcome.error) return outcome.body;

        // Once other calls have opened the breaker, this one stops retrying too.
        const retryable =
          spec.retrySafe && outcome.retryable && attempt < this.options.maxRetries && breaker.state !== 'open';
        if (!retryable) throw outcome.error;
        const wait = backoffMs(attempt, outcome.retryAfterSeconds);
        if (Date.now() + wait >= scope.deadline) throw outcome.error;
        try {
          await sleep(wait, scope.signal);
        } catch {
          throw outcome.error;
        }
      }
    } finally {
      if (health === 'up') breaker.success(permit);
      else if (health === 'down') breaker.failure(permit, target(spec));
      else breaker.release(permit);
    }
  }

  /** Stops taking calls and closes the pool's connections once their calls are answered; `force` cuts them now. */
  close(force = false): Promise<void> {
    return force ? this.#pool.destroy() : this.#pool.close();
  }

  /** Tells the observer; a failing observer must never break a call (or leave a probe unsettled). */
  #report(event: CallEvent): void {
    try {
      this.options.onCall?.(event);
    } catch {
      // Observability is best effort.
    }
  }

  async #attempt(scope: CallScope, spec: CallSpec, span: Span | undefined): Promise<Outcome> {
    // One limit serves both the call and the operation: the call may take its own timeout or what is left
    // of the operation's, whichever is shorter, enforced by undici's own timers once the call is on a socket;
    // the operation's signal covers the time it may spend queued for one.
    const remaining = scope.deadline - Date.now();
    if (remaining <= 0)
      return { status: undefined, error: errorFromTransport(undefined, true), health: 'unknown', retryable: false };
    const timeout = Math.min(this.options.callTimeoutMs, remaining);
    const headers: Record<string, string> = { apikey: scope.apiKey, accept: 'application/json', ...spec.headers };
    if (scope.requestId) headers['x-request-id'] = scope.requestId;
    const propagation = this.options.tracePropagation ?? 'traceparent';
    if (span && scope.trace) injectCallSpan(span, scope.trace, headers, propagation === 'trusted');
    else if (scope.traceparent && propagation !== 'none')
      headers['traceparent'] = passOn(scope.traceparent, propagation);
    let body: string | undefined;
    if (spec.body !== undefined) {
      body = JSON.stringify(spec.body);
      headers['content-type'] = 'application/json';
    }
    let status: number | undefined;
    try {
      const answer = await send(
        this.#pool,
        {
          method: spec.method,
          path: this.#basePath + spec.path + queryString(spec.query),
          headers,
          body,
          headersTimeout: timeout,
          bodyTimeout: timeout,
        },
        scope.signal,
      );
      status = answer.status;
      // A body cut short is handled below, its status known: nCore answered, so it is not retried as unanswered.
      if (answer.cut !== undefined) throw answer.cut;
      const { text } = answer;
      if (status >= 200 && status < 300)
        return { status, body: parseSuccess(text, answer.contentType), health: 'up', retryable: false };
      const retryAfterSeconds = parseRetryAfter(answer.retryAfter);
      return {
        status,
        error: errorFromStatus(status, parseQuietly(text), retryAfterSeconds),
        health: status >= 500 ? 'down' : 'up',
        retryable: RETRYABLE_STATUSES.has(status),
        retryAfterSeconds,
      };
    } catch (error) {
      // A body the gateway cannot read is a bad answer to this call; nCore did answer, so it is no outage.
      if (error instanceof GraphQLError)
        return { status, error, health: status !== undefined && status >= 500 ? 'down' : 'up', retryable: false };
      // A passed deadline says nothing of nCore's health (the call may never have left the pool's queue).
      // When the deadline bounds the call's own timer, that timer may fire before the operation's signal does.
      const deadlinePassed = scope.signal?.aborted === true || Date.now() >= scope.deadline;
      const connection = status === undefined && !deadlinePassed && isConnectionError(error);
      return {
        status,
        error: errorFromTransport(error, deadlinePassed),
        health: deadlinePassed ? 'unknown' : 'down',
        retryable: connection,
      };
    }
  }
}

/**
 * What an attempt shows of nCore's health: `up` when it answered (any status short of 5xx, even with a body
 * that cannot be read), `down` for a 5xx or no answer in time, `unknown` when the caller's deadline cut it.
 */
type Health = 'up' | 'down' | 'unknown';

interface Outcome {
  status: number | undefined;
  body?: unknown;
  error?: GraphQLError;
  health: Health;
  retryable: boolean;
  retryAfterSeconds?: number;
}

/**
 * A caller's traceparent forwarded by a gateway that records nothing: a trusted caller's as it came; anyone else's
 * with the flags cleared, as nothing here was recorded and a caller's sampled flag must not decide nCore's sampling.
 */
function passOn(traceparent: string, propagation: TracePropagation): string {
  return propagation === 'trusted' ? traceparent : `00-${traceparent.slice(3, 52)}-00`;
}

/** What a call asked for (method, path, query and body), hashed: a request that keeps failing counts once. */
function target(spec: CallSpec): string {
  const hash = createHash('sha256').update(`${spec.method} ${spec.path}${queryString(spec.query)}\n`);
  if (spec.body !== undefined) hash.update(JSON.stringify(spec.body));
  return hash.digest('base64url');
}

function queryString(query: CallSpec['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Anything but whitespace, found without copying the body (as `trim()` would). */
const NOT_BLANK = /\S/;

function parseSuccess(text: string, contentType: string): unknown {
  if (!NOT_BLANK.test(text)) throw badResponse('the body is empty');
  if (!/json/i.test(contentType)) throw badResponse('the body is not JSON');
  try {
    return JSON.parse(text);
  } catch {
    throw badResponse('the body is malformed JSON');
  }
}

function parseQuietly(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
