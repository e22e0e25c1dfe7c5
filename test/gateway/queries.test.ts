import { beforeEach, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.ts';
import { restCreate, restTree } from '../support/data.ts';
import { useStack } from '../support/stack.ts';

const UserById = graphql(`
  query UserById($id: ID!) {
    user(id: $id) {
      id
      firstName
      lastName
      dateOfBirth
      email
      mobile
      userType
      status
      gender
      created
      modified
      nationality
      defaultUser
      directorList
      parentUserId
      relationshipWithParent
      monthlySalary
      address { addressLine1 city postalCode country }
    }
  }
`);

const UsersPage = graphql(`
  query UsersPage($first: Int, $after: String) {
    users(first: $first, after: $after) {
      nodes { id firstName }
      edges { cursor node { id } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const SearchPage = graphql(`
  query SearchPage($filter: UserSearchFilter!, $first: Int, $after: String) {
    searchUsers(filter: $filter, first: $first, after: $after) {
      nodes { id firstName lastName }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const ChildrenPage = graphql(`
  query ChildrenPage($id: ID!, $first: Int, $after: String) {
    user(id: $id) {
      children(first: $first, after: $after) {
        nodes { id firstName parentUserId }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);

const FiveLevels = graphql(`
  query FiveLevels($id: ID!) {
    user(id: $id) {
      id
      children { nodes { id children { nodes { id children { nodes { id children { nodes { id children { nodes { id ancestors { id } } } } } } } } } } }
    }
  }
`);

const Status = graphql(`
  query Status($id: ID!) {
    user(id: $id) { id firstName status userType }
  }
`);

/** Follows `next` from the first page to the last, returning every page. */
async function allPages<P extends { pageInfo: { hasNextPage: boolean; endCursor?: string | null } }>(
  fetchPage: (after?: string) => Promise<P>,
): Promise<P[]> {
  const pages: P[] = [];
  let after: string | undefined;
  for (let guard = 0; guard < 50; guard++) {
    const page = await fetchPage(after);
    pages.push(page);
    if (!page.pageInfo.hasNextPage) return pages;
    after = page.pageInfo.endCursor ?? undefined;
  }
  throw new Error('paging never ended');
}

describe('reading users', () => {
  const stack = useStack({ simulator: { seed: 'empty' } });
  beforeEach(() => stack.sim.reset());

  it('returns every wire field under its camelCase name', async () => {
    const parent = await restCreate(stack.sim, { first_name: 'Layla' });
    const user = await restCreate(stack.sim, {
      first_name: 'Omar',
      last_name: 'Haddad',
      date_of_birth: '1990-04-12',
      email: 'omar@example.com',
      mobile: '+971501234567',
      gender: 'MALE',
      nationality: 'ARE',
      monthly_salary: 12000.5,
      parent_user_id: parent.id,
      relationship_with_parent: 'SON',
      address: { address_line1: 'Villa 12', city: 'Dubai', postal_code: '00000', country: 'ARE' },
    });
    const { status, body } = await stack.run(UserById, { id: user.id });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data?.user).toEqual({
      id: user.id,
      firstName: 'Omar',
      lastName: 'Haddad',
      dateOfBirth: '1990-04-12',
      email: 'omar@example.com',
      mobile: '+971501234567',
      userType: 'INDIVIDUAL',
      status: 'ACTIVE',
      gender: 'MALE',
      created: user.created,
      modified: user.modified,
      nationality: 'ARE',
      defaultUser: false,
      directorList: [],
      parentUserId: parent.id,
      relationshipWithParent: 'SON',
      monthlySalary: 12000.5,
      address: { addressLine1: 'Villa 12', city: 'Dubai', postalCode: '00000', country: 'ARE' },
    });
  });

  it('answers null for an id nCore does not have', async () => {
    const { body } = await stack.run(UserById, { id: '00000000-0000-4000-8000-000000000000' });
    expect(body.errors).toBeUndefined();
    expect(body.data?.user).toBeNull();
    expect(stack.calls('getUser')).toBe(1);
  });

  it('refuses an id that is not a UUID without calling nCore', async () => {
    const { body } = await stack.run(UserById, { id: '../users' });
    expect(body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(stack.calls()).toBe(0);
  });

  it('pages through every user, newest first, with nCore cursors passed through', async () => {
    const created = [];
    for (let i = 0; i < 45; i++) created.push(await restCreate(stack.sim, { first_name: `User${i}` }));
    const pages = await allPages(async (after) => (await stack.run(UsersPage, { first: 20, after })).body.data!.users);
    expect(pages.map((p) => p.nodes.length)).toEqual([20, 20, 5]);
    expect(pages.flatMap((p) => p.nodes.map((n) => n.id))).toEqual(created.map((u) => u.id).reverse());
    expect(pages.at(-1)?.pageInfo).toEqual({ hasNextPage: false, endCursor: null });
    const first = pages[0]!;
    expect(first.edges.at(-1)?.cursor).toBe(first.pageInfo.endCursor);
    expect(first.edges[0]?.cursor).toBeNull();
    expect(stack.sim.requests.filter((r) => r.route === 'listUsers').map((r) => r.query['limit'])).toEqual([
      '20',
      '20',
      '20',
    ]);
  });

  it('pages through every search result', async () => {
    for (let i = 0; i < 25; i++) await restCreate(stack.sim, { first_name: `Zainab${i}`, last_name: 'Qureshi' });
    await restCreate(stack.sim, { first_name: 'Someone', last_name: 'Else' });
    const pages = await allPages(
      async (after) =>
        (await stack.run(SearchPage, { filter: { name: 'zainab' }, first: 10, after })).body.data!.searchUsers,
    );
    expect(pages.map((p) => p.nodes.length)).toEqual([10, 10, 5]);
    expect(new Set(pages.flatMap((p) => p.nodes.map((n) => n.lastName)))).toEqual(new Set(['Qureshi']));
    const bodies = stack.sim.requests.filter((r) => r.route === 'searchUsers').map((r) => r.body);
    expect(bodies[0]).toEqual({ name: 'zainab', limit: 10 });
  });

  it('refuses an empty search filter without calling nCore', async () => {
    const { body } = await stack.run(SearchPage, { filter: { name: '  ' } });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'filter' }] });
    expect(stack.calls()).toBe(0);
  });

  it('pages through every child of a user', async () => {
    const parent = await restCreate(stack.sim, { first_name: 'Mother' });
    for (let i = 0; i < 23; i++) await restCreate(stack.sim, { first_name: `Kid${i}`, parent_user_id: parent.id });
    const pages = await allPages(
      async (after) => (await stack.run(ChildrenPage, { id: parent.id, first: 10, after })).body.data!.user!.children!,
    );
    expect(pages.map((p) => p.nodes.length)).toEqual([10, 10, 3]);
    expect(pages.flatMap((p) => p.nodes).every((n) => n.parentUserId === parent.id)).toBe(true);
    expect(new Set(pages.flatMap((p) => p.nodes.map((n) => n.id))).size).toBe(23);
  });

  it('refuses a page size outside 1 to 100 without calling nCore', async () => {
    for (const first of [0, 101, -1]) {
      const { body } = await stack.run(UsersPage, { first });
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'first' }] });
    }
    expect(stack.calls()).toBe(0);
  });

  it('walks a tree five levels deep in one query', async () => {
    const levels = await restTree(stack.sim, 5, 1);
    const { body } = await stack.run(FiveLevels, { id: levels[0]![0]!.id });
    expect(body.errors).toBeUndefined();
    const l1 = body.data!.user!.children!.nodes[0]!;
    const l5 = l1.children!.nodes[0]!.children!.nodes[0]!.children!.nodes[0]!.children!.nodes[0]!;
    expect(l5.id).toBe(levels[5]![0]!.id);
    expect(l5.ancestors!.map((a) => a.id)).toEqual([4, 3, 2, 1, 0].map((l) => levels[l]![0]!.id));
  });

  it('costs only the one field when nCore sends an enum value the schema does not know', async () => {
    const user = await restCreate(stack.sim, { first_name: 'Noor' });
    stack.sim.insertRaw({ ...user, status: 'UNDER_REVIEW' });
    const { status, body } = await stack.run(Status, { id: user.id });
    expect(status).toBe(200);
    expect(body.data?.user).toEqual({ id: user.id, firstName: 'Noor', status: null, userType: 'INDIVIDUAL' });
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]?.path).toEqual(['user', 'status']);
    expect(body.errors?.[0]?.message).toBe('nCore sent a UserStatus value this gateway does not know.');
    expect(body.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_BAD_RESPONSE');
  });
});

describe('documents with several operations', () => {
  const stack = useStack({ simulator: { seed: 'empty' } });

  it('runs the operation named by operationName, every time, in either order', async () => {
    const a = await restCreate(stack.sim, { first_name: 'Alpha' });
    const b = await restCreate(stack.sim, { first_name: 'Beta' });
    const query = `query A { user(id: "${a.id}") { firstName } } query B { user(id: "${b.id}") { firstName } }`;
    for (const [operationName, firstName] of [
      ['A', 'Alpha'],
      ['B', 'Beta'],
      ['A', 'Alpha'],
      ['B', 'Beta'],
    ] as const) {
      const body = await (await stack.post(JSON.stringify({ query, operationName }))).json();
      expect(body).toEqual({ data: { user: { firstName } } });
    }
  });
});
