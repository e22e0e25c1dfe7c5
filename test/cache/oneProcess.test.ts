import pino from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ROOT_ID } from '../../src/simulator/index.ts';
import { postWebhook, userEvent, WEBHOOK_ENV } from '../support/events.ts';
import { type Stack, useStack } from '../support/stack.ts';

/** The README's family tree: the root, its way up, three levels down. */
const FAMILY = `query Family($id: ID!) {
  user(id: $id) {
    id firstName status
    ancestors { id firstName }
    children(first: 10) {
      nodes { id firstName status children { nodes { id firstName status children { nodes { id firstName } } } } }
    }
  }
}`;

type Person = { id: string; firstName: string; status?: string; children?: { nodes: Person[] } };
type Answer = { data?: { user: Person | null } | null; errors?: { extensions?: { code?: string } }[] };

/** Runs a query through `gateway.fetch`; the documents here are plain text, so codegen's output is not touched. */
async function ask(stack: Stack, query: string, variables: object = {}, headers: Record<string, string> = {}) {
  const response = await stack.post(JSON.stringify({ query, variables }), headers);
  return (await response.json()) as Answer;
}

const family = (stack: Stack, headers?: Record<string, string>) => ask(stack, FAMILY, { id: DEMO_ROOT_ID }, headers);
const childOf = (user: Person | null | undefined) => user!.children!.nodes[0]!;

function logLines() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, operations: () => lines.filter((line) => line['msg'] === 'graphql operation') };
}

