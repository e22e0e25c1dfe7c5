import type { GraphQLError } from 'graphql';
import type { UserEventRecord } from '../contract/types.ts';
import { createOperationScope, type OperationScope, type ScopeParts } from '../operation/scope.ts';

/** What one subscriber's deliveries read nCore with: the process's pool and limits, the subscriber's key. */
export interface DeliveryScope extends ScopeParts {
  readonly apiKey: string;
  readonly requestId: string;
  /** Bound of one delivery's nCore reads. */
  readonly timeoutMs: number;
  /**
   * Whether the user the event carried may be served without asking nCore. Not in `forward` mode: there the
   * event's user is read under the subscriber's own key, so a key nCore no longer accepts hears nothing of it.
   */
  readonly trustEventUser: boolean;
}

/**
 * One event on its way to one subscriber. Its operation scope is its own, made on first use (an event whose
 * selection reads nothing of nCore costs nothing), under a deadline and a call budget of its own, so
 * `user { parent { firstName } }` costs what the same query would and nothing is cached across events.
 */
export class Delivery {
  #scope: OperationScope | undefined;

  constructor(
    readonly event: UserEventRecord,
    private readonly parts: DeliveryScope,
  ) {}

  get scope(): OperationScope {
    if (!this.#scope) {
      const { apiKey, requestId, timeoutMs } = this.parts;
      const deadline = Date.now() + timeoutMs;
      this.#scope = createOperationScope(this.parts, {
        apiKey,
        requestId,
        deadline,
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (this.event.user && this.parts.trustEventUser) this.#scope.loaders.prime([this.event.user]);
    }
    return this.#scope;
  }
}

/**
 * The context one event is executed with: the subscription's own, its `ncore` and `loaders` the delivery's.
 * Resolvers see the same shape as for a query and never learn that they serve an event.
 */
export function deliveryContext<C extends object>(context: C, delivery: Delivery): C {
  return Object.create(context, {
    ncore: { get: () => delivery.scope.ncore },
    loaders: { get: () => delivery.scope.loaders },
  });
}

/** The last thing a subscription yields when the gateway ends it with an error (a slow consumer). */
export class Ending {
  constructor(readonly error: GraphQLError) {}
}
