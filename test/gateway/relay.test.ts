import { beforeEach, describe, expect, it } from 'vitest';
import type { WireUser } from '../../src/contract/types.ts';
import { graphql } from '../gql/index.ts';
import { restCreate } from '../support/data.ts';
import { useStack } from '../support/stack.ts';

const NodeById = graphql(`
  query NodeById($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on User { firstName lastName parent { firstName } }
    }
  }
`);

const NodesByIds = graphql(`
  query NodesByIds($ids: [ID!]!) {
    nodes(ids: $ids) { __typename id ... on User { firstName } }
  }
`);

const Page = graphql(`
  query RelayPage { users(first: 5) { nodes { id } } }
`);

const EveryWay = graphql(`
  query EveryWay($id: ID!) {
    user(id: $id) { firstName }
    node(id: $id) { id }
    nodes(ids: [$id, $id]) { id ... on User { firstName } }
  }
`);

/** The query Relay's `useRefetchableFragment` writes for a fragment on a `Node` type. */
const Refetch = graphql(`
  query Refetch($id: ID!) {
    node(id: $id) { id ... on User { firstName } }
  }
`);

const MISSING = '00000000-0000-4000-8000-000000000000';
const INVALID = '../users';

describe('Relay object identification: Node, node(id) and nodes(ids)', () => {
  const stack = useStack({ simulator: { seed: 'empty' } });
  beforeEach(() => stack.sim.reset());

  /** `count` users created through nCore's REST API, oldest first; the request log cleared after. */
  async function users(count: number): Promise<WireUser[]> {
    const created: WireUser[] = [];
    for (let i = 0; i < count; i++) created.push(await restCreate(stack.sim, { first_name: `Node${i}` }));
    stack.sim.clearRequests();
    return created;
  }

  it('answers node(id) with the user, and the fields selected through ... on User', async () => {
    const parent = await restCreate(stack.sim, { first_name: 'Mona' });
    const child = await restCreate(stack.sim, { first_name: 'Sami', last_name: 'Aziz', parent_user_id: parent.id });
    stack.sim.clearRequests();
    const { status, body } = await stack.run(NodeById, { id: child.id });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data?.node).toEqual({
      __typename: 'User',
      id: child.id,
      firstName: 'Sami',
      lastName: 'Aziz',
      parent: { firstName: 'Mona' },
    });
    expect(stack.calls('getUser')).toBe(2);
    expect(stack.calls()).toBe(2);
  });

  it('answers node(id) null, with no error, for an id nCore does not have and for one that is not a UUID', async () => {
    const unknown = await stack.run(NodeById, { id: MISSING });
    expect(unknown.body).toEqual({ data: { node: null } });
    expect(stack.calls('getUser')).toBe(1);

    stack.sim.clearRequests();
    for (const id of [INVALID, 'VXNlcjox', '']) {
      const { body } = await stack.run(NodeById, { id });
      expect(body).toEqual({ data: { node: null } });
    }
    expect(stack.calls()).toBe(0);
  });

  it('answers nodes(ids) in the order given, the same length, with null for unknown and invalid ids', async () => {
    const [a, b] = (await users(2)) as [WireUser, WireUser];
    const { body } = await stack.run(NodesByIds, { ids: [b.id, MISSING, a.id, INVALID, b.id] });
    expect(body.errors).toBeUndefined();
    expect(body.data?.nodes).toEqual([
      { __typename: 'User', id: b.id, firstName: 'Node1' },
      null,
      { __typename: 'User', id: a.id, firstName: 'Node0' },
      null,
      { __typename: 'User', id: b.id, firstName: 'Node1' },
    ]);
    // b, the missing id and a: the invalid id and the repeat cost nothing.
    expect(stack.calls('getUser')).toBe(3);
  });

  it('costs one getUser per distinct valid id for 30 ids, all in one round', async () => {
    const created = await users(23);
    // 23 distinct users, 5 repeats of them (one in capitals, the same user), an unknown UUID and an invalid id.
    const repeats = [created[0]!.id, created[5]!.id, created[5]!.id, created[22]!.id, created[9]!.id.toUpperCase()];
    const ids = [...created.map((u) => u.id), ...repeats, MISSING, INVALID];
    // Interleaved, so that repeats are not next to their first occurrence.
    ids.sort((x, y) => x.localeCompare(y));
    expect(ids).toHaveLength(30);
    const byId = new Map(created.map((u) => [u.id, u]));
    // Each answer held back long enough that a call made after another's answer would show in the log.
    const LATENCY_MS = 250;
    stack.sim.setFaults({ route: 'getUser', kind: 'latency', ms: LATENCY_MS });

    const { body } = await stack.run(NodesByIds, { ids });
    expect(body.errors).toBeUndefined();
    expect(body.data?.nodes).toEqual(
      ids.map((id) => {
        const user = byId.get(id.toLowerCase());
        return user ? { __typename: 'User', id: user.id, firstName: user.first_name } : null;
      }),
    );

    const calls = stack.sim.requests.filter((r) => r.route === 'getUser');
    expect(calls).toHaveLength(23 + 1);
    expect(stack.calls()).toBe(24);
    expect(new Set(calls.map((c) => c.params.id))).toEqual(new Set([...byId.keys(), MISSING]));
    // One round: every call arrived before the first could have been answered.
    const arrivals = calls.map((c) => c.at);
    expect(Math.max(...arrivals) - Math.min(...arrivals)).toBeLessThan(LATENCY_MS);
  });

  it('costs one call for a user asked for by user, node and nodes in one operation', async () => {
    const [user] = (await users(1)) as [WireUser];
    const { body } = await stack.run(EveryWay, { id: user.id.toUpperCase() });
    expect(body.errors).toBeUndefined();
    expect(body.data?.nodes.map((n) => n?.firstName)).toEqual([user.first_name, user.first_name]);
    expect(stack.calls('getUser')).toBe(1);
  });

  it('refuses 101 ids with one BAD_USER_INPUT naming ids and the max, before any call; takes 100', async () => {
    const [user] = (await users(1)) as [WireUser];
    const { body } = await stack.run(NodesByIds, { ids: Array.from({ length: 101 }, () => user.id) });
    expect(body.data).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]?.path).toEqual(['nodes']);
    expect(body.errors?.[0]?.message).toBe('nodes takes at most 100 ids, got 101.');
    expect(body.errors?.[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'ids', message: 'must hold at most 100 ids' }],
    });
    expect(stack.calls()).toBe(0);

    const hundred = await stack.run(NodesByIds, { ids: Array.from({ length: 100 }, () => user.id) });
    expect(hundred.body.errors).toBeUndefined();
    expect(hundred.body.data?.nodes).toHaveLength(100);
    expect(stack.calls('getUser')).toBe(1);
  });

  it('costs a call nCore fails its own item only: null with one error at its index', async () => {
    const [a, b, c] = (await users(3)) as [WireUser, WireUser, WireUser];
    stack.sim.setFaults({ route: 'getUser', id: b.id, kind: 'status', status: 500 });
    const { body } = await stack.run(NodesByIds, { ids: [a.id, b.id, c.id] });
    expect(body.data?.nodes).toEqual([
      { __typename: 'User', id: a.id, firstName: 'Node0' },
      null,
      { __typename: 'User', id: c.id, firstName: 'Node2' },
    ]);
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]?.path).toEqual(['nodes', 1]);
    expect(body.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_UNAVAILABLE');
  });

  it("serves Relay's refetch query, with the id a page gave as the node id", async () => {
    const created = await users(3);
    const page = await stack.run(Page);
    const id = page.body.data!.users.nodes[1]!.id;
    stack.sim.clearRequests();
    const { status, body } = await stack.run(Refetch, { id });
    expect(status).toBe(200);
    expect(body).toEqual({ data: { node: { id, firstName: created.find((u) => u.id === id)!.first_name } } });
    expect(stack.calls()).toBe(1);
  });
});