describe('one process with the cache on', () => {
  const log = logLines();
  const stack = useStack({ env: { CACHE_TTL_MS: '60000', ...WEBHOOK_ENV }, deps: { logger: log.logger } });
  beforeEach(() => {
    stack.sim.clearRequests();
  });

  it('answers a family tree the second time with no nCore call, the same answer, and says so in the log line', async () => {
    const cold = await family(stack);
    expect(cold.errors).toBeUndefined();
    const coldCalls = stack.calls();
    expect(coldCalls).toBeGreaterThan(2);
    stack.sim.clearRequests();
    const warm = await family(stack);
    expect(warm).toEqual(cold);
    expect(stack.calls()).toBe(0);
    const [first, second] = log.operations().slice(-2);
    expect(first).toMatchObject({ upstreamCalls: coldCalls, cacheHits: 0 });
    expect(second).toMatchObject({ upstreamCalls: 0 });
    expect(second!['cacheHits']).toBeGreaterThan(coldCalls - 1);
    const metrics = await (await stack.gateway.fetch('http://gateway.test/metrics')).text();
    expect(metrics).toMatch(/^gateway_cache_reads_total\{kind="user",result="hit"\} [1-9]/m);
    expect(metrics).toMatch(/^gateway_cache_reads_total\{kind="page",result="miss"\} [1-9]/m);
    expect(metrics).toMatch(/^gateway_cache_coherent 1$/m);
    expect(metrics).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  });

  it('reads its own writes at once: updateUser changes the user and the parent\u2019s page; createUser adds to it', async () => {
    const before = await family(stack);
    const child = childOf(before.data?.user);
    const renamed = await ask(
      stack,
      'mutation($id: ID!) { updateUser(id: $id, input: { firstName: "Renamed" }) { id } }',
      {
        id: child.id,
      },
    );
    expect(renamed.errors).toBeUndefined();
    const created = await ask(
      stack,
      'mutation($p: ID!) { createUser(input: { firstName: "Newborn", parentUserId: $p }) { id } }',
      { p: child.id },
    );
    expect(created.errors).toBeUndefined();
    const after = await family(stack);
    const seen = after.data!.user!.children!.nodes.find((c) => c.id === child.id)!;
    expect(seen.firstName).toBe('Renamed');
    expect(seen.children!.nodes.map((c) => c.firstName)).toContain('Newborn');
    const alone = await ask(stack, 'query($id: ID!) { user(id: $id) { firstName } }', { id: child.id });
    expect(alone.data?.user?.firstName).toBe('Renamed');
  });

  it('forgets what a webhook reports: a status changed in nCore is read at once, on its own and in its parent\u2019s page', async () => {
    const child = childOf((await family(stack)).data?.user);
    const changed = await fetch(`${stack.sim.url.replace(/\/v1$/, '')}/_sim/users/${child.id}/status`, {
      method: 'POST',
      headers: { apikey: stack.sim.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'SUSPENDED' }),
    });
    expect(changed.status).toBe(200);
    // Still the cached answer: nCore said nothing the gateway heard yet.
    expect(childOf((await family(stack)).data?.user).status).not.toBe('SUSPENDED');
    const url = await stack.listen();
    const user = stack.sim.getUser(child.id)!;
    const event = userEvent('USER_STATUS_CHANGE', child.id, { old_status: 'ACTIVE', new_status: 'SUSPENDED', user });
    expect((await postWebhook(url, event)).status).toBe(202);
    expect(childOf((await family(stack)).data?.user).status).toBe('SUSPENDED');
    const alone = await ask(stack, 'query($id: ID!) { user(id: $id) { status } }', { id: child.id });
    expect(alone.data?.user?.status).toBe('SUSPENDED');
  });

  it('reads through and refreshes the cache for cache-control: no-cache', async () => {
    const child = childOf((await family(stack)).data?.user);
    // A profile edit made straight in nCore sends no event: the cache cannot know.
    const edited = await fetch(`${stack.sim.url}/users/${child.id}`, {
      method: 'PUT',
      headers: { apikey: stack.sim.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ first_name: 'Edited' }),
    });
    expect(edited.status).toBe(200);
    expect(childOf((await family(stack)).data?.user).firstName).not.toBe('Edited');
    stack.sim.clearRequests();
    const fresh = await family(stack, { 'cache-control': 'no-cache' });
    expect(childOf(fresh.data?.user).firstName).toBe('Edited');
    expect(stack.calls()).toBeGreaterThan(2);
    stack.sim.clearRequests();
    expect(await family(stack)).toEqual(fresh);
    expect(stack.calls()).toBe(0);
  });

  it('makes one nCore call for the same user asked by many operations at once', async () => {
    const { id } = childOf((await family(stack, { 'cache-control': 'no-cache' })).data?.user);
    await ask(stack, 'mutation($id: ID!) { updateUser(id: $id, input: { lastName: "Once" }) { id } }', { id });
    stack.sim.setFaults({ kind: 'latency', ms: 100 });
    stack.sim.clearRequests();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => ask(stack, 'query($id: ID!) { user(id: $id) { id firstName } }', { id })),
    );
    stack.sim.clearFaults();
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(stack.calls('getUser')).toBe(1);
  });
});

describe('an entry lives CACHE_TTL_MS', () => {
  const stack = useStack({ env: { CACHE_TTL_MS: '400' } });

  it('is served within it and read again from nCore after it', async () => {
    await family(stack);
    stack.sim.clearRequests();
    await family(stack);
    expect(stack.calls()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await family(stack);
    expect(stack.calls()).toBeGreaterThan(2);
  });
});

describe('CACHE_TTL_MS=0', () => {
  const stack = useStack({ env: { CACHE_TTL_MS: '0' } });

  it('costs every query exactly its calls, every time, and keeps no cache metrics', async () => {
    const counts: number[] = [];
    for (let i = 0; i < 3; i++) {
      stack.sim.clearRequests();
      await family(stack);
      counts.push(stack.calls());
    }
    // The root, its one page of children, one page per child, one per grandchild (the tree's shape, not the cache's).
    const root = (await family(stack)).data!.user!;
    const children = root.children!.nodes;
    const grandchildren = children.flatMap((c) => c.children!.nodes);
    expect(counts).toEqual([0, 0, 0].map(() => 1 + 1 + children.length + grandchildren.length));
    const metrics = await (await stack.gateway.fetch('http://gateway.test/metrics')).text();
    expect(metrics).not.toContain('gateway_cache_');
  });
});
