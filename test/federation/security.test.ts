import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { composeServices, compositionHasErrors } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_REPRESENTATIONS } from '../../src/schema/federation.ts';
import { type Stack, useStack } from '../support/stack.ts';
import { CARDS_SDL } from './cards.ts';

/** What the subgraph gives away and what it takes: bounded `_entities`, `_service` as introspection. */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

type Body = {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
};

async function post(stack: Stack, query: string, variables?: object, headers?: Record<string, string>) {
  const response = await stack.post(JSON.stringify({ query, variables }), headers);
  return { status: response.status, body: (await response.json()) as Body };
}

const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id } } }';
const ref = (id: unknown) => ({ __typename: 'User', id });
const SERVICE = '{ _service { sdl } }';
const SCHEMA = '{ __schema { types { name } } }';

describe('_entities is bounded', () => {
  // Tokens raised so an inline list reaches the resolver instead of stopping at maxTokens.
  const stack = useStack({ env: { FEDERATION: 'true', MAX_TOKENS: '100000' } });
  beforeEach(() => stack.sim.clearRequests());

  const refused = {
    code: 'QUERY_TOO_COMPLEX',
    limit: 'maxRepresentations',
    max: MAX_REPRESENTATIONS,
  };

  it('refuses 10,000 representations in variables with one error and no nCore call', async () => {
    // The finding's shape: 190 KB of references that each used to cost an error of their own.
    const { body } = await post(stack, ENTITIES, { r: Array.from({ length: 10_000 }, () => ({ __typename: 'U' })) });
    expect(body.data ?? null).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]?.extensions).toMatchObject(refused);
    expect(stack.calls()).toBe(0);
  });

  it('refuses one more than the limit written inline in the document, with no nCore call', async () => {
    const [user] = stack.sim.users();
    const list = Array.from({ length: MAX_REPRESENTATIONS + 1 }, () => `{ __typename: "User", id: "${user!.id}" }`);
    const { body } = await post(stack, `{ _entities(representations: [${list.join(' ')}]) { ... on User { id } } }`);
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]?.extensions).toMatchObject(refused);
    expect(stack.calls()).toBe(0);
  });

  it('resolves exactly the limit', async () => {
    const users = stack.sim.users().slice(0, 5);
    const r = Array.from({ length: MAX_REPRESENTATIONS }, (_, i) => ref(users[i % users.length]!.id));
    const { body } = await post(stack, ENTITIES, { r });
    expect(body.errors).toBeUndefined();
    expect(body.data?.['_entities']).toHaveLength(MAX_REPRESENTATIONS);
    expect(stack.calls('getUser')).toBe(users.length);
  });

  it('reports any number of invalid representations with one error, and no nCore call for them', async () => {
    const r = Array.from({ length: MAX_REPRESENTATIONS }, (_, i) => (i % 2 ? { __typename: 'Card', id: 'x' } : {}));
    const { body } = await post(stack, ENTITIES, { r });
    expect(body.data?.['_entities']).toEqual(r.map(() => null));
    expect(body.errors).toHaveLength(1);
    const [error] = body.errors!;
    expect(error!.path).toEqual(['_entities', 0]);
    expect(error!.message).toMatch(new RegExp(`^${MAX_REPRESENTATIONS} of ${MAX_REPRESENTATIONS} references`));
    expect(error!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(error!.extensions?.['fields']).toHaveLength(10);
    expect(stack.calls()).toBe(0);
  });
});

describe('_service is introspection: refused in production', () => {
  const headers = { authorization: 'Bearer router-token' };
  const stack = useStack({
    env: { FEDERATION: 'true', NODE_ENV: 'production', GATEWAY_AUTH: 'bearer', GATEWAY_TOKENS: 'router-token' },
  });

  it('refuses _service { sdl } to an authenticated caller exactly as it refuses __schema', async () => {
    const schema = await post(stack, SCHEMA, undefined, headers);
    const service = await post(stack, SERVICE, undefined, headers);
    expect(service.body.data ?? null).toBeNull();
    expect(service.body.errors).toHaveLength(1);
    expect(service.body.errors?.[0]?.message).toMatch(/introspection has been disabled.*"_service"/);
    expect(service.body.errors?.[0]?.extensions?.['code']).toBe(schema.body.errors?.[0]?.extensions?.['code']);
    expect(service.status).toBe(schema.status);
    // Aliased or inside a fragment, it is still _service.
    for (const query of ['{ s: _service { sdl } }', '{ ...Q } fragment Q on Query { _service { sdl } }']) {
      expect((await post(stack, query, undefined, headers)).body.errors?.[0]?.message).toMatch(/"_service"/);
    }
    expect(stack.calls()).toBe(0);
  });
});

describe('_service with INTROSPECTION=true in production, and npm run subgraph:sdl', () => {
  const stack = useStack({ env: { FEDERATION: 'true', NODE_ENV: 'production', INTROSPECTION: 'true' } });

  it('answers _service, and the npm script prints the same SDL, which composes', async () => {
    const { body } = await post(stack, SERVICE);
    expect(body.errors).toBeUndefined();
    const sdl = (body.data?.['_service'] as { sdl?: string } | undefined)?.sdl ?? '';
    expect(sdl).toContain('@key(fields: "id")');

    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'subgraph:sdl'], { cwd: ROOT });
    expect(stdout).toBe(`${sdl}\n`);
    const composed = composeServices([
      { name: 'ncore', typeDefs: parse(stdout), url: 'http://ncore.test/graphql' },
      { name: 'cards', typeDefs: parse(CARDS_SDL), url: 'http://cards.test/graphql' },
    ]);
    expect(compositionHasErrors(composed) ? composed.errors.map((e) => e.message) : []).toEqual([]);
  }, 30_000);
});
