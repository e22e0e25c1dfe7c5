import type { UserEventRecord } from '../../contract/types.ts';
import { canonicalUserId } from '../../contract/validation.ts';
import { badUserInput } from '../../errors.ts';
import { Ending } from '../../events/delivery.ts';
import { disconnector } from '../../events/disconnect.ts';
import type { EventFilter, EventHub } from '../../events/hub.ts';
import { isUserId } from '../../ncore/client.ts';
import type { SubscriptionResolvers, SubscriptionUserEventsArgs } from '../generated.ts';

/** `userEvents`, over the process's subscriptions. */
export function subscriptionResolvers(events: EventHub): SubscriptionResolvers {
  return {
    userEvents: {
      subscribe: (_, args, context) =>
        events.open(filterOf(args), {
          apiKey: context.caller.apiKey,
          requestId: context.requestId,
          disconnect: disconnector(context),
        }),
      // Each event is executed with the event as its root value (events/sharedExecution.ts).
      resolve: (payload: UserEventRecord | Ending) => {
        if (payload instanceof Ending) throw payload.error;
        return payload;
      },
    },
  };
}

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
    ...(userId != null && { userId: canonicalUserId(userId) }),
    ...(descendantsOf != null && { descendantsOf: canonicalUserId(descendantsOf) }),
    ...(types != null && { types: new Set(types) }),
  };
}
