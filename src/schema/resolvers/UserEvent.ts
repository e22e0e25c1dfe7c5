import type { UserEventResolvers, UserStatus } from '../generated.ts';

/**
 * Read from the event as it arrived (a status nCore adds later costs only its field, see leafGuards.ts); only
 * `user` asks nCore, through the loaders of the event's delivery (events/delivery.ts).
 */
export const UserEvent: UserEventResolvers = {
  previousStatus: (event) => event.previousStatus as UserStatus | null,
  status: (event) => event.status as UserStatus | null,
  user: (event, _, { loaders }) => loaders.userById.load(event.userId),
};
