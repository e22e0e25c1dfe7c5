import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, DEMO_BUSINESS_ID, DEMO_ROOT_ID, type Simulator } from '../../src/simulator/index.ts';
import {
  basicAuth,
  postWebhook,
  type Reading,
  subscribeSse,
  subscribeWs,
  userEvent,
  WEBHOOK,
  WEBHOOK_ENV,
  wsClient,
} from '../support/events.ts';
import { type GatewayProcess, startGatewayProcess } from '../support/process.ts';
import { type RedisProcess, startRedis } from '../support/redis.ts';

const EVENT =
  'subscription Events($userId: ID, $descendantsOf: ID, $types: [UserEventType!]) { userEvents(userId: $userId, descendantsOf: $descendantsOf, types: $types) { id type userId previousStatus status user { id firstName parent { firstName } } } }';

/** `gateway_subscriptions_open` as an instance's /metrics reports it. */
async function openSubscriptions(gateway: GatewayProcess): Promise<number> {
  const text = await (await fetch(new URL('/metrics', gateway.url))).text();
  return Number(/^gateway_subscriptions_open (\d+)/m.exec(text)?.[1] ?? -1);
}

async function metric(gateway: GatewayProcess, line: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', gateway.url))).text();
  const escaped = line.replace(/[{}"]/g, (c) => `\\${c}`);
  return Number(new RegExp(`^${escaped} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
}

/** Lets anything still in flight arrive, so that "exactly once" also means "not later either". */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));
const ids = (reading: Reading) => reading.results.map((r) => r.data?.userEvents?.id);

describe('two gateway instances over one Redis', () => {
  let redis: RedisProcess;
  let sim: Simulator;
  let a: GatewayProcess;
  let b: GatewayProcess;
  const clients: ReturnType<typeof wsClient>[] = [];
  const readings: Reading[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    sim = await createSimulator({ seed: 'demo', webhookRetry: { baseMs: 50, maxMs: 500, maxAttempts: 5 } });
    const env = {
      NCORE_BASE_URL: sim.url,
      NCORE_API_KEY: sim.apiKey,
      GATEWAY_AUTH: 'none',
      REDIS_URL: redis.url,
      ...WEBHOOK_ENV,
    };
    [a, b] = await Promise.all([startGatewayProcess(env), startGatewayProcess(env)]);
  }, 60_000);

  afterAll(async () => {
    for (const r of readings) r.stop();
    await Promise.all(clients.map((c) => c.dispose()));
    await Promise.all([a?.stop(), b?.stop()]);
    await sim?.close();
    await redis?.stop();
  });

  const sse = async (variables: Record<string, unknown> = {}) => {
    const reading = await subscribeSse(a.url, EVENT, variables);
    readings.push(reading);
    return reading;
  };
  const ws = async (variables: Record<string, unknown> = {}) => {
    const client = wsClient(b.url);
    clients.push(client);
    const reading = subscribeWs(client, EVENT, variables);
    readings.push(reading);
    return reading;
  };
  const opened = async (onA: number, onB: number) => {
    await expect.poll(() => openSubscriptions(a)).toBe(onA);
    await expect.poll(() => openSubscriptions(b)).toBe(onB);
  };

  it('reports Redis in /ready', async () => {
    // Polled as a load balancer would: on a busy machine the instance's Redis connection may still be opening.
    const readiness = async () => {
      const ready = await fetch(new URL('/ready', a.url));
      return { code: ready.status, body: await ready.json() };
    };
    await expect
      .poll(readiness, { timeout: 10_000, interval: 100 })
      .toEqual({ code: 200, body: { status: 'ready', ncore: 'up', redis: 'up' } });
  });

  it('an event posted to both instances reaches an SSE subscriber on one and a WS subscriber on the other once each', async () => {
    const onA = await sse();
    const onB = await ws();
    await opened(1, 1);
    const child = sim.users().find((u) => u.parent_user_id === DEMO_ROOT_ID)!;
    const event = userEvent('USER_STATUS_CHANGE', child.id, {
      old_status: 'PENDINGKYC',
      new_status: 'ACTIVE',
      user: child,
    });
    const first = await postWebhook(a.url, event);
    const second = await postWebhook(b.url, event);
    expect([first.status, second.status]).toEqual([202, 200]);
    expect((await second.json()).status).toBe('duplicate');
    await onA.waitFor(1);
    await onB.waitFor(1);
    await settle();
    for (const reading of [onA, onB]) {
      expect(reading.results).toEqual([
        {
          data: {
            userEvents: {
              id: event.event_token,
              type: 'USER_STATUS_CHANGE',
              userId: child.id,
              previousStatus: 'PENDINGKYC',
              status: 'ACTIVE',
              user: { id: child.id, firstName: child.first_name, parent: { firstName: 'Khalid' } },
            },
          },
        },
      ]);
    }
    expect(await metric(b, 'gateway_webhooks_total{outcome="duplicate"}')).toBe(1);
    onA.stop();
    onB.stop();
    await opened(0, 0);
  });

  it('filters by user, by descendants and by type, on both instances', async () => {
    const users = sim.users();
    const child = users.find((u) => u.parent_user_id === DEMO_ROOT_ID)!;
    const grandchild = users.find((u) => u.parent_user_id === child.id)!;
    const outsider = users.find((u) => u.id === DEMO_BUSINESS_ID)!;
    const byUser = await sse({ userId: child.id });
    const below = await ws({ descendantsOf: DEMO_ROOT_ID });
    const kyc = await sse({ types: ['KYC_RESULT'] });
    const combined = await ws({ descendantsOf: DEMO_ROOT_ID, types: ['USER_CREATED'] });
    await opened(2, 2);

    const sent = {
      childStatus: userEvent('USER_STATUS_CHANGE', child.id, { old_status: 'ACTIVE', new_status: 'SUSPENDED' }),
      grandchildKyc: userEvent('KYC_RESULT', grandchild.id, { kyc_status: 'APPROVED' }),
      rootCreated: userEvent('USER_CREATED', DEMO_ROOT_ID),
      outsiderKyc: userEvent('KYC_RESULT', outsider.id, { kyc_status: 'REJECTED' }),
      grandchildCreated: userEvent('USER_CREATED', grandchild.id),
    };
    for (const [i, body] of Object.values(sent).entries()) {
      expect((await postWebhook(i % 2 ? b.url : a.url, body)).status).toBe(202);
    }
    await byUser.waitFor(1);
    await below.waitFor(3);
    await kyc.waitFor(2);
    await combined.waitFor(1);
    await settle();
    expect(ids(byUser)).toEqual([sent.childStatus.event_token]);
    expect(ids(below)).toEqual(
      [sent.childStatus, sent.grandchildKyc, sent.grandchildCreated].map((e) => e.event_token),
    );
    expect(new Set(ids(kyc))).toEqual(new Set([sent.grandchildKyc.event_token, sent.outsiderKyc.event_token]));
    expect(ids(combined)).toEqual([sent.grandchildCreated.event_token]);
    for (const r of [byUser, below, kyc, combined]) r.stop();
    await opened(0, 0);
  });

  it('wrong credentials and garbage bodies change nothing, and never get a 5xx', async () => {
    const all = await sse();
    await opened(1, 0);
    const child = sim.users().find((u) => u.parent_user_id === DEMO_ROOT_ID)!;
    const valid = userEvent('USER_CREATED', child.id);
    const attempts: [string | null, unknown, number][] = [
      [null, valid, 401],
      [basicAuth(WEBHOOK.username, 'wrong-password-of-same-size!'), valid, 401],
      [basicAuth('someone', WEBHOOK.password), valid, 401],
      ['Bearer x', valid, 401],
      [basicAuth(), 'not json', 400],
      [basicAuth(), '[1,2]', 400],
      [basicAuth(), 'null', 400],
      [basicAuth(), { event: 'USER_CREATED' }, 400],
      [basicAuth(), { event: 'USER_CREATED', user_id: 'not-a-uuid' }, 400],
      [basicAuth(), { event: 42 }, 400],
      [basicAuth(), { event: 'CARD_CREATED', event_token: 't', card_id: 'c' }, 200],
      [basicAuth(), { event: 'PING', event_token: 'p' }, 200],
      [basicAuth(), JSON.stringify({ ...valid, pad: 'x'.repeat(300 * 1024) }), 413],
    ];
    for (const [authorization, body, status] of attempts) {
      const answer = await postWebhook(a.url, body, authorization);
      expect(answer.status, JSON.stringify(body).slice(0, 80)).toBe(status);
    }
    await settle();
    expect(all.results).toEqual([]);
    // The valid event was refused every time, so it was never claimed: nCore's retry still goes through.
    expect((await postWebhook(b.url, valid)).status).toBe(202);
    await all.waitFor(1);
    all.stop();
  });

  it("the simulator's create shows up as USER_CREATED with the user's parent resolved", async () => {
    const registered = await fetch(`${sim.url}/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', apikey: sim.apiKey },
      body: JSON.stringify({
        endpoint: new URL('/webhooks/ncore', a.url).href,
        events: ['USER_CREATED'],
        config: { basic_auth_username: WEBHOOK.username, basic_auth_password: WEBHOOK.password },
      }),
    });
    expect(registered.status).toBe(201);
    const onB = await ws({ types: ['USER_CREATED'], descendantsOf: DEMO_ROOT_ID });
    await opened(0, 1);
    const created = await fetch(b.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `mutation { createUser(input: { firstName: "Layla", parentUserId: "${DEMO_ROOT_ID}" }) { id } }`,
      }),
    });
    const id = ((await created.json()) as { data: { createUser: { id: string } } }).data.createUser.id;
    const [result] = await onB.waitFor(1);
    expect(result!.data?.userEvents).toMatchObject({
      type: 'USER_CREATED',
      userId: id,
      user: { id, firstName: 'Layla', parent: { firstName: 'Khalid' } },
    });
    onB.stop();
  });
});
