import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSimulator, DEMO_ROOT_ID, type Simulator } from '../../src/simulator/index.ts';
import { call } from '../support/simulator.ts';

/** Where the validation cases point (registration fails before anything is sent). */
const HOOK = 'http://127.0.0.1:9/hook';

interface Received {
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** A webhook receiver on a real socket that answers `fail` non-2xx answers first, then 204. */
let receiver: Server;
let endpoint: string;
let received: Received[] = [];
let failuresLeft = 0;
let sim: Simulator;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(text) });
      res.writeHead(failuresLeft-- > 0 ? 503 : 204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  sim = await createSimulator({ webhookRetry: { baseMs: 20, maxMs: 100, maxAttempts: 5 } });
});
afterAll(async () => {
  await sim.close();
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});
beforeEach(() => {
  sim.reset();
  received = [];
  failuresLeft = 0;
});

const registration = (events = ['USER_CREATED', 'USER_STATUS_CHANGE', 'KYC_RESULT', 'USER_DOCUMENT_ALERT']) => ({
  endpoint,
  events,
  config: {
    basic_auth_username: 'gateway',
    basic_auth_password: 'pa55word',
    custom_headers: [{ header_name: 'X-Tenant', header_value: 'acme' }],
  },
});
const events = (type?: string) => received.filter((r) => type === undefined || r.body['event'] === type);
const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check(), what).toBe(true);
};

describe('webhook registration', () => {
  it('stores a valid registration, pings it, lists it, and never echoes the password', async () => {
    const created = await call(sim, 'POST', '/webhooks', { body: registration() });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ endpoint, events: registration().events });
    expect(created.json.config.basic_auth_password).toBe('********');
    expect(created.text).not.toContain('pa55word');
    await until(() => events('PING').length === 1, 'the ping arrived');
    const listed = await call(sim, 'GET', '/webhooks');
    expect(listed.json).toEqual({ data: [created.json], has_more: false });
  });

  it.each([
    [{}, ['endpoint', 'events']],
    [{ endpoint: 'ftp://x', events: ['USER_CREATED'] }, ['endpoint']],
    [{ endpoint: HOOK, events: [] }, ['events']],
    [{ endpoint: HOOK, events: ['CARD_ISSUED'] }, ['events[0]']],
    [{ endpoint: HOOK, events: ['USER_CREATED', 'USER_CREATED'] }, ['events']],
    [{ endpoint: HOOK, events: ['USER_CREATED'], secret: 1 }, ['secret']],
    [
      { endpoint: HOOK, events: ['USER_CREATED'], config: { basic_auth_username: 'a:b', basic_auth_password: 'x' } },
      ['config.basic_auth_username'],
    ],
    [{ endpoint: HOOK, events: ['USER_CREATED'], config: { basic_auth_username: 'a' } }, ['config']],
    [
      {
        endpoint: HOOK,
        events: ['USER_CREATED'],
        config: { custom_headers: [{ header_name: 'Authorization', header_value: 'x' }] },
      },
      ['config.custom_headers[0].header_name'],
    ],
    [
      {
        endpoint: HOOK,
        events: ['USER_CREATED'],
        config: { custom_headers: [{ header_name: 'x-a', header_value: 'a\r\nb' }] },
      },
      ['config.custom_headers[0].header_value'],
    ],
  ])('refuses %j naming every problem', async (body, fields) => {
    const answer = await call(sim, 'POST', '/webhooks', { body });
    expect(answer.status).toBe(400);
    expect(answer.json.error.code).toBe('VALIDATION_ERROR');
    expect(answer.json.error.fields.map((f: { field: string }) => f.field)).toEqual(fields);
    expect((await call(sim, 'GET', '/webhooks')).json.data).toEqual([]);
  });

  it('needs the API key', async () => {
    expect((await call(sim, 'POST', '/webhooks', { body: registration(), noKey: true })).status).toBe(401);
    expect((await call(sim, 'GET', '/webhooks', { noKey: true })).status).toBe(401);
  });
});

