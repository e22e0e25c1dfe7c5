import { buildSchema, parse, print } from 'graphql';
import { beforeEach, describe, expect, it } from 'vitest';
import type { WireUser } from '../../src/contract/types.ts';
import { typeDefs } from '../../src/schema/index.ts';
import { type Stack, startStack, useStack } from '../support/stack.ts';

/** Subgraph operations are not in schema.graphql (nor in codegen's documents): they are posted as text. */
async function post(stack: Stack, query: string, variables?: object, headers?: Record<string, string>) {
  const response = await stack.post(JSON.stringify({ query, variables }), headers);
  return {
    status: response.status,
    body: (await response.json()) as {
      data?: Record<string, unknown> | null;
      errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
    },
  };
}

function sdlOf(data: Record<string, unknown> | null | undefined): string {
  return (data?.['_service'] as { sdl?: string } | undefined)?.sdl ?? '';
}

const ENTITIES = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on User { id firstName parent { id firstName } } }
}`;

const ref = (id: unknown) => ({ __typename: 'User', id });
const MISSING = '00000000-0000-4000-8000-000000000000';

/** Users of the demo data that have a parent, and distinct ones among them. */
function childrenOf(stack: Stack, count: number): WireUser[] {
  return stack.sim
    .users()
    .filter((u) => u.parent_user_id)
    .slice(0, count);
}

describe('FEDERATION=true: a Federation v2 subgraph', () => {
  const stack = useStack({ env: { FEDERATION: 'true' } });
  beforeEach(() => {
    stack.sim.clearFaults();
    stack.sim.clearRequests();
  });

  it('serves its SDL with @link, User @key(fields: "id") and the whole standalone graph', async () => {
    const { body } = await post(stack, '{ _service { sdl } }');
    const sdl = sdlOf(body.data);
    expect(sdl).toMatch(/extend schema @link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+", import: \[/);
    expect(sdl).toMatch(/type User implements Node @key\(fields: "id"\)/);
    // Every type and field of schema.graphql is in the subgraph, and nothing of the router's machinery.
    const types = (s: string) => parse(s).definitions.flatMap((d) => ('name' in d && d.name ? [d.name.value] : []));
    expect(types(sdl)).toEqual(types(print(typeDefs)));
    expect(sdl).not.toMatch(/_entities|_Service|_Any/);
    expect(stack.calls()).toBe(0);
  });

  it('resolves 100 references with one call per distinct id, all in one batch, in order', async () => {
    const users = childrenOf(stack, 10);
    const representations = Array.from({ length: 100 }, (_, i) => ref(users[i % users.length]!.id));
    const { body } = await post(stack, ENTITIES, { representations });
    expect(body.errors).toBeUndefined();
    const entities = body.data?.['_entities'] as { id: string; firstName: string }[];
    expect(entities.map((e) => e.id)).toEqual(representations.map((r) => r.id));
    const wanted = new Set([...users.map((u) => u.id), ...users.map((u) => u.parent_user_id!)]);
    expect(stack.calls('getUser')).toBe(wanted.size);
    expect(stack.calls()).toBe(wanted.size);
  });

  it('gives null without an error for a user nCore does not have, and the same user in any case', async () => {
    const [user] = childrenOf(stack, 1);
    const representations = [ref(MISSING), ref(user!.id.toUpperCase()), ref('not-a-uuid'), ref(user!.id)];
    const { body } = await post(stack, ENTITIES, { representations });
    expect(body.errors).toBeUndefined();
    const entities = body.data?.['_entities'] as ({ id: string } | null)[];
    expect(entities[0]).toBeNull();
    expect(entities[1]?.id).toBe(user!.id);
    expect(entities[2]).toBeNull();
    expect(entities[3]?.id).toBe(user!.id);
    // The missing id is asked once; the malformed one never reaches nCore.
    expect(stack.calls('getUser')).toBe(3);
  });

  it('refuses references to another type or without an id with one error, and resolves the others', async () => {
    const [user] = childrenOf(stack, 1);
    const representations = [ref(user!.id), { __typename: 'Card', id: user!.id }, { __typename: 'User' }];
    const { body } = await post(stack, ENTITIES, { representations });
    const entities = body.data?.['_entities'] as ({ id: string } | null)[];
    expect(entities[0]?.id).toBe(user!.id);
    expect(entities[1]).toBeNull();
    expect(entities[2]).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]).toMatchObject({
      path: ['_entities', 1],
      extensions: {
        code: 'BAD_USER_INPUT',
        fields: [
          { field: 'representations[1].__typename', message: 'must be "User"' },
          { field: 'representations[2].id', message: 'must be a string' },
        ],
      },
    });
  });

  it('maps an nCore failure to the failing entity only', async () => {
    const [a, b] = childrenOf(stack, 2);
    stack.sim.setFaults({ route: 'getUser', kind: 'status', status: 503, body: 'json' });
    const { body } = await post(
      stack,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id } } }`,
      {
        r: [ref(a!.id), ref(b!.id)],
      },
    );
    expect(body.data?.['_entities']).toEqual([null, null]);
    expect(body.errors?.map((e) => e.extensions?.['code'])).toEqual(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_UNAVAILABLE']);
  });

  it('holds _entities to the call budget, like any query', async () => {
    const users = stack.sim.users().slice(0, 30);
    const budgeted = await startStack({ env: { FEDERATION: 'true', UPSTREAM_CALL_BUDGET: '10' } });
    try {
      const { status, body } = await post(budgeted, ENTITIES, { representations: users.map((u) => ref(u.id)) });
      expect(status).toBe(200);
      expect(body.data).toBeNull();
      expect(body.errors).toHaveLength(1);
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'upstreamCallBudget' });
      expect(budgeted.calls()).toBeLessThanOrEqual(10);
    } finally {
      await budgeted.close();
    }
  });

  it('holds _entities to the depth limit before any call', async () => {
    const [user] = childrenOf(stack, 1);
    const deep = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { ${'parent { '.repeat(20)}id${' }'.repeat(20)} } } }`;
    const { body } = await post(stack, deep, { r: [ref(user!.id)] });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'maxDepth' });
    expect(stack.calls()).toBe(0);
  });
});

describe('FEDERATION=true with auth and in production', () => {
  const stack = useStack({
    env: { FEDERATION: 'true', NODE_ENV: 'production', GATEWAY_AUTH: 'bearer', GATEWAY_TOKENS: 'router-token' },
  });

  it('refuses _entities and _service without a token, with no call', async () => {
    const [user] = stack.sim.users();
    for (const query of [ENTITIES, '{ _service { sdl } }']) {
      const { status, body } = await post(stack, query, { representations: [ref(user!.id)] });
      expect(status).toBe(401);
      expect(body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    }
    expect(stack.calls()).toBe(0);
  });
  // With a token, _service is still refused in production: introspection (security.test.ts).
});

describe('FEDERATION off (the default): the standalone graph only', () => {
  const stack = useStack();

  it('has no _entities, _service or federation types', async () => {
    const { body } = await post(stack, '{ _service { sdl } }');
    expect(body.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
    const { body: types } = await post(stack, '{ __schema { types { name } queryType { fields { name } } } }');
    const schema = types.data?.['__schema'] as { types: { name: string }[]; queryType: { fields: { name: string }[] } };
    expect(schema.queryType.fields.map((f) => f.name).sort()).toEqual([
      'node',
      'nodes',
      'searchUsers',
      'user',
      'users',
    ]);
    const expected = Object.keys(buildSchema(print(typeDefs)).getTypeMap());
    expect(schema.types.map((t) => t.name).sort()).toEqual(expected.sort());
  });
});
