import { createHash } from 'node:crypto';
import { ApolloClient, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ROOT_ID } from '../../src/simulator/index.ts';
import { type RedisProcess, startRedis } from '../support/redis.ts';
import { type Stack, startStack, useStack } from '../support/stack.ts';

const QUERY = `query Root($id: ID!) { user(id: $id) { id firstName } }`;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const persisted = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

interface Result {
  data?: { user?: { firstName: string }; users?: { nodes: { id: string }[] } } | null;
  errors: [{ message: string; extensions: { code: string; limit?: string } }];
}

/** Posts GraphQL parameters to a stack's gateway. */
async function post(stack: Stack, params: Record<string, unknown>) {
  const response = await stack.post(JSON.stringify(params));
  return { status: response.status, body: (await response.json()) as Result };
}

/** An Apollo Client 4 with Apollo's persisted-queries link, sending through the gateway's fetch. */
function apollo(stack: Stack, useGETForHashedQueries = false) {
  const seen: { method: string; query: boolean }[] = [];
  const fetchThrough: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    seen.push({
      method: init?.method ?? 'GET',
      query: url.searchParams.has('query') || String(init?.body ?? '').includes('"query"'),
    });
    return stack.gateway.fetch(new Request(url, init));
  };
  const link = new PersistedQueryLink({ sha256, useGETForHashedQueries }).concat(
    new HttpLink({ uri: 'http://gateway.test/graphql', fetch: fetchThrough }),
  );
  return { client: new ApolloClient({ link, cache: new InMemoryCache() }), seen };
}

describe('automatic persisted queries, as Apollo defines them', () => {
  const stack = useStack();

  it('answers an unknown hash with PERSISTED_QUERY_NOT_FOUND, registers a verified query, then runs it by hash', async () => {
    const hash = sha256(QUERY);
    const unknown = await post(stack, { extensions: persisted(hash), variables: { id: DEMO_ROOT_ID } });
    expect(unknown.body.errors[0]).toMatchObject({
      message: 'PersistedQueryNotFound',
      extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
    });
    const registered = await post(stack, {
      query: QUERY,
      extensions: persisted(hash),
      variables: { id: DEMO_ROOT_ID },
    });
    expect(registered.body.data?.user?.firstName).toBe('Khalid');
    const byHash = await post(stack, { extensions: persisted(hash), variables: { id: DEMO_ROOT_ID } });
    expect(byHash.body).toEqual(registered.body);
  });

  it('refuses to register a query under a hash that is not its own, and a malformed persistedQuery', async () => {
    const other = 'query { users(first: 1) { nodes { id } } }';
    const forged = await post(stack, { query: other, extensions: persisted(sha256(QUERY)) });
    expect(forged.status).toBe(400);
    expect(forged.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    for (const bad of [{ version: 2, sha256Hash: sha256(other) }, { version: 1, sha256Hash: 'abc' }, { version: 1 }]) {
      const answer = await post(stack, { query: other, extensions: { persistedQuery: bad } });
      expect(answer.status).toBe(400);
    }
    const lookup = await post(stack, { extensions: persisted(sha256(other)) });
    expect(lookup.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('applies limits and the call budget to a query run by hash exactly as to the full query', async () => {
    const deep = `query { user(id: "${DEMO_ROOT_ID}") { ${'children { nodes { '.repeat(9)}id${' } }'.repeat(9)} } }`;
    const full = await post(stack, { query: deep, extensions: persisted(sha256(deep)) });
    expect(full.body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    const byHash = await post(stack, { extensions: persisted(sha256(deep)) });
    expect(byHash.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'maxDepth' });
  });

  it("works with Apollo Client 4's PersistedQueryLink over POST: the full query is sent once", async () => {
    const { client, seen } = apollo(stack);
    const query = gql`query LinkPost($id: ID!) { user(id: $id) { id lastName } }`;
    for (let i = 0; i < 3; i++) {
      const { data } = await client.query({ query, variables: { id: DEMO_ROOT_ID }, fetchPolicy: 'network-only' });
      expect((data as { user: { lastName: string } }).user.lastName).toBeTruthy();
    }
    expect(seen.map((s) => s.query)).toEqual([false, true, false, false]);
  });

  it('and over GET (useGETForHashedQueries), a mutation still going by POST', async () => {
    const { client, seen } = apollo(stack, true);
    const query = gql`query LinkGet($id: ID!) { user(id: $id) { id email } }`;
    for (let i = 0; i < 2; i++)
      await client.query({ query, variables: { id: DEMO_ROOT_ID }, fetchPolicy: 'network-only' });
    expect(seen).toEqual([
      { method: 'GET', query: false },
      { method: 'POST', query: true },
      { method: 'GET', query: false },
    ]);
  });
});

describe('with trusted documents on, APQ registration is not supported', () => {
  const stack = useStack({ env: { TRUSTED_DOCUMENTS: 'test/gql/persisted-documents.json' } });

  it('answers PERSISTED_QUERY_NOT_SUPPORTED, and the link falls back to a full query, which is refused', async () => {
    const registration = await post(stack, { query: QUERY, extensions: persisted(sha256(QUERY)) });
    expect(registration.body.errors[0]).toMatchObject({
      message: 'PersistedQueryNotSupported',
      extensions: { code: 'PERSISTED_QUERY_NOT_SUPPORTED' },
    });
    const { client } = apollo(stack);
    await expect(client.query({ query: gql(QUERY), variables: { id: DEMO_ROOT_ID } })).rejects.toThrow();
  });
});

describe('registrations shared through Redis', () => {
  let redis: RedisProcess;
  let a: Stack;
  let b: Stack;
  beforeAll(async () => {
    redis = await startRedis();
    [a, b] = await Promise.all([
      startStack({ env: { REDIS_URL: redis.url } }),
      startStack({ env: { REDIS_URL: redis.url } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await redis?.stop();
  });

  it('a query registered on one instance runs by hash on the other', async () => {
    const query = `query Shared { users(first: 2) { nodes { id } } }`;
    await post(a, { query, extensions: persisted(sha256(query)) });
    await expect
      .poll(async () => (await post(b, { extensions: persisted(sha256(query)) })).body.data?.users?.nodes?.length)
      .toBe(2);
  });

  it('while Redis is down, a hash registered elsewhere reads as unknown (the client resends its query): no answer fails', async () => {
    await redis.stop();
    // Redis is every instance's: its outage is reported, and the instance stays in the load balancer.
    const ready = await b.gateway.fetch('http://gateway.test/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', redis: 'down' });
    const query = `query WhileDown { users(first: 1) { nodes { id } } }`;
    const unknown = await post(b, { extensions: persisted(sha256(query)) });
    expect(unknown.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const full = await post(b, { query, extensions: persisted(sha256(query)) });
    expect(full.body.data?.users?.nodes).toHaveLength(1);
    expect((await post(b, { extensions: persisted(sha256(query)) })).body.data?.users?.nodes).toHaveLength(1);
  });
});
