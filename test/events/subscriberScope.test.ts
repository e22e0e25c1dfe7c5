import { describe, expect, it } from 'vitest';
import { DEMO_ROOT_ID } from '../../src/simulator/index.ts';
import { postWebhook, subscribeSse, subscribeWs, userEvent, WEBHOOK_ENV, wsClient } from '../support/events.ts';
import { useStack } from '../support/stack.ts';

const FAMILY = `subscription ($root: ID) {
  userEvents(descendantsOf: $root) { id type user { firstName email parent { firstName } } }
}`;

describe('in forward mode a subscriber hears only what its own key may read', () => {
  const stack = useStack({
    env: { ...WEBHOOK_ENV, GATEWAY_AUTH: 'forward', NCORE_API_KEY: '', FORWARD_SINGLE_TENANT: 'true' },
  });

  it('refuses a key nCore refuses, before it hears anything, and does not let it starve a valid subscriber', async () => {
    const url = await stack.listen();
    // The bogus subscriber comes first: its key must decide nothing for the one after it.
    const bogus = wsClient(url, { apikey: 'not-a-key-ncore-knows' });
    const refused = subscribeWs(bogus, FAMILY, { root: DEMO_ROOT_ID });
    const [refusal] = await refused.waitFor(1);
    expect(refusal!.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_UNAUTHORIZED');
    expect(refusal!.data ?? null).toBeNull();

    const valid = wsClient(url, { apikey: stack.sim.apiKey });
    const heard = subscribeWs(valid, FAMILY, { root: DEMO_ROOT_ID });
    await expect.poll(() => stack.gateway.events.size).toBe(1);
    const child = stack.sim.users().find((u) => u.parent_user_id === DEMO_ROOT_ID)!;
    stack.sim.clearRequests();
    await postWebhook(url, userEvent('USER_CREATED', child.id, { user: { ...child } }));
    const [event] = await heard.waitFor(1);
    expect(event!.data?.userEvents?.user).toMatchObject({
      firstName: child.first_name,
      parent: { firstName: 'Khalid' },
    });
    // Read under the subscriber's key, even though the event carried the user.
    expect(
      stack.sim.requests.filter((r) => r.route === 'getUser').every((r) => r.headers.apikey === stack.sim.apiKey),
    ).toBe(true);
    expect(stack.calls('getUser')).toBeGreaterThanOrEqual(1);
    expect(refused.results).toHaveLength(1);
    await bogus.dispose();
    await valid.dispose();
  });

  it('over SSE too: a refused key gets UPSTREAM_UNAUTHORIZED and holds no subscription', async () => {
    const url = await stack.listen();
    const reading = await subscribeSse(url, FAMILY, {}, { apikey: 'another-bogus-key' });
    const [result] = await reading.waitFor(1);
    expect(result!.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_UNAUTHORIZED');
    await expect.poll(() => stack.gateway.events.size).toBe(0);
  });
});

describe('a subscription request that is bad input holds no slot', () => {
  const stack = useStack({ env: { ...WEBHOOK_ENV, MAX_SUBSCRIPTIONS: '2' } });
  const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;

  it('answers a deeply nested variable with 400, as often as it is sent, and a later subscriber still gets in', async () => {
    const url = await stack.listen();
    for (let i = 0; i < 5; i++) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: `{"query":"subscription { userEvents { id } }","variables":{"unused":${deep}}}`,
      });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('"code":"BAD_REQUEST"');
    }
    expect(stack.gateway.events.size).toBe(0);
    const reading = await subscribeSse(url, 'subscription { userEvents { id } }');
    await expect.poll(() => stack.gateway.events.size).toBe(1);
    reading.stop();
    await expect.poll(() => stack.gateway.events.size).toBe(0);
  });

  it('over WebSocket too: the operation is refused with BAD_REQUEST, and the socket stays open', async () => {
    const url = await stack.listen();
    const client = wsClient(url);
    const variables = { unused: JSON.parse(`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`) };
    for (let i = 0; i < 3; i++) {
      const [refused] = await subscribeWs(client, 'subscription { userEvents { id } }', variables).waitFor(1);
      expect(refused!.errors?.[0]?.extensions?.['code']).toBe('BAD_REQUEST');
    }
    expect(stack.gateway.events.size).toBe(0);
    const reading = subscribeWs(client, 'subscription { userEvents { id } }');
    await expect.poll(() => stack.gateway.events.size).toBe(1);
    reading.stop();
    await client.dispose();
  });
});

describe('identical subscriptions share one execution per event', () => {
  const stack = useStack({ env: WEBHOOK_ENV });

  it('whatever undeclared variables each sends: 15 subscribers cost one nCore call per event', async () => {
    const url = await stack.listen();
    const query = 'subscription ($id: ID) { userEvents(userId: $id) { id user { parent { firstName } } } }';
    const child = stack.sim.users().find((u) => u.parent_user_id === DEMO_ROOT_ID)!;
    const client = wsClient(url);
    const readings = Array.from({ length: 15 }, (_, i) => subscribeWs(client, query, { id: child.id, [`x${i}`]: i }));
    await expect.poll(() => stack.gateway.events.size).toBe(15);
    stack.sim.clearRequests();
    await postWebhook(url, userEvent('KYC_RESULT', child.id, { user: { ...child } }));
    for (const reading of readings) {
      const [event] = await reading.waitFor(1);
      expect(event!.data?.userEvents?.user?.parent?.firstName).toBe('Khalid');
    }
    expect(stack.calls('getUser')).toBe(1);
    await client.dispose();
  });
});
