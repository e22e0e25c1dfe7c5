import { describe, expect, it } from 'vitest';
import { readWebhook } from '../../src/events/payload.ts';

const USER_ID = '3f6c1d2e-8b7a-4c1e-9f0a-2b5d7e8c9a10';
const user = { id: USER_ID, first_name: 'Amira', status: 'ACTIVE', created: '2026-01-01T00:00:00.000Z' };
const read = (body: unknown) => readWebhook(body, JSON.stringify(body));

describe('reading nCore webhook payloads', () => {
  it('reads the documented shape', () => {
    const body = {
      event: 'USER_STATUS_CHANGE',
      event_token: 'tok-1',
      created: '2026-11-27T10:15:00.074Z',
      user_id: USER_ID,
      old_status: 'PENDINGKYC',
      new_status: 'ACTIVE',
      status_reason_code: 'KYC_PASSED',
      user,
    };
    expect(read(body)).toEqual({
      kind: 'event',
      event: {
        id: 'tok-1',
        type: 'USER_STATUS_CHANGE',
        occurredAt: '2026-11-27T10:15:00.074Z',
        userId: USER_ID,
        previousStatus: 'PENDINGKYC',
        status: 'ACTIVE',
        user,
      },
    });
  });

  it('reads variations: other field names, fields under data, epoch times, upper-case ids, no user', () => {
    const reading = read({
      eventType: 'kyc_result',
      data: { eventId: 'tok-2', userId: USER_ID.toUpperCase(), timestamp: 1_700_000_000_000 },
      unknown_field: { deep: true },
    });
    expect(reading).toEqual({
      kind: 'event',
      event: {
        id: 'tok-2',
        type: 'KYC_RESULT',
        occurredAt: new Date(1_700_000_000_000).toISOString(),
        userId: USER_ID,
        previousStatus: null,
        status: null,
        user: null,
      },
    });
  });

  it('takes the user id from the embedded user, and the status from it when the event has none', () => {
    const reading = read({ type: 'USER_CREATED', token: 'tok-3', user });
    expect(reading).toMatchObject({ kind: 'event', event: { userId: USER_ID, status: 'ACTIVE', user } });
  });

  it('drops an embedded user under another id, and an unreadable time', () => {
    const other = { ...user, id: '00000000-0000-4000-8000-000000000000' };
    const reading = read({ event: 'USER_CREATED', event_token: 't', user_id: USER_ID, user: other, created: 'soon' });
    expect(reading).toMatchObject({ kind: 'event', event: { user: null, occurredAt: null } });
  });

  it('without a token, a digest of the body stands in: the same bytes give the same id', () => {
    const body = { event: 'USER_CREATED', user_id: USER_ID };
    const first = read(body);
    const again = read(structuredClone(body));
    const other = read({ ...body, created: '2026-01-01T00:00:00Z' });
    expect(first.kind === 'event' && first.event.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('recognises the ping and ignores types that are not about users', () => {
    expect(read({ event: 'PING', event_token: 'p' })).toEqual({ kind: 'ping' });
    expect(read({ event: 'CARD_ACTIVATED', event_token: 'c', card_id: 'x' })).toEqual({ kind: 'ignored' });
    expect(read({ event: 'TRANSACTION', event_token: 't' })).toEqual({ kind: 'ignored' });
  });

  it.each([
    [null],
    [[]],
    ['text'],
    [{}],
    [{ event: '' }],
    [{ event: 7, user_id: USER_ID }],
    [{ event: 'USER_CREATED' }],
    [{ event: 'USER_CREATED', user_id: 'nobody' }],
    [{ event: 'USER_CREATED', user_id: USER_ID, event_token: 'has space' }],
    [{ event: 'USER_CREATED', user_id: USER_ID, event_token: 'x'.repeat(257) }],
    [{ event: 'USER_CREATED', user_id: USER_ID, event_token: 12 }],
  ])('refuses %j with a reason that quotes nothing', (body) => {
    const reading = read(body);
    expect(reading.kind).toBe('invalid');
    if (reading.kind === 'invalid') expect(reading.reason).not.toContain(USER_ID);
  });

  it('keeps unknown statuses (the schema decides what they cost) but not free text', () => {
    const reading = read({
      event: 'USER_STATUS_CHANGE',
      event_token: 't',
      user_id: USER_ID,
      new_status: 'DORMANT',
      old_status: 'not a status!',
    });
    expect(reading).toMatchObject({ event: { status: 'DORMANT', previousStatus: null } });
  });
});
