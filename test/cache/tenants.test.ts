import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, DEMO_ROOT_ID, demoSeed, type Simulator } from '../../src/simulator/index.ts';
import { type Stack, startStack } from '../support/stack.ts';

const FAMILY = `query Family($id: ID!) {
  user(id: $id) { id firstName children(first: 10) { nodes { id firstName children { nodes { id firstName } } } } }
}`;

type Person = { id: string; firstName: string; children?: { nodes: Person[] } };
type Answer = { data?: { user?: Person | null } | null; errors?: { extensions?: { code?: string } }[] };

/**
 * Two nCore tenants behind one base URL, told apart by their key as nCore does: each key reaches its own
 * simulator, which holds the same ids with other names; a key neither knows is refused (401).
 */
async function twoTenants(first: Simulator, second: Simulator): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const target = request.headers['apikey'] === second.apiKey ? second : first;
    const upstream = await fetch(new URL(request.url!, target.url).href, {
      method: request.method,
      headers: Object.fromEntries(
        Object.entries(request.headers).filter(([name]) => ['apikey', 'content-type', 'accept'].includes(name)),
      ) as Record<string, string>,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    response.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'text/plain' });
    response.end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('forward mode: each caller key is a tenant of its own', () => {
  let mine: Simulator;
  let theirs: Simulator;
  let proxy: Awaited<ReturnType<typeof twoTenants>>;
  let stack: Stack;

  const ask = async (apikey: string, query = FAMILY, headers: Record<string, string> = {}): Promise<Answer> => {
    const response = await stack.post(JSON.stringify({ query, variables: { id: DEMO_ROOT_ID } }), {
      apikey,
      ...headers,
    });
    return (await response.json()) as Answer;
  };
  const calls = (sim: Simulator) => sim.requests.length;

  beforeAll(async () => {
    mine = await createSimulator({ seed: 'demo', apiKey: 'tenant-one-key' });
    theirs = await createSimulator({
      seed: demoSeed().map((user) => ({ ...user, first_name: `Other ${user.first_name}` })),
      apiKey: 'tenant-two-key',
    });
    proxy = await twoTenants(mine, theirs);
    stack = await startStack({
      env: { NCORE_BASE_URL: proxy.url, NCORE_API_KEY: '', GATEWAY_AUTH: 'forward', CACHE_TTL_MS: '60000' },
    });
  });

  afterAll(async () => {
    await stack?.close();
    await proxy?.close();
    await Promise.all([mine?.close(), theirs?.close()]);
  });

  it('never answers one tenant with the other\u2019s entries, and caches each for itself', async () => {
    const one = await ask(mine.apiKey);
    expect(one.errors).toBeUndefined();
    expect(one.data?.user?.firstName).toBe('Khalid');
    mine.clearRequests();
    expect(await ask(mine.apiKey)).toEqual(one);
    expect(calls(mine)).toBe(0);

    const two = await ask(theirs.apiKey);
    expect(two.errors).toBeUndefined();
    expect(two.data?.user?.firstName).toBe('Other Khalid');
    const names = (answer: Answer) => JSON.stringify(answer.data).match(/"firstName":"[^"]*"/g)!;
    expect(names(two).every((name) => name.startsWith('"firstName":"Other '))).toBe(true);
    expect(calls(theirs)).toBeGreaterThan(2);
    theirs.clearRequests();
    expect(await ask(theirs.apiKey)).toEqual(two);
    expect(calls(theirs)).toBe(0);
  });

  it('answers a key nCore refuses with UPSTREAM_UNAUTHORIZED, never with cached data', async () => {
    await ask(mine.apiKey);
    for (const query of [FAMILY, 'query($id: ID!) { user(id: $id) { firstName } }']) {
      const refused = await ask('a-key-nobody-issued', query);
      expect(refused.data?.user ?? null).toBeNull();
      expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['UPSTREAM_UNAUTHORIZED']);
    }
  });

  it('reads through for cache-control: no-cache under the caller\u2019s own key', async () => {
    await ask(mine.apiKey);
    mine.clearRequests();
    const fresh = await ask(mine.apiKey, FAMILY, { 'cache-control': 'no-cache' });
    expect(fresh.data?.user?.firstName).toBe('Khalid');
    expect(calls(mine)).toBeGreaterThan(2);
    expect(mine.requests.every((r) => r.headers['apikey'] === mine.apiKey)).toBe(true);
  });
});
