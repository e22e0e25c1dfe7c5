import type { UserEventType, WireUser } from '../contract/types.ts';

export { USER_EVENT_TYPES, type UserEventType } from '../contract/types.ts';

/**
 * One user event as it travels between instances (Redis, the cluster primary): plain JSON, already read
 * from whichever variation of nCore's payload it arrived in (see payload.ts).
 */
export interface UserEventRecord {
  /** nCore's event token, or a digest of the body when nCore sent none: the key that de-duplicates. */
  readonly id: string;
  readonly type: UserEventType;
  /** ISO-8601 in UTC, or null when nCore gave no readable time. */
  readonly occurredAt: string | null;
  /** A user id (a UUID, lower case). */
  readonly userId: string;
  readonly previousStatus: string | null;
  readonly status: string | null;
  /** The user the event carried, when it carried one with the event's id. */
  readonly user: WireUser | null;
}
