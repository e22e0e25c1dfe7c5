import { SignJWT } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.ts';
import { restCreate, restTree } from '../support/data.ts';
import { useStack } from '../support/stack.ts';

const CreateUser = graphql(`
  mutation CreateUser($input: CreateUserInput!, $key: String) {
    createUser(input: $input, idempotencyKey: $key) {
      id
      firstName
      lastName
      status
      parentUserId
      address { city country }
      parent { id firstName children { nodes { id } } }
    }
  }
`);

const UpdateUser = graphql(`
  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) {
    updateUser(id: $id, input: $input) {
      id
      firstName
      lastName
      email
      modified
      parent { id firstName }
      ancestors { id }
    }
  }
`);

const RenameThenAdopt = graphql(`
  mutation RenameThenAdopt($parent: ID!, $child: ID!) {
    rename: updateUser(id: $parent, input: { firstName: "Renamed" }) { id }
    adopt: updateUser(id: $child, input: { parentUserId: $parent }) { parent { firstName } }
  }
`);

const Children = graphql(`
  query Children($id: ID!) {
    user(id: $id) { children { nodes { id } } }
  }
`);

describe('creating users', () => {
  const stack = useStack({ simulator: { seed: 'empty' } });
  beforeEach(() => stack.sim.reset());

  it('sends the input as a snake_case body and returns the new user', async () => {
    const { body } = await stack.run(CreateUser, {
      input: {
        firstName: 'Sara',
        lastName: 'Nakamura',
        dateOfBirth: '1989-11-07',
        address: { city: 'Osaka', country: 'JPN' },
      },
    });
    expect(body.errors).toBeUndefined();
    expect(body.data?.createUser).toMatchObject({
      firstName: 'Sara',
      lastName: 'Nakamura',
      status: 'ACTIVE',
      parentUserId: null,
      parent: null,
    });
    const [request] = stack.sim.requests;
    expect(request?.route).toBe('createUser');
    expect(request?.body).toEqual({
      first_name: 'Sara',
      last_name: 'Nakamura',
      date_of_birth: '1989-11-07',
      address: { city: 'Osaka', country: 'JPN' },
    });
    expect(stack.sim.getUser(body.data!.createUser.id)?.first_name).toBe('Sara');
  });

  it('forwards the idempotency key, scoped to the caller, so a repeat returns the first user and creates nothing', async () => {
    const variables = { input: { firstName: 'Once' }, key: 'order-42' };
    const first = await stack.run(CreateUser, variables);
    const again = await stack.run(CreateUser, variables);
    expect(again.body.data?.createUser.id).toBe(first.body.data?.createUser.id);
    const [sent, resent] = stack.sim.requests.map((r) => r.headers['x-nymos-idempotency-key']);
    expect(sent).toMatch(/^[\w-]{43}$/);
    expect(resent).toBe(sent);
    expect(stack.sim.users()).toHaveLength(1);
  });

  it('sends a key of its own when the caller gives none', async () => {
    await stack.run(CreateUser, { input: { firstName: 'Keyless' } });
    expect(stack.sim.requests[0]?.headers['x-nymos-idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('creates a child that its parent lists in the same response', async () => {
    const parent = await restCreate(stack.sim, { first_name: 'Fatima' });
    await stack.run(Children, { id: parent.id });
    const { body } = await stack.run(CreateUser, {
      input: { firstName: 'Yusuf', parentUserId: parent.id, relationshipWithParent: 'SON' },
    });
    expect(body.errors).toBeUndefined();
    const created = body.data!.createUser;
    expect(created.parent?.firstName).toBe('Fatima');
    expect(created.parent?.children?.nodes.map((n) => n.id)).toEqual([created.id]);
  });

  it('answers NOT_FOUND naming parentUserId when the parent does not exist', async () => {
    const { body } = await stack.run(CreateUser, {
      input: { firstName: 'Orphan', parentUserId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'parentUserId' });
    expect(stack.sim.users()).toHaveLength(0);
  });

  it('reports every invalid field at once and sends nothing', async () => {
    const { status, body } = await stack.run(CreateUser, {
      input: {
        firstName: ' ',
        email: 'not-an-email',
        mobile: '0501234567',
        dateOfBirth: '2999-01-01',
        nationality: 'XXX',
        address: { country: 'US' },
      },
    });
    expect(status).toBe(200);
    expect(body.data).toBeNull();
    const error = body.errors?.[0];
    expect(error?.extensions?.['code']).toBe('BAD_USER_INPUT');
    const fields = ((error?.extensions?.['fields'] ?? []) as { field: string }[]).map((f) => f.field).sort();
    expect(fields).toEqual(['address.country', 'dateOfBirth', 'email', 'firstName', 'mobile', 'nationality']);
    expect(stack.sim.requests).toHaveLength(0);
  });

  it('refuses an explicit null for an ordinary field', async () => {
    const { body } = await stack.run(CreateUser, { input: { firstName: 'Nulls', lastName: null } });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'lastName' }] });
    expect(stack.sim.requests).toHaveLength(0);
  });
});

