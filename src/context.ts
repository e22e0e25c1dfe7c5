import type { YogaInitialContext } from 'graphql-yoga';
import type { Caller } from './auth.ts';
import type { Loaders } from './loaders.ts';
import type { NcoreClient } from './ncore/client.ts';

/** What the gateway adds to Yoga's context for each request; built fresh per request in gateway.ts. */
export interface RequestContext {
  /** Who is calling, already authenticated. */
  readonly caller: Caller;
  /** nCore under this caller's key, this request's deadline and its call budget. */
  readonly ncore: NcoreClient;
  /** This request's loaders: a cache that lives and dies with the request. */
  readonly loaders: Loaders;
  /** Correlates the request's log line with its upstream calls (`x-request-id`). */
  readonly requestId: string;
}

/** Everything a resolver may touch for one GraphQL request: Yoga's own context plus the gateway's. */
export type Context = YogaInitialContext & RequestContext;
