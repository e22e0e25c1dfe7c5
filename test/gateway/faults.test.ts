import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { WireUser } from '../../src/contract/types.ts';
import { graphql } from '../gql/index.ts';
import { restCreate } from '../support/data.ts';
import { startStack, useStack } from '../support/stack.ts';

const OneUser = graphql(`
  query OneUser($id: ID!) {
    user(id: $id) { id firstName }
  }
`);

const Parents = graphql(`
  query Parents {
    users(first: 50) { nodes { id firstName parent { id firstName } } }
  }
`);

const Ancestry = graphql(`
  query Ancestry($id: ID!) {
    user(id: $id) { id ancestors { id } parent { parent { parent { id } } } }
  }
`);

const Create = graphql(`
  mutation Create($input: CreateUserInput!) {
    createUser(input: $input) { id firstName }
  }
`);

const Rename = graphql(`
  mutation Rename($id: ID!, $name: String!) {
    updateUser(id: $id, input: { lastName: $name }) { id lastName }
  }
`);

const Families = graphql(`
  query Families {
    users(first: 10) { nodes { id firstName children { nodes { id } } ancestors { id } } }
  }
`);

/** Settings that keep the suite quick: short timeouts, two retries, a breaker that stays out of the way. */
const FAST = {
  NCORE_TIMEOUT_MS: '300',
  OPERATION_TIMEOUT_MS: '3000',
  NCORE_MAX_RETRIES: '2',
  BREAKER_MIN_CALLS: '1000',
};

