import { badUserInput } from '../../errors.ts';
import { type Delivery, Ending } from '../../events/delivery.ts';
import { disconnector } from '../../events/disconnect.ts';
import type { EventFilter } from '../../events/hub.ts';
import { isUserId } from '../../ncore/client.ts';
import type { SubscriptionResolvers, SubscriptionUserEventsArgs } from '../generated.ts';

export const Subscription: SubscriptionResolvers = {
  userEvents: {
    subscribe: (_, args, context) =>
      context.events.open(filterOf(args), {
        apiKey: context.caller.apiKey,
        requestId: context.requestId,
        disconnect: disconnector(context),
      }),
    // Each event is executed with what the stream yielded as its root value (see events/delivery.ts).
    resolve: (payload: Delivery | Ending) => {
      if (payload instanceof Ending) throw payload.error;
      return payload;
    },
  },
};

/** The arguments as a filter; ids must be user ids (UUIDs), compared without case. */
function filterOf({ userId, descendantsOf, types }: Partial<SubscriptionUserEventsArgs>): EventFilter {
  for (const [field, id] of [
    ['userId', userId],
    ['descendantsOf', descendantsOf],
  ] as const) {
    if (id != null && !isUserId(id))
      throw badUserInput(`${field} must be a user id (a UUID).`, [{ field, message: 'must be a UUID' }]);
  }
  return {
    ...(userId != null && { userId: userId.toLowerCase() }),
    ...(descendantsOf != null && { descendantsOf: descendantsOf.toLowerCase() }),
    ...(types != null && { types: new Set(types) }),
  };
}
