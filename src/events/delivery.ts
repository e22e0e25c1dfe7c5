import type { GraphQLError, GraphQLResolveInfo } from 'graphql';
import { createLoaders, type Loaders } from '../loaders.ts';
import { NcoreClient } from '../ncore/client.ts';
import type { Upstream } from '../ncore/http.ts';
import type { UserEventRecord } from './types.ts';

/** What one delivery needs to read nCore: the process's pool and limits, the subscriber's key. */
export interface DeliveryScope {
  readonly upstream: Upstream;
  readonly apiKey: string;
  readonly requestId: string;
  readonly callBudget: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
}

/**
 * One event on its way to one subscriber: the root value its selection is resolved against (graphql-js
 * executes each event of a subscription with the event as root value). Its loaders are its own, made on
 * first use and primed with the user the event carried, under a deadline and a call budget of their own,
 * so `user { parent { firstName } }` costs what the same query would and nothing is cached across events.
 */
export class Delivery {
  #loaders: Loaders | undefined;

  constructor(
    readonly event: UserEventRecord,
    private readonly scope: DeliveryScope,
  ) {}

  get loaders(): Loaders {
    if (!this.#loaders) {
      const { upstream, apiKey, requestId, callBudget, concurrency, timeoutMs } = this.scope;
      const call = { apiKey, signal: AbortSignal.timeout(timeoutMs), deadline: Date.now() + timeoutMs, requestId };
      this.#loaders = createLoaders(new NcoreClient(upstream, call, callBudget), concurrency);
      if (this.event.user) this.#loaders.prime([this.event.user]);
    }
    return this.#loaders;
  }
}

/** The last thing a subscription yields when the gateway ends it with an error (a slow consumer). */
export class Ending {
  constructor(readonly error: GraphQLError) {}
}

/**
 * The loaders a `User` field reads through: the delivery's when it is resolving a subscription event,
 * otherwise the operation's own.
 */
export function loadersFor(context: { loaders: Loaders }, info: GraphQLResolveInfo): Loaders {
  return info.rootValue instanceof Delivery ? info.rootValue.loaders : context.loaders;
}
