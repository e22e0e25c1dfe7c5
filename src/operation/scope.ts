import type { UserCache } from '../cache/index.ts';
import { ErrorCode, errorCode } from '../errors.ts';
import { NcoreClient } from '../ncore/client.ts';
import { errorFromTransport } from '../ncore/errors.ts';
import type { CallScope, Upstream } from '../ncore/http.ts';
import { refusedTurn } from '../ncore/turns.ts';
import { createLoaders, type Loaders } from './loaders.ts';

/** What an operation reads nCore through: a client under its key, deadline and budget, and loaders over it. */
export interface OperationScope {
  /** nCore under this operation's key, deadline and call budget. */
  readonly ncore: NcoreClient;
  /** This operation's loaders: a cache that lives and dies with it, in front of the process's own (cache/). */
  readonly loaders: Loaders;
}

/** The process-wide half of every scope: the pool, the bounds each operation gets, and the cache. */
export interface ScopeParts {
  readonly upstream: Upstream;
  /** Most nCore calls one operation (or one event's delivery) may make. */
  readonly callBudget: number;
  /** Most calls one batch of one operation runs at once. */
  readonly concurrency: number;
  /**
   * The process's cache of users and children pages; without it every read goes to nCore (`CACHE_TTL_MS=0`, and
   * each event a subscription delivers, which reads nCore as it always has).
   */
  readonly cache?: UserCache;
}

/** How one operation uses the process's cache. */
export interface ScopeOptions {
  /** Ask nCore for every read and refresh the cache with what it answers (`cache-control: no-cache`). */
  readonly readThrough?: boolean;
}

/**
 * The one place an operation's reach into nCore is made: for a query or mutation (context.ts) and for each
 * event a subscription delivers (events/delivery.ts), so both cost nCore the same.
 */
export function createOperationScope(parts: ScopeParts, call: CallScope, options: ScopeOptions = {}): OperationScope {
  const ncore = new NcoreClient(parts.upstream, call, parts.callBudget);
  const cache = parts.cache?.forOperation({
    apiKey: call.apiKey,
    owner: { signal: call.signal, deadline: call.deadline },
    readThrough: options.readThrough === true,
    // Over its own budget, or refused a turn of the tenant's rate before its own deadline, an operation's call never
    // left: another operation waiting on it asks nCore itself.
    ownFailure: (error) => errorCode(error) === ErrorCode.QUERY_TOO_COMPLEX || refusedTurn(error),
    timeout: () => errorFromTransport(undefined, true),
  });
  return { ncore, loaders: createLoaders(ncore, parts.concurrency, cache) };
}
