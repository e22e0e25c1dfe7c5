import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, DEMO_ROOT_ID, type Simulator } from '../../src/simulator/index.ts';
import { postWebhook, userEvent, WEBHOOK_ENV } from '../support/events.ts';
import { type GatewayProcess, startGatewayProcess } from '../support/process.ts';

const FAMILY = `query Family($id: ID!) {
  user(id: $id) { id firstName status children(first: 10) { nodes { id firstName status children { nodes { id } } } } }
}`;

type Person = { id: string; firstName: string; status: string; children: { nodes: Person[] } };

/** One query on a connection of its own: the primary hands each new connection to the next worker. */
function ask(url: string, query: string, variables: object = {}): Promise<{ data?: { user?: Person } }> {
  const body = JSON.stringify({ query, variables });
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': body.length } },
      (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve(JSON.parse(text)));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('WORKERS=2 without Redis: each worker caches, the primary relays invalidations', () => {
  let sim: Simulator;
  let gateway: GatewayProcess;
  const calls = () => sim.requests.length;
  const family = async () => (await ask(gateway.url, FAMILY, { id: DEMO_ROOT_ID })).data!.user!;
  /** Four reads, so each worker answers at least one. */
  const everywhere = async () => Promise.all([family(), family(), family(), family()]);

  beforeAll(async () => {
    sim = await createSimulator({ seed: 'demo' });
    gateway = await startGatewayProcess({
      NCORE_BASE_URL: sim.url,
      NCORE_API_KEY: sim.apiKey,
      GATEWAY_AUTH: 'none',
      WORKERS: '2',
      CACHE_TTL_MS: '60000',
      LOG_LEVEL: 'info',
      ...WEBHOOK_ENV,
    });
  }, 40_000);

  afterAll(async () => {
    await gateway?.stop();
    await sim?.close();
  });

  it('asks nCore once per worker, then never again', async () => {
    await everywhere();
    sim.clearRequests();
    await everywhere();
    await everywhere();
    expect(calls()).toBe(0);
    // Both workers answered (their log lines carry their pids).
    await expect
      .poll(
        () => new Set([...gateway.output().matchAll(/"pid":(\d+)[^\n]*"graphql operation"/g)].map((m) => m[1])).size,
      )
      .toBe(2);
  });

  it('reads a write made on one worker on every worker at once', async () => {
    const child = (await family()).children.nodes[0]!;
    await ask(gateway.url, 'mutation($id: ID!) { updateUser(id: $id, input: { firstName: "Relayed" }) { id } }', {
      id: child.id,
    });
    for (const root of await everywhere()) expect(root.children.nodes[0]!.firstName).toBe('Relayed');
  });

  it('reads what a webhook reported on every worker at once', async () => {
    const child = (await family()).children.nodes[0]!;
    await fetch(`${sim.url.replace(/\/v1$/, '')}/_sim/users/${child.id}/status`, {
      method: 'POST',
      headers: { apikey: sim.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'SUSPENDED' }),
    });
    const event = userEvent('USER_STATUS_CHANGE', child.id, { new_status: 'SUSPENDED', user: sim.getUser(child.id) });
    expect((await postWebhook(gateway.url, event)).status).toBe(202);
    for (const root of await everywhere()) expect(root.children.nodes[0]!.status).toBe('SUSPENDED');
  });
});
