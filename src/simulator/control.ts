import { USER_STATUSES, type WireUserInput } from '../contract/types.ts';
import { isPlainObject, UUID_PATTERN } from '../contract/validation.ts';
import { ApiError, NOT_FOUND_MESSAGE } from './errors.ts';
import type { QuotaBook } from './quota.ts';
import type { UserStore } from './store.ts';
import type { LoggedRequest, WebhookFault } from './types.ts';
import type { Webhooks } from './webhooks.ts';

/** The path prefix of the simulator's own controls, outside nCore's API. */
export const CONTROL_PATH = '/_sim';

const STATUSES: readonly string[] = USER_STATUSES;
const KYC_STATUSES = ['APPROVED', 'REJECTED', 'PENDING'];
const OTHER_EVENTS = ['USER_DOCUMENT_ALERT', 'IDENTITY_VERIFICATION'] as const;
const FAULTS: WebhookFault[] = ['none', 'duplicate', 'lost-ack'];

/**
 * What nCore does on its own and the simulator does on request (see README.md, "Controls"):
 * - `POST /_sim/users/{id}/status` `{"status", "status_reason_code"?}`: changes the status; USER_STATUS_CHANGE.
 * - `POST /_sim/users/{id}/kyc` `{"kyc_status"}`: KYC_RESULT; APPROVED also moves PENDINGKYC to ACTIVE.
 * - `POST /_sim/users/{id}/events` `{"event"}`: USER_DOCUMENT_ALERT or IDENTITY_VERIFICATION.
 * - `PUT /_sim/webhooks/fault` `{"fault": "none" | "duplicate" | "lost-ack"}`; `GET /_sim/webhooks/deliveries`.
 * - `PUT /_sim/quota` `{"perSecond": n | null, "burst"?: n}`: nCore's per-key quota (null: none); `GET /_sim/quota`
 *   reads it with what it admitted and refused.
 */
export function control(
  store: UserStore,
  webhooks: Webhooks,
  quota: QuotaBook,
  entry: LoggedRequest,
): { status: number; body: string } {
  const ok = (value: unknown, status = 200) => ({ status, body: JSON.stringify(value) });
  const path = entry.path.slice(CONTROL_PATH.length);
  const body = isPlainObject(entry.body) ? entry.body : {};

  if (path === '/webhooks/deliveries' && entry.method === 'GET') return ok({ data: webhooks.deliveries });
  if (path === '/quota' && entry.method === 'GET') return ok({ quota: quota.quota ?? null, ...quota.counts });
  if (path === '/quota' && entry.method === 'PUT') {
    const { perSecond, burst } = body;
    if (perSecond === null) quota.set(undefined);
    else {
      if (typeof perSecond !== 'number' || !(perSecond > 0))
        throw invalid('perSecond', 'must be a number above 0, or null');
      if (burst !== undefined && (typeof burst !== 'number' || !(burst >= 1)))
        throw invalid('burst', 'must be a number of at least 1');
      quota.set({ perSecond, ...(burst !== undefined && { burst }) });
    }
    return ok({ quota: quota.quota ?? null, ...quota.counts });
  }
  if (path === '/webhooks/fault' && entry.method === 'PUT') {
    const fault = body['fault'];
    if (!FAULTS.includes(fault as WebhookFault)) throw invalid('fault', `must be one of ${FAULTS.join(', ')}`);
    webhooks.fault = fault as WebhookFault;
    return ok({ fault });
  }

  const match = /^\/users\/([^/]+)\/(status|kyc|events)$/.exec(path);
  if (!match || entry.method !== 'POST') throw new ApiError(404, 'NOT_FOUND', `${NOT_FOUND_MESSAGE}: no such control`);
  const id = decodeURIComponent(match[1]!);
  const user = UUID_PATTERN.test(id) ? store.get(id) : undefined;
  if (!user) throw new ApiError(404, 'NOT_FOUND', NOT_FOUND_MESSAGE);

  if (match[2] === 'status') {
    const status = body['status'];
    const reason = body['status_reason_code'];
    if (typeof status !== 'string' || !STATUSES.includes(status))
      throw invalid('status', `must be one of ${STATUSES.join(', ')}`);
    if (reason !== undefined && (typeof reason !== 'string' || reason.length > 64))
      throw invalid('status_reason_code', 'must be a string of at most 64 characters');
    return ok(changeStatus(store, webhooks, user.id, status, reason as string | undefined));
  }
  if (match[2] === 'kyc') {
    const kyc = body['kyc_status'];
    if (typeof kyc !== 'string' || !KYC_STATUSES.includes(kyc))
      throw invalid('kyc_status', `must be one of ${KYC_STATUSES.join(', ')}`);
    webhooks.emit('KYC_RESULT', user, { kyc_status: kyc });
    if (kyc === 'APPROVED' && user.status === 'PENDINGKYC')
      return ok(changeStatus(store, webhooks, user.id, 'ACTIVE', 'KYC_PASSED'));
    return ok(user);
  }
  const event = body['event'];
  if (!OTHER_EVENTS.includes(event as (typeof OTHER_EVENTS)[number]))
    throw invalid('event', `must be one of ${OTHER_EVENTS.join(', ')}`);
  webhooks.emit(event as (typeof OTHER_EVENTS)[number], user);
  return ok(user);
}

function changeStatus(store: UserStore, webhooks: Webhooks, id: string, status: string, reason?: string) {
  const before = store.get(id)!;
  // Status is nCore's own field, not a client one: the store merges whatever it is given.
  const after = store.update(id, { status, ...(reason && { status_reason_code: reason }) } as WireUserInput);
  webhooks.emit('USER_STATUS_CHANGE', after, {
    old_status: before.status,
    new_status: status,
    ...(reason && { status_reason_code: reason }),
  });
  return after;
}

function invalid(field: string, message: string): ApiError {
  return new ApiError(400, 'VALIDATION_ERROR', 'Invalid request body', [{ field, message }]);
}