describe('webhook deliveries', () => {
  beforeEach(async () => {
    await call(sim, 'POST', '/webhooks', { body: registration() });
    await until(() => events('PING').length === 1, 'the ping arrived');
  });

  it('delivers USER_CREATED on create, with Basic Auth, the custom headers and the user', async () => {
    const created = await call(sim, 'POST', '/users', { body: { first_name: 'Nadia', parent_user_id: DEMO_ROOT_ID } });
    await until(() => events('USER_CREATED').length === 1, 'the event arrived');
    const [delivery] = events('USER_CREATED');
    expect(delivery!.headers.authorization).toBe(`Basic ${Buffer.from('gateway:pa55word').toString('base64')}`);
    expect(delivery!.headers['x-tenant']).toBe('acme');
    expect(delivery!.headers['content-type']).toBe('application/json');
    expect(delivery!.body).toMatchObject({ event: 'USER_CREATED', user_id: created.json.id, user: created.json });
    expect(delivery!.body['event_token']).toEqual(expect.any(String));
  });

  it('delivers a status change and a KYC result through the controls, and only the types registered', async () => {
    const user = (await call(sim, 'POST', '/users', { body: { first_name: 'Omar' } })).json;
    await call(sim, 'POST', `/../_sim/users/${user.id}/status`, { body: { status: 'PENDINGKYC' } });
    await call(sim, 'POST', `/../_sim/users/${user.id}/kyc`, { body: { kyc_status: 'APPROVED' } });
    await call(sim, 'POST', `/../_sim/users/${user.id}/events`, { body: { event: 'IDENTITY_VERIFICATION' } });
    await until(() => events('USER_STATUS_CHANGE').length === 2 && events('KYC_RESULT').length === 1, 'events');
    expect(events('USER_STATUS_CHANGE').map((e) => [e.body['old_status'], e.body['new_status']])).toEqual([
      ['ACTIVE', 'PENDINGKYC'],
      ['PENDINGKYC', 'ACTIVE'],
    ]);
    expect(events('KYC_RESULT')[0]!.body['kyc_status']).toBe('APPROVED');
    expect(sim.getUser(user.id)!.status).toBe('ACTIVE');
    expect(events('IDENTITY_VERIFICATION')).toEqual([]);
  });

  it('refuses bad controls with 400 or 404 and sends nothing', async () => {
    const user = (await call(sim, 'POST', '/users', { body: { first_name: 'Omar' } })).json;
    await until(() => events('USER_CREATED').length === 1, 'created');
    expect((await call(sim, 'POST', `/../_sim/users/${user.id}/status`, { body: { status: 'HAPPY' } })).status).toBe(
      400,
    );
    expect((await call(sim, 'POST', `/../_sim/users/${user.id}/kyc`, { body: {} })).status).toBe(400);
    expect((await call(sim, 'POST', '/../_sim/users/nobody/status', { body: { status: 'ACTIVE' } })).status).toBe(404);
    expect(
      (await call(sim, 'POST', `/../_sim/users/${user.id}/status`, { body: { status: 'ACTIVE' }, noKey: true })).status,
    ).toBe(401);
    await new Promise((r) => setTimeout(r, 50));
    expect(received.length).toBe(2);
  });

  it('retries with growing waits until a 2xx', async () => {
    failuresLeft = 2;
    await call(sim, 'POST', '/users', { body: { first_name: 'Retry' } });
    await until(() => sim.webhooks.deliveries.some((d) => d.event === 'USER_CREATED' && d.delivered), 'delivered');
    const delivery = sim.webhooks.deliveries.find((d) => d.event === 'USER_CREATED')!;
    expect(delivery.attempts.map((a) => a.status)).toEqual([503, 503, 204]);
    const [a, b, c] = delivery.attempts.map((x) => x.at);
    expect(b! - a!).toBeGreaterThanOrEqual(18);
    expect(c! - b!).toBeGreaterThanOrEqual(38);
    expect(new Set(events('USER_CREATED').map((e) => e.body['event_token'])).size).toBe(1);
  });

  it('fault modes: every event twice, or the first acknowledgement lost', async () => {
    expect((await call(sim, 'PUT', '/../_sim/webhooks/fault', { body: { fault: 'duplicate' } })).status).toBe(200);
    await call(sim, 'POST', '/users', { body: { first_name: 'Twice' } });
    await until(() => events('USER_CREATED').length === 2, 'two deliveries');
    await call(sim, 'PUT', '/../_sim/webhooks/fault', { body: { fault: 'lost-ack' } });
    await call(sim, 'POST', '/users', { body: { first_name: 'Again' } });
    await until(() => events('USER_CREATED').length === 4, 'the lost acknowledgement retried');
    const tokens = events('USER_CREATED').map((e) => e.body['event_token']);
    expect(tokens[0]).toBe(tokens[1]);
    expect(tokens[2]).toBe(tokens[3]);
    expect(tokens[0]).not.toBe(tokens[2]);
    expect((await call(sim, 'PUT', '/../_sim/webhooks/fault', { body: { fault: 'sometimes' } })).status).toBe(400);
  });
});
