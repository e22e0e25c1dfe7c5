import type { UserEventResolvers, UserStatus } from '../generated.ts';

/**
 * Read from the event as it arrived (a status nCore adds later costs only its field, see leafGuards.ts); only
 * `user` asks nCore, through the delivery's own loaders.
 */
export const UserEvent: UserEventResolvers = {
  id: ({ event }) => event.id,
  type: ({ event }) => event.type,
  occurredAt: ({ event }) => event.occurredAt,
  userId: ({ event }) => event.userId,
  previousStatus: ({ event }) => event.previousStatus as UserStatus | null,
  status: ({ event }) => event.status as UserStatus | null,
  user: (delivery) => delivery.loaders.userById.load(delivery.event.userId),
};
