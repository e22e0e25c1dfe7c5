import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ROOT_ID } from '../../src/simulator/index.ts';
import { postWebhook, type Reading, subscribeSse, userEvent, WEBHOOK_ENV } from '../support/events.ts';
import { type GatewayProcess, startGatewayProcess } from '../support/process.ts';

const EVENTS = 'subscription { userEvents { id type userId user { firstName parent { firstName } } } }';

async function createChild(url: string, firstName: string): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: `mutation { createUser(input: { firstName: "${firstName}", parentUserId: "${DEMO_ROOT_ID}" }) { id } }`,
    }),
  });
  return ((await response.json()) as { data: { createUser: { id: string } } }).data.createUser.id;
}

describe('npm start over the embedded simulator', () => {
  let gateway: GatewayProcess;
  beforeAll(async () => {
    gateway = await startGatewayProcess();
  }, 40_000);
  afterAll(() => gateway?.stop());

  it('shows live events with no set-up: a create arrives as USER_CREATED with its parent', async () => {
    const reading = await subscribeSse(gateway.url, EVENTS);
    const id = await createChild(gateway.url, 'Zain');
    const [result] = await reading.waitFor(1);
    expect(result!.data?.userEvents).toMatchObject({
      type: 'USER_CREATED',
      userId: id,
      user: { firstName: 'Zain', parent: { firstName: 'Khalid' } },
    });
    reading.stop();
    // Log lines leave in batches, within 250 ms.
    await expect.poll(() => gateway.output()).toContain('the embedded simulator delivers its webhooks to this gateway');
    expect(gateway.output()).not.toMatch(/NCORE_WEBHOOK_PASSWORD|basic_auth_password/);
  });
});

describe('WORKERS=2 without Redis: the primary relays events and holds the tokens', () => {
  let gateway: GatewayProcess;
  const readings: Reading[] = [];
  beforeAll(async () => {
    gateway = await startGatewayProcess({ WORKERS: '2', ...WEBHOOK_ENV });
  }, 40_000);
  afterAll(async () => {
    for (const r of readings) r.stop();
    await gateway?.stop();
  });

  it('every subscriber on every worker hears each event once, however many workers it was posted to', async () => {
    // Connections are spread over the workers; four make it all but certain both serve some.
    for (let i = 0; i < 4; i++) readings.push(await subscribeSse(gateway.url, EVENTS));
    const event = userEvent('USER_CREATED', DEMO_ROOT_ID);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await postWebhook(gateway.url, event)).status);
    expect(statuses.sort()).toEqual([200, 200, 200, 202]);
    const id = await createChild(gateway.url, 'Rania');
    for (const reading of readings) await reading.waitFor(2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const reading of readings)
      expect(reading.results.map((r) => r.data?.userEvents?.userId)).toEqual([DEMO_ROOT_ID, id]);
  });
});
