import { NcoreClient } from '../ncore/client.ts';
import type { CallScope, Upstream } from '../ncore/http.ts';
import { createLoaders, type Loaders } from './loaders.ts';

/** What an operation reads nCore through: a client under its key, deadline and budget, and loaders over it. */
export interface OperationScope {
  /** nCore under this operation's key, deadline and call budget. */
  readonly ncore: NcoreClient;
  /** This operation's loaders: a cache that lives and dies with it. */
  readonly loaders: Loaders;
}

/** The process-wide half of every scope: the pool, and the bounds each operation gets. */
export interface ScopeParts {
  readonly upstream: Upstream;
  /** Most nCore calls one operation (or one event's delivery) may make. */
  readonly callBudget: number;
  /** Most calls one batch of one operation runs at once. */
  readonly concurrency: number;
}

/**
 * The one place an operation's reach into nCore is made: for a query or mutation (context.ts) and for each
 * event a subscription delivers (events/delivery.ts), so both cost nCore the same and cache nothing across.
 */
export function createOperationScope(parts: ScopeParts, call: CallScope): OperationScope {
  const ncore = new NcoreClient(parts.upstream, call, parts.callBudget);
  return { ncore, loaders: createLoaders(ncore, parts.concurrency) };
}