describe('upstream failures become precise errors', () => {
  const stack = useStack({ env: FAST, simulator: { seed: 'empty' } });
  /** A create that nCore answers with a 400 naming `fields`. */
  const createRejected = (fields: { field: unknown; message: string }[]) => {
    stack.sim.setFaults({
      route: 'createUser',
      kind: 'status',
      status: 400,
      body: { raw: JSON.stringify({ error: { code: 'VALIDATION_ERROR', message: 'no', fields } }) },
    });
    return stack.run(Create, { input: { firstName: 'Valid' } });
  };
  let user: WireUser;
  beforeEach(async () => {
    stack.sim.reset();
    user = await restCreate(stack.sim, { first_name: 'Amina' });
    stack.sim.clearRequests();
  });

  const statuses: [number, string, number][] = [
    [400, 'BAD_USER_INPUT', 1],
    [401, 'UPSTREAM_UNAUTHORIZED', 1],
    [403, 'UPSTREAM_UNAUTHORIZED', 1],
    [408, 'UPSTREAM_TIMEOUT', 1],
    [409, 'CONFLICT', 1],
    [418, 'UPSTREAM_BAD_RESPONSE', 1],
    [429, 'RATE_LIMITED', 3],
    [500, 'UPSTREAM_UNAVAILABLE', 1],
    [501, 'UPSTREAM_BAD_RESPONSE', 1],
    [502, 'UPSTREAM_UNAVAILABLE', 3],
    [503, 'UPSTREAM_UNAVAILABLE', 3],
    [504, 'UPSTREAM_TIMEOUT', 3],
  ];
  it.each(statuses)('maps %i to %s after %i attempt(s)', async (status, code, attempts) => {
    stack.sim.setFaults({ route: 'getUser', kind: 'status', status, body: 'json' });
    const { status: http, body } = await stack.run(OneUser, { id: user.id });
    expect(http).toBe(200);
    expect(body.data?.user).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code, upstreamStatus: status });
    expect(body.errors?.[0]?.path).toEqual(['user']);
    expect(stack.calls('getUser')).toBe(attempts);
  });

  it("names the fields of an upstream 400 as the GraphQL input names them, without nCore's text", async () => {
    const fields = [
      { field: 'date_of_birth', message: 'upstream says 1990-01-01 is wrong' },
      { field: 'address.postal_code', message: 'bad' },
    ];
    const { body } = await createRejected(fields);
    expect(body.errors?.[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      upstreamStatus: 400,
      fields: [
        { field: 'dateOfBirth', message: 'nCore rejected this field.' },
        { field: 'address.postalCode', message: 'nCore rejected this field.' },
      ],
    });
  });

  it('passes only names of known input fields from an upstream 400, dropping any other text in their place', async () => {
    const fields = [
      { field: 'john@mail.com SECRETVALUE', message: 'x' },
      { field: 'email', message: 'x' },
      { field: 'company_address.city', message: 'x' },
      { field: 'address.john@mail.com', message: 'x' },
      { field: 'internal_risk_score', message: 'x' },
      { field: 'status', message: 'x' },
      { field: 42, message: 'x' },
    ];
    const { body } = await createRejected(fields);
    expect(body.errors?.[0]?.extensions?.['fields']).toEqual([
      { field: 'email', message: 'nCore rejected this field.' },
      { field: 'companyAddress.city', message: 'nCore rejected this field.' },
    ]);
    const text = JSON.stringify(body);
    for (const leak of ['john@mail.com', 'SECRETVALUE', 'internal', 'risk']) expect(text).not.toContain(leak);
  });

  it('answers null, not an error, for a 404', async () => {
    stack.sim.setFaults({ route: 'getUser', kind: 'status', status: 404, body: 'json' });
    const { body } = await stack.run(OneUser, { id: user.id });
    expect(body).toEqual({ data: { user: null } });
  });

  it.each([
    ['an empty 200', { kind: 'status', status: 200, body: 'empty' }],
    ['an HTML 200', { kind: 'status', status: 200, body: 'html' }],
    ['truncated JSON', { kind: 'malformed' }],
    ['JSON of another shape', { kind: 'status', status: 200, body: { raw: '{"result":{"name":"x"}}' } }],
    ['a JSON array', { kind: 'status', status: 200, body: { raw: '[1,2,3]' } }],
  ] as const)('maps %s to UPSTREAM_BAD_RESPONSE', async (_, fault) => {
    stack.sim.setFaults({ route: 'getUser', ...fault });
    const { body } = await stack.run(OneUser, { id: user.id });
    expect(body.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_BAD_RESPONSE');
    expect(body.errors?.[0]?.message).toMatch(/^nCore sent a response the gateway cannot read/);
  });

  it('refuses an answer over 16 MB without reading the rest or retrying, and keeps serving', async () => {
    // 16 MB takes a busy machine longer than this suite's 300 ms call timeout to read: a stack of its own.
    const slow = await startStack({ env: { ...FAST, NCORE_TIMEOUT_MS: '10000' }, simulator: { seed: [user] } });
    try {
      const huge = JSON.stringify({ id: user.id, first_name: 'x'.repeat(17 * 1024 * 1024) });
      slow.sim.setFaults({ route: 'getUser', kind: 'status', status: 200, times: 1, body: { raw: huge } });
      const { body } = await slow.run(OneUser, { id: user.id });
      expect(body.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_BAD_RESPONSE');
      expect(body.errors?.[0]?.message).toMatch(/^nCore sent a response the gateway cannot read/);
      expect(slow.calls('getUser')).toBe(1);
      const again = await slow.run(OneUser, { id: user.id });
      expect(again.body).toEqual({ data: { user: { id: user.id, firstName: 'Amina' } } });
    } finally {
      await slow.close();
    }
  });

  it.each(['empty', 'html'] as const)('keeps the status meaning of a 503 with an %s body', async (kind) => {
    stack.sim.setFaults({ route: 'getUser', kind: 'status', status: 503, body: kind });
    const { body } = await stack.run(OneUser, { id: user.id });
    expect(body.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('retries a dropped connection and succeeds', async () => {
    stack.sim.setFaults({ route: 'getUser', kind: 'drop', times: 1 });
    const { body } = await stack.run(OneUser, { id: user.id });
    expect(body.errors).toBeUndefined();
    expect(body.data?.user?.firstName).toBe('Amina');
    expect(stack.calls('getUser')).toBe(2);
  });

  it('answers UPSTREAM_UNAVAILABLE when every attempt is dropped', async () => {
    stack.sim.setFaults({ route: 'getUser', kind: 'drop' });
    const { body } = await stack.run(OneUser, { id: user.id });
    expect(body.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_UNAVAILABLE');
    expect(stack.calls('getUser')).toBe(3);
  });

  it('times out a call that never answers, without retrying it', async () => {
    stack.sim.setFaults({ route: 'getUser', kind: 'hang' });
    const { body } = await stack.run(OneUser, { id: user.id });
    expect(body.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_TIMEOUT');
    expect(stack.calls('getUser')).toBe(1);
  });

  it('times out a body that stalls half way', async () => {
    stack.sim.setFaults({ route: 'getUser', kind: 'stall' });
    const { body } = await stack.run(OneUser, { id: user.id });
    expect(body.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_TIMEOUT');
  });

  it('does not retry an answer cut off half way: nCore answered, and its status is kept', async () => {
    stack.sim.setFaults({ route: 'getUser', kind: 'cut' });
    const { body } = await stack.run(OneUser, { id: user.id });
    expect(body.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_UNAVAILABLE');
    expect(stack.calls('getUser')).toBe(1);
  });

  it('waits as long as Retry-After asks before retrying a 429', async () => {
    stack.sim.setFaults({ route: 'getUser', kind: 'status', status: 429, body: 'json', retryAfter: 1, times: 1 });
    const { body } = await stack.run(OneUser, { id: user.id });
    expect(body.data?.user?.firstName).toBe('Amina');
    const [first, second] = stack.sim.requests.filter((r) => r.route === 'getUser');
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
  });

  it('gives up at once when Retry-After reaches past the operation deadline', async () => {
    stack.sim.setFaults({ route: 'getUser', kind: 'status', status: 429, body: 'json', retryAfter: 60 });
    const { body } = await stack.run(OneUser, { id: user.id });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 60 });
    expect(stack.calls('getUser')).toBe(1);
  });

  it('creates exactly one user when createUser is retried after a 503 that followed the write', async () => {
    stack.sim.setFaults({
      route: 'createUser',
      kind: 'status',
      status: 503,
      body: 'json',
      times: 1,
      afterCommit: true,
    });
    const { body } = await stack.run(Create, { input: { firstName: 'Retried' } });
    expect(body.errors).toBeUndefined();
    const attempts = stack.sim.requests.filter((r) => r.route === 'createUser');
    expect(attempts).toHaveLength(2);
    expect(attempts[0]!.headers['x-nymos-idempotency-key']).toBe(attempts[1]!.headers['x-nymos-idempotency-key']);
    expect(stack.sim.users().filter((u) => u.first_name === 'Retried')).toHaveLength(1);
  });

  it('retries an update whose answer was lost, and the update lands once', async () => {
    stack.sim.setFaults({ route: 'updateUser', kind: 'drop', times: 1, afterCommit: true });
    const { body } = await stack.run(Rename, { id: user.id, name: 'Retried' });
    expect(body.data?.updateUser.lastName).toBe('Retried');
    expect(stack.calls('updateUser')).toBe(2);
  });

  it('honours Retry-After given as an HTTP date', async () => {
    const inOneSecond = new Date(Date.now() + 1500).toUTCString();
    stack.sim.setFaults({
      route: 'getUser',
      kind: 'status',
      status: 503,
      body: 'json',
      retryAfter: inOneSecond,
      times: 1,
    });
    const { body } = await stack.run(OneUser, { id: user.id });
    expect(body.data?.user?.firstName).toBe('Amina');
    const [first, second] = stack.sim.requests.filter((r) => r.route === 'getUser');
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(450);
  });

  it('does not retry when Retry-After asks for longer than the gateway ever waits', async () => {
    stack.sim.setFaults({ route: 'getUser', kind: 'status', status: 503, body: 'json', retryAfter: 30 });
    const { body } = await stack.run(OneUser, { id: user.id });
    expect(body.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_UNAVAILABLE');
    expect(stack.calls('getUser')).toBe(1);
  });

  it('costs only those fields when one children page and one ancestor fail among many', async () => {
    for (let i = 0; i < 5; i++) {
      const parent = await restCreate(stack.sim, { first_name: `Family${i}` });
      await restCreate(stack.sim, { first_name: `Kid${i}`, parent_user_id: parent.id });
    }
    stack.sim.clearRequests();
    stack.sim.setFaults({ route: 'listChildren', kind: 'status', status: 500, body: 'json', times: 1 });
    const { body } = await stack.run(Families, {});
    const nodes = body.data!.users.nodes;
    expect(nodes).toHaveLength(10);
    expect(nodes.filter((n) => n.children === null)).toHaveLength(1);
    expect(nodes.filter((n) => n.children !== null)).toHaveLength(9);
    expect(nodes.every((n) => n.ancestors !== null)).toBe(true);
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]?.path?.slice(-1)).toEqual(['children']);
  });

  it('costs only the one field when one parent among fifty fails', async () => {
    const parents: WireUser[] = [];
    for (let i = 0; i < 50; i++) parents.push(await restCreate(stack.sim, { first_name: `Parent${i}` }));
    for (let i = 0; i < 50; i++)
      await restCreate(stack.sim, { first_name: `Child${i}`, parent_user_id: parents[i]!.id });
    stack.sim.setFaults({ route: 'getUser', kind: 'status', status: 500, body: 'json', times: 1 });
    const { body } = await stack.run(Parents, {});
    const nodes = body.data!.users.nodes;
    expect(nodes).toHaveLength(50);
    expect(nodes.filter((n) => n.parent === null)).toHaveLength(1);
    expect(nodes.filter((n) => n.parent?.firstName.startsWith('Parent'))).toHaveLength(49);
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]?.path).toEqual(['users', 'nodes', nodes.findIndex((n) => n.parent === null), 'parent']);
  });

  it('never loops on a parent cycle that exists upstream', async () => {
    const a = await restCreate(stack.sim, { first_name: 'A' });
    const b = await restCreate(stack.sim, { first_name: 'B', parent_user_id: a.id });
    stack.sim.insertRaw({ ...a, parent_user_id: b.id });
    const { body } = await stack.run(Ancestry, { id: a.id });
    expect(body.errors).toBeUndefined();
    expect(body.data?.user?.ancestors).toEqual([{ id: b.id }]);
    expect(body.data?.user?.parent?.parent?.parent?.id).toBe(b.id);
  });
});

describe('deadlines and an unreachable nCore', () => {
  it('answers UPSTREAM_UNAVAILABLE when nothing listens where nCore should be', async () => {
    const stack = await startStack({ env: { NCORE_MAX_RETRIES: '1' }, simulator: { seed: 'empty' } });
    const user = await restCreate(stack.sim, { first_name: 'Gone' });
    await stack.sim.close();
    const { body } = await stack.run(OneUser, { id: user.id });
    expect(body.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_UNAVAILABLE');
    await stack.gateway.close();
  });

  it('stops a chain of slow calls at the operation deadline', async () => {
    const stack = await startStack({
      env: { OPERATION_TIMEOUT_MS: '500', NCORE_TIMEOUT_MS: '5000' },
      simulator: { seed: 'empty' },
    });
    try {
      const levels = [await restCreate(stack.sim, { first_name: 'L0' })];
      for (let i = 1; i < 6; i++)
        levels.push(await restCreate(stack.sim, { first_name: `L${i}`, parent_user_id: levels[i - 1]!.id }));
      stack.sim.clearRequests();
      stack.sim.setFaults({ kind: 'latency', ms: 200 });
      const started = Date.now();
      const { body } = await stack.run(Ancestry, { id: levels[5]!.id });
      expect(Date.now() - started).toBeLessThan(2000);
      expect(body.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_TIMEOUT');
      expect(stack.calls()).toBeLessThan(6);
    } finally {
      await stack.close();
    }
  });

  it('fails a call still queued for a socket as soon as the operation deadline passes', async () => {
    const stack = await startStack({
      env: { NCORE_CONNECTIONS: '1', OPERATION_TIMEOUT_MS: '300', NCORE_TIMEOUT_MS: '5000' },
      simulator: { seed: 'empty' },
    });
    try {
      const user = await restCreate(stack.sim, { first_name: 'Queued' });
      stack.sim.clearRequests();
      // The readiness check holds the pool's one connection for its own 2 s, on a call nCore never answers.
      stack.sim.setFaults({ route: 'listUsers', kind: 'hang' });
      const ready = stack.gateway.fetch('http://gateway.test/ready');
      await vi.waitFor(() => expect(stack.calls('listUsers')).toBe(1));
      const started = Date.now();
      const { body } = await stack.run(OneUser, { id: user.id });
      expect(body.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_TIMEOUT');
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(await (await ready).json()).toEqual({ status: 'ready', ncore: 'down: UPSTREAM_TIMEOUT' });
      // Dropped before it was written: nCore never saw it.
      expect(stack.calls('getUser')).toBe(0);
    } finally {
      await stack.close();
    }
  });
});

describe('upstream data in shapes the contract does not promise', () => {
  const stack = useStack({ simulator: { seed: 'empty' } });

  it('reads a null parent id as no parent, and passes other timestamp formats through', async () => {
    const root = await restCreate(stack.sim, { first_name: 'Root' });
    const odd = await restCreate(stack.sim, { first_name: 'Odd' });
    stack.sim.insertRaw({ ...root, parent_user_id: null as never, created: '2021-05-27T18:48:00+0000' });
    stack.sim.insertRaw({ ...odd, parent_user_id: root.id, modified: '2021-05-27 18:48:00' });
    const { body } = await stack.run(Ancestry, { id: odd.id });
    expect(body.errors).toBeUndefined();
    expect(body.data?.user?.ancestors).toEqual([{ id: root.id }]);
    const both = await stack.post(
      JSON.stringify({
        query: `{ a: user(id: "${root.id}") { created parent { id } } b: user(id: "${odd.id}") { modified } }`,
      }),
    );
    expect(await both.json()).toEqual({
      data: { a: { created: '2021-05-27T18:48:00+0000', parent: null }, b: { modified: '2021-05-27 18:48:00' } },
    });
  });

  it('finds a user asked for in capitals among those already in hand', async () => {
    const user = await restCreate(stack.sim, { first_name: 'Cased' });
    stack.sim.clearRequests();
    const { body } = await stack.run(OneUser, { id: user.id.toUpperCase() });
    expect(body.data?.user?.firstName).toBe('Cased');
    const again = await stack.post(
      JSON.stringify({ query: `{ a: user(id: "${user.id}") { id } b: user(id: "${user.id.toUpperCase()}") { id } }` }),
    );
    expect((await again.json()).data.a.id).toBe(user.id);
    expect(stack.calls('getUser')).toBe(2);
  });
});
