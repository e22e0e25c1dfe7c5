import type { YogaInitialContext } from 'graphql-yoga';
import { createLoaders, type Loaders } from './loaders.ts';
import { NcoreClient } from './ncore/client.ts';
import type { Upstream } from './ncore/http.ts';
import type { Caller } from './plugins/auth.ts';
import type { Deadline } from './plugins/deadline.ts';
import { requestInfo } from './plugins/observability.ts';
import { operationTrace } from './plugins/tracing.ts';

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
  /** Correlates the request's log line with its upstream calls (`x-request-id`). */
  readonly requestId: string;
}

/** Everything a resolver may touch for one GraphQL operation: Yoga's own context plus the gateway's. */
export type Context = YogaInitialContext & RequestContext;

/** What the plugins before it have put in the context: the caller and the deadline. */
type Built = YogaInitialContext & Pick<RequestContext, 'caller' | 'deadline'>;

/**
 * The context factory: per operation, an nCore client under the caller's key and the operation's deadline,
 * and fresh loaders over it. Per process (passed in): the upstream pool and the limits.
 */
export function createContext(upstream: Upstream, limits: { callBudget: number; concurrency: number }) {
  return ({ request, caller, deadline }: Built): Omit<RequestContext, 'caller' | 'deadline'> => {
    const { id: requestId, traceparent } = requestInfo(request);
    const trace = operationTrace(request);
    const scope = {
      apiKey: caller.apiKey,
      signal: deadline.signal,
      deadline: deadline.at,
      requestId,
      traceparent,
      trace,
    };
    const ncore = new NcoreClient(upstream, scope, limits.callBudget);
    return { ncore, loaders: createLoaders(ncore, limits.concurrency), requestId };
  };
}
