import { createHash } from 'node:crypto';
import { USER_EVENT_TYPES, type UserEventRecord, type UserEventType, type WireUser } from '../contract/types.ts';
import { canonicalUserId, isPlainObject, UUID_PATTERN } from '../contract/validation.ts';

/** What a webhook body turned out to be. */
export type WebhookReading =
  | { readonly kind: 'event'; readonly event: UserEventRecord }
  /** nCore's connectivity check. */
  | { readonly kind: 'ping' }
  /** A well-formed event of a type the gateway does not serve (cards, accounts, transactions, ...). */
  | { readonly kind: 'ignored' }
  /** Not an event the gateway can act on; `reason` is safe to show (it never quotes the body). */
  | { readonly kind: 'invalid'; readonly reason: string };

// nCore's payload is not published: each field is looked for under the names it is known or likely to take.
const TYPE = ['event', 'event_type', 'eventType', 'type'];
const TOKEN = ['event_token', 'eventToken', 'token', 'event_id', 'eventId'];
const USER_ID = ['user_id', 'userId'];
const PREVIOUS = ['old_status', 'previous_status', 'oldStatus', 'previousStatus'];
const STATUS = ['new_status', 'newStatus', 'status'];
const TIME = ['created', 'created_at', 'createdAt', 'occurred_at', 'occurredAt', 'timestamp'];
/** Tokens are opaque to the gateway but bounded, so they stay cheap to store and to log. */
const TOKEN_SHAPE = /^[\x21-\x7e]{1,256}$/;
const STATUS_SHAPE = /^[A-Z_]{1,64}$/;

/**
 * Reads one webhook body (already parsed JSON) in any of the variations nCore may send: fields at the top
 * or under `data`, the token, type and times under other names, no embedded user. The only module that
 * knows the payload's shape. `raw` is the body's text: without a token, its digest stands in, so a
 * retried delivery (the same bytes) is still recognised.
 */
export function readWebhook(body: unknown, raw: string): WebhookReading {
  if (!isPlainObject(body)) return { kind: 'invalid', reason: 'The body must be a JSON object.' };
  const data = isPlainObject(body['data']) ? body['data'] : {};
  const field = (names: readonly string[]): unknown => {
    for (const source of [body, data])
      for (const name of names) if (source[name] !== undefined && source[name] !== null) return source[name];
    return undefined;
  };

  const type = field(TYPE);
  if (typeof type !== 'string' || type.trim() === '') return { kind: 'invalid', reason: 'The event has no type.' };
  const upper = type.trim().toUpperCase();
  if (upper === 'PING') return { kind: 'ping' };
  if (!(USER_EVENT_TYPES as readonly string[]).includes(upper)) return { kind: 'ignored' };

  const token = field(TOKEN);
  if (token !== undefined && (typeof token !== 'string' || !TOKEN_SHAPE.test(token)))
    return { kind: 'invalid', reason: 'The event token must be 1 to 256 printable characters.' };

  const embedded = field(['user']);
  const user = isUser(embedded) ? embedded : null;
  const rawId = field(USER_ID) ?? user?.id;
  if (typeof rawId !== 'string' || !UUID_PATTERN.test(rawId))
    return { kind: 'invalid', reason: 'The event names no user id (a UUID).' };
  const userId = canonicalUserId(rawId);

  return {
    kind: 'event',
    event: {
      id: token ?? `sha256:${createHash('sha256').update(raw).digest('hex')}`,
      type: upper as UserEventType,
      occurredAt: instant(field(TIME)),
      userId,
      previousStatus: status(field(PREVIOUS)),
      status: status(field(STATUS)) ?? status(user?.status),
      // A user under another id would answer for the wrong person.
      user: user && canonicalUserId(user.id) === userId ? user : null,
    },
  };
}

function isUser(value: unknown): value is WireUser {
  return isPlainObject(value) && typeof value['id'] === 'string' && typeof value['first_name'] === 'string';
}

function status(value: unknown): string | null {
  return typeof value === 'string' && STATUS_SHAPE.test(value.trim().toUpperCase()) ? value.trim().toUpperCase() : null;
}

/** ISO text or epoch milliseconds, normalised to ISO-8601 UTC; anything unreadable is null. */
function instant(value: unknown): string | null {
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) return null;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
