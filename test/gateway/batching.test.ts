import { beforeEach, describe, expect, it } from 'vitest';
import type { WireUser } from '../../src/contract/types.ts';
import { graphql } from '../gql/index.ts';
import { restCreate, restTree } from '../support/data.ts';
import { useStack } from '../support/stack.ts';

const UsersWithParents = graphql(`
  query UsersWithParents($first: Int) {
    users(first: $first) {
      nodes { id parent { id firstName } }
    }
  }
`);

const UsersWithParentIds = graphql(`
  query UsersWithParentIds {
    users(first: 50) {
      nodes { id parentUserId parent { id __typename ...ParentRef } }
    }
  }
  fragment ParentRef on User { id }
`);

const SameUserTenTimes = graphql(`
  query SameUserTenTimes($id: ID!) {
    a: user(id: $id) { id }
    b: user(id: $id) { firstName }
    c: user(id: $id) { id firstName }
    d: user(id: $id) { parentUserId }
    e: user(id: $id) { id }
    f: user(id: $id) { id }
    g: user(id: $id) { id }
    h: user(id: $id) { id }
    i: user(id: $id) { id }
    j: user(id: $id) { id }
  }
`);

const SameUserThreePaths = graphql(`
  query SameUserThreePaths($root: ID!, $child: ID!) {
    user(id: $child) {
      parent { id firstName }
      ancestors { id }
    }
    root: user(id: $root) { id children { nodes { id parent { firstName } } } }
  }
`);

const Tree = graphql(`
  query Tree($id: ID!) {
    user(id: $id) {
      id
      children { nodes { id children { nodes { id children { nodes { id } } } } } }
      again: children { nodes { id } }
    }
  }
`);

describe('asking nCore as little as possible', () => {
  const stack = useStack({ simulator: { seed: 'empty' } });
  beforeEach(() => stack.sim.reset());

  /** 10 parents outside the newest 50, then 5 parents inside them, then 45 children of all 15. */
  async function fiftyWithParents(): Promise<{ outside: WireUser[]; inside: WireUser[] }> {
    const outside: WireUser[] = [];
    for (let i = 0; i < 10; i++) outside.push(await restCreate(stack.sim, { first_name: `Outside${i}` }));
    const inside: WireUser[] = [];
    for (let i = 0; i < 5; i++) inside.push(await restCreate(stack.sim, { first_name: `Inside${i}` }));
    const parents = [...outside, ...inside];
    for (let i = 0; i < 45; i++)
      await restCreate(stack.sim, { first_name: `Child${i}`, parent_user_id: parents[i % parents.length]!.id });
    stack.sim.clearRequests();
    return { outside, inside };
  }

  it('loads each distinct parent outside a list of 50 once, and parents inside it not at all', async () => {
    const { outside, inside } = await fiftyWithParents();
    const { body } = await stack.run(UsersWithParents, { first: 50 });
    expect(body.errors).toBeUndefined();
    const nodes = body.data!.users.nodes;
    expect(nodes).toHaveLength(50);
    expect(nodes.filter((n) => n.parent).length).toBe(45);
    expect(stack.calls('listUsers')).toBe(1);
    expect(stack.calls('getUser')).toBe(10);
    const fetched = stack.sim.requests.filter((r) => r.route === 'getUser').map((r) => r.params.id);
    expect(new Set(fetched)).toEqual(new Set(outside.map((u) => u.id)));
    expect(fetched).not.toContain(inside[0]!.id);
  });

  it('answers parent { id } and parentUserId from the reference, with no call', async () => {
    await fiftyWithParents();
    const { body } = await stack.run(UsersWithParentIds, {});
    expect(body.errors).toBeUndefined();
    const withParent = body.data!.users.nodes.filter((n) => n.parent);
    expect(withParent).toHaveLength(45);
    expect(withParent.every((n) => n.parent!.id === n.parentUserId && n.parent!.__typename === 'User')).toBe(true);
    expect(stack.calls()).toBe(1);
  });

  it('costs one call for the same id asked for ten times', async () => {
    const user = await restCreate(stack.sim, { first_name: 'Once' });
    stack.sim.clearRequests();
    const { body } = await stack.run(SameUserTenTimes, { id: user.id });
    expect(body.data?.b?.firstName).toBe('Once');
    expect(stack.calls()).toBe(1);
  });

  it('costs nothing for a user already in hand, whichever path reaches it', async () => {
    const [[root], [child]] = (await restTree(stack.sim, 1, 3)) as [[WireUser], [WireUser]];
    stack.sim.clearRequests();
    const { body } = await stack.run(SameUserThreePaths, { root: root.id, child: child.id });
    expect(body.errors).toBeUndefined();
    expect(body.data?.user?.parent?.firstName).toBe('Root');
    expect(body.data?.user?.ancestors?.map((a) => a.id)).toEqual([root.id]);
    // child and root by id, root's children once; root reached as parent and ancestor costs nothing more.
    expect(stack.calls('getUser')).toBe(2);
    expect(stack.calls('listChildren')).toBe(1);
  });

  it('makes one children call per distinct parent and page in a tree, and nothing more', async () => {
    const levels = await restTree(stack.sim, 3, 3);
    stack.sim.clearRequests();
    const { body } = await stack.run(Tree, { id: levels[0]![0]!.id });
    expect(body.errors).toBeUndefined();
    const leaves = body.data!.user!.children!.nodes.flatMap((c) => c.children!.nodes.flatMap((g) => g.children!.nodes));
    expect(leaves.map((l) => l.id).sort()).toEqual(levels[3]!.map((u) => u.id).sort());
    expect(stack.calls('getUser')).toBe(1);
    expect(stack.calls('listChildren')).toBe(1 + 3 + 9);
    expect(stack.calls()).toBe(14);
  });
});