describe('updating users', () => {
  const stack = useStack({ simulator: { seed: 'empty' } });
  beforeEach(() => stack.sim.reset());

  it('sends only the fields given, and the rest keep their value', async () => {
    const user = await restCreate(stack.sim, { first_name: 'John', last_name: 'Doe', email: 'john@example.com' });
    stack.sim.clearRequests();
    const { body } = await stack.run(UpdateUser, { id: user.id, input: { lastName: 'Smith' } });
    expect(body.errors).toBeUndefined();
    expect(body.data?.updateUser).toMatchObject({ firstName: 'John', lastName: 'Smith', email: 'john@example.com' });
    expect(body.data!.updateUser.modified > user.modified).toBe(true);
    expect(stack.sim.requests.map((r) => [r.method, r.body])).toEqual([['PUT', { last_name: 'Smith' }]]);
  });

  it('re-parents a user, and both parents show it', async () => {
    const oldParent = await restCreate(stack.sim, { first_name: 'Old' });
    const newParent = await restCreate(stack.sim, { first_name: 'New' });
    const child = await restCreate(stack.sim, { first_name: 'Kid', parent_user_id: oldParent.id });
    const { body } = await stack.run(UpdateUser, { id: child.id, input: { parentUserId: newParent.id } });
    expect(body.errors).toBeUndefined();
    expect(body.data?.updateUser.parent).toEqual({ id: newParent.id, firstName: 'New' });
    expect(body.data?.updateUser.ancestors).toEqual([{ id: newParent.id }]);
    expect((await stack.run(Children, { id: oldParent.id })).body.data?.user?.children?.nodes).toEqual([]);
    expect((await stack.run(Children, { id: newParent.id })).body.data?.user?.children?.nodes).toEqual([
      { id: child.id },
    ]);
  });

  it('detaches a user with parentUserId: null', async () => {
    const parent = await restCreate(stack.sim, { first_name: 'Parent' });
    const child = await restCreate(stack.sim, { first_name: 'Kid', parent_user_id: parent.id });
    stack.sim.clearRequests();
    const { body } = await stack.run(UpdateUser, { id: child.id, input: { parentUserId: null } });
    expect(body.errors).toBeUndefined();
    expect(body.data?.updateUser.parent).toBeNull();
    expect(stack.sim.requests.find((r) => r.method === 'PUT')?.body).toEqual({ parent_user_id: null });
    expect(stack.sim.getUser(child.id)?.parent_user_id).toBeUndefined();
  });

  it('lets later fields of the operation see an earlier mutation', async () => {
    const parent = await restCreate(stack.sim, { first_name: 'Before' });
    const child = await restCreate(stack.sim, { first_name: 'Kid' });
    stack.sim.clearRequests();
    const { body } = await stack.run(RenameThenAdopt, { parent: parent.id, child: child.id });
    expect(body.errors).toBeUndefined();
    expect(body.data?.adopt.parent?.firstName).toBe('Renamed');
    expect(stack.calls('getUser')).toBe(0);
  });

  it('refuses a new parent that is the user itself or one of its descendants, before any write', async () => {
    const levels = await restTree(stack.sim, 3, 1);
    const root = levels[0]![0]!;
    stack.sim.clearRequests();
    for (const parentUserId of [root.id, levels[3]![0]!.id]) {
      const { body } = await stack.run(UpdateUser, { id: root.id, input: { parentUserId } });
      expect(body.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        fields: [{ field: 'parentUserId' }],
      });
    }
    expect(stack.calls('updateUser')).toBe(0);
  });

  it('answers NOT_FOUND for an unknown user and BAD_USER_INPUT for an empty change', async () => {
    const missing = await stack.run(UpdateUser, {
      id: '00000000-0000-4000-8000-000000000000',
      input: { firstName: 'X' },
    });
    expect(missing.body.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    const user = await restCreate(stack.sim, { first_name: 'Still' });
    const empty = await stack.run(UpdateUser, { id: user.id, input: {} });
    expect(empty.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });
});

describe('idempotency keys are scoped to the caller', () => {
  const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
  const stack = useStack({
    env: { GATEWAY_AUTH: 'jwt', JWT_SECRET: SECRET, JWT_ISSUER: 'https://issuer.test', JWT_AUDIENCE: 'gateway' },
    simulator: { seed: 'empty' },
  });
  const as = async (subject: string) => ({
    authorization: `Bearer ${await new SignJWT({ sub: subject })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('https://issuer.test')
      .setAudience('gateway')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(SECRET))}`,
  });
  const create = async (subject: string, firstName: string) => {
    const { body } = await stack.run(CreateUser, { input: { firstName }, key: 'order-1' }, await as(subject));
    expect(body.errors).toBeUndefined();
    return body.data!.createUser.id;
  };

  it("never replays one caller's write to another who picks the same key, and replays each caller's own", async () => {
    stack.sim.clearRequests();
    // The simulator replays a key seen with the same body, as an upstream that scopes keys by nothing else would.
    const alices = await create('alice', 'Same Name');
    const bobs = await create('bob', 'Same Name');
    expect(bobs).not.toBe(alices);
    expect(await create('alice', 'Same Name')).toBe(alices);
    expect(await create('bob', 'Same Name')).toBe(bobs);
    // A different body under the same key is no conflict between callers either.
    const carols = await create('carol', 'Other Name');
    expect(
      stack.sim
        .users()
        .map((u) => u.id)
        .sort(),
    ).toEqual([alices, bobs, carols].sort());

    const keys = stack.sim.requests.map((r) => r.headers['x-nymos-idempotency-key']);
    expect(keys).toHaveLength(5);
    expect(new Set(keys).size).toBe(3);
    expect(keys).not.toContain('order-1');
  });
});
