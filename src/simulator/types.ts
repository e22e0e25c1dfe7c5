import type { WireUser } from '../contract/types.ts';
import type { Quota } from './quota.ts';

export type { Quota };

/** The operation a request was routed to; `null` in the log for unknown paths and wrong methods. */
export type Route =
  | 'createUser'
  | 'listUsers'
  | 'getUser'
  | 'searchUsers'
  | 'listChildren'
  | 'updateUser'
  | 'registerWebhook'
  | 'listWebhooks'
  | 'openapi';

/** A webhook as registered (`POST /v1/webhooks`). */
export interface WebhookRegistration {
  id: string;
  endpoint: string;
  events: string[];
  config: {
    basic_auth_username?: string;
    basic_auth_password?: string;
    custom_headers?: { header_name: string; header_value: string }[];
  };
  created: string;
  modified: string;
}

/** One event on its way to one webhook: every attempt's status (null when no answer came). */
export interface Delivery {
  webhookId: string;
  event: string;
  eventToken: string;
  attempts: { at: number; status: number | null }[];
  /** A 2xx was taken as the acknowledgement. */
  delivered: boolean;
}

/** How deliveries misbehave: not at all, every event twice, or the first acknowledgement lost (so retried). */
export type WebhookFault = 'none' | 'duplicate' | 'lost-ack';

/** Backoff between delivery attempts: `baseMs` doubling up to `maxMs`, at most `maxAttempts` in all. */
export interface WebhookRetry {
  baseMs: number;
  maxMs: number;
  maxAttempts: number;
}

/** A fixed delay in milliseconds, or one drawn uniformly from `[min, max]` per request. */
export type Latency = number | { min: number; max: number };

/** The body of a `status` fault: the contract's JSON error, nothing, an HTML page, or exact bytes. */
export type FaultBody = 'json' | 'empty' | 'html' | { raw: string; contentType?: string };

/**
 * A deliberate misbehaviour. Without `route` it matches every request; `id` narrows it to the requests for
 * one user (a poison record), `apiKey` to those carrying one key (one tenant failing). With `chance` it
 * takes only that share of the requests it matches, drawn at random, and the others pass on to the next
 * fault. With `times` it affects the next N requests it takes and then expires, otherwise it lasts until
 * cleared. With `afterCommit` the request is carried out first (a create creates, a key is recorded) and
 * only its answer is lost, as when a connection fails on the way back: the case idempotency keys exist for.
 */
export type Fault = {
  route?: Route;
  id?: string;
  apiKey?: string;
  chance?: number;
  times?: number;
  afterCommit?: boolean;
} & (
  | { kind: 'latency'; ms: Latency }
  | { kind: 'status'; status: number; body?: FaultBody; retryAfter?: number | string }
  | { kind: 'malformed' }
  | { kind: 'drop' }
  | { kind: 'hang' }
  | { kind: 'stall' }
  | { kind: 'cut' }
);

/** What the simulator saw of one request, in arrival order. */
export interface LoggedRequest {
  method: string;
  /** The path without the query string, e.g. `/v1/users/<id>`. */
  path: string;
  route: Route | null;
  params: { id?: string };
  query: Record<string, string>;
  /** The parsed JSON body, or `undefined` when there was none or it was not JSON. */
  body: unknown;
  headers: {
    apikey?: string;
    'content-type'?: string;
    'x-nymos-idempotency-key'?: string;
    'x-request-id'?: string;
    traceparent?: string;
    tracestate?: string;
    baggage?: string;
  };
  /** The status sent, filled in when the answer's headers go out; absent for drop and hang. */
  status?: number;
  /** Refused by the key's quota (a 429 `Request Attempt Exceed` with `Retry-After`), not by a fault. */
  overQuota?: true;
  /** `Date.now()` on arrival. */
  at: number;
}

/** Options of {@link createSimulator}. */
export interface SimulatorOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind; default `127.0.0.1`. */
  host?: string;
  /** The key expected in the `apikey` header; default `sim-test-key`. */
  apiKey?: string;
  /** Initial data: the demo hierarchy (default), nothing, or the given users. */
  seed?: 'demo' | 'empty' | WireUser[];
  /** Delay added before every answer. */
  latencyMs?: Latency;
  /** Keep at most this many log entries, dropping the oldest (default: unbounded). */
  requestLogLimit?: number;
  /** Webhook delivery backoff (default: 200 ms doubling to 10 s, 10 attempts). */
  webhookRetry?: WebhookRetry;
  /** nCore's per-key quota: calls over it get 429 with `Retry-After` (default: none). */
  quota?: Quota;
}

/** A running simulator: its address, its data, its request log and its fault switchboard. */
export interface Simulator {
  /** Base URL ending in `/v1`, e.g. `http://127.0.0.1:41234/v1`. */
  url: string;
  apiKey: string;
  /** Append-only log of every request that arrived, including faulted and rejected ones. */
  requests: LoggedRequest[];
  clearRequests(): void;
  /** Back to the seed data; clears the log, the faults and the idempotency records; the quota's buckets refill. */
  reset(): void;
  /**
   * Sets the per-key quota (undefined: none); buckets start full. `quotaCounts` says what it let through and
   * refused since it was set or the simulator reset.
   */
  setQuota(quota: Quota | undefined): void;
  readonly quotaCounts: { readonly admitted: number; readonly refused: number };
  /** Replaces the active faults; the first matching fault wins. */
  setFaults(...faults: Fault[]): void;
  clearFaults(): void;
  /** A copy of the data, newest first. */
  users(): readonly WireUser[];
  getUser(id: string): WireUser | undefined;
  /** Stores a user as given, bypassing every rule (e.g. to plant a parent cycle). */
  insertRaw(user: WireUser): void;
  /** Registered webhooks, their deliveries (attempts and statuses) and the delivery fault. */
  webhooks: {
    readonly registrations: readonly WebhookRegistration[];
    readonly deliveries: readonly Delivery[];
    fault: WebhookFault;
  };
  /** Stops listening and destroys every open connection, hung and stalled ones included. */
  close(): Promise<void>;
}
