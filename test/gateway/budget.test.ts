import { beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.ts';
import { restCreate } from '../support/data.ts';
import { useStack } from '../support/stack.ts';

const WithParents = graphql(`
  query BudgetParents {
    users(first: 20) { nodes { id parent { firstName } } }
  }
`);

const AdoptAndRead = graphql(`
  mutation BudgetAdopt($id: ID!, $parent: ID!) {
    updateUser(id: $id, input: { parentUserId: $parent }) {
      id
      firstName
      ancestors { firstName }
      parent { firstName children { nodes { id } } }
    }
  }
`);

describe('the upstream call budget', () => {
  const stack = useStack({ env: { UPSTREAM_CALL_BUDGET: '5' }, simulator: { seed: 'empty' } });
  beforeAll(async () => {
    const parents = [];
    for (let i = 0; i < 10; i++) parents.push(await restCreate(stack.sim, { first_name: `Parent${i}` }));
    for (let i = 0; i < 20; i++)
      await restCreate(stack.sim, { first_name: `Child${i}`, parent_user_id: parents[i % 10]!.id });
  });

  it('stops a query that needs more nCore calls than allowed, with one error naming the limit', async () => {
    stack.sim.clearRequests();
    const { body } = await stack.run(WithParents, {});
    expect(body.data).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]?.message).toBe('This operation needs more than 5 nCore calls, the limit per operation.');
    expect(body.errors?.[0]?.extensions).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      limit: 'upstreamCallBudget',
      max: 5,
    });
    expect(stack.calls()).toBe(5);
  });

  it('keeps the data of a mutation that ran before the budget was spent', async () => {
    const [a, b, c, d, e] = await Promise.all(
      ['A', 'B', 'C', 'D', 'E'].map((n) => restCreate(stack.sim, { first_name: n })),
    );
    for (const [child, parent] of [
      [b, c],
      [c, d],
      [d, e],
    ] as const) {
      await fetch(`${stack.sim.url}/users/${child!.id}`, {
        method: 'PUT',
        headers: { apikey: stack.sim.apiKey, 'content-type': 'application/json' },
        body: JSON.stringify({ parent_user_id: parent!.id }),
      });
    }
    stack.sim.clearRequests();
    const { body } = await stack.run(AdoptAndRead, { id: a!.id, parent: b!.id });
    // b and its ancestors c, d, e (the cycle check), then the PUT: the budget is spent; b's children are one call too many.
    expect(body.data?.updateUser).toEqual({
      id: a!.id,
      firstName: 'A',
      ancestors: [{ firstName: 'B' }, { firstName: 'C' }, { firstName: 'D' }, { firstName: 'E' }],
      parent: { firstName: 'B', children: null },
    });
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]?.extensions?.['code']).toBe('QUERY_TOO_COMPLEX');
    expect(stack.calls()).toBe(5);
    expect(stack.sim.getUser(a!.id)?.parent_user_id).toBe(b!.id);
  });
});
