import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ROOT_ID } from '../../src/simulator/index.ts';
import { type Stack, startStack } from '../support/stack.ts';

/**
 * The audits of graphql-http never trip the gateway's own static limits, so this file holds them to the same
 * rules as any request error: an answer without `data` is a 4xx when the client accepts
 * `application/graphql-response+json` (a MUST of GraphQL over HTTP) and a 200 when it accepts only
 * `application/json` (a SHOULD), as Yoga does for its own validation errors.
 */
const id = DEMO_ROOT_ID;
const generations = (n: number, first = ''): string =>
  n === 0 ? 'id' : `id children${first} { nodes { ${generations(n - 1, first)} } }`;
const limits: { limit: string; query: string; shape?: string }[] = [
  { limit: 'maxTokens', query: `{ ${Array.from({ length: 2100 }, () => '__typename').join(' ')} }` },
  { limit: 'maxDepth', query: `{ user(id: "${id}") { ${generations(9)} } }` },
  {
    limit: 'maxAliases',
    query: `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: user(id: "${id}") { id }`).join(' ')} }`,
  },
  { limit: 'maxCost', query: `{ user(id: "${id}") { ${generations(3, '(first: 100)')} } }` },
  {
    limit: 'maxDirectives',
    query: `{ __typename ${Array.from({ length: 21 }, () => '@include(if: true)').join(' ')} }`,
  },
  // The probe's shapes: every alias counts, `__typename` too, and so does every directive on a fragment spread.
  {
    limit: 'maxAliases',
    shape: '600 __typename aliases',
    query: `{ ${Array.from({ length: 600 }, (_, i) => `a${i}: __typename`).join(' ')} }`,
  },
  {
    limit: 'maxDirectives',
    shape: '200 spreads of one fragment, each with @skip',
    query: `{ ${Array.from({ length: 200 }, () => '...F @skip(if: false)').join(' ')} } fragment F on Query { __typename }`,
  },
  {
    limit: 'maxDirectives',
    shape: '200 @skip on one spread',
    query: `{ ...F ${Array.from({ length: 200 }, () => '@skip(if: false)').join(' ')} } fragment F on Query { __typename }`,
  },
  {
    limit: 'maxDirectives',
    shape: 'inline fragments around a fragment',
    query: `{ ${Array.from({ length: 11 }, () => '... on Query @skip(if: false) { ...F }').join(' ')} } fragment F on Query { __typename @include(if: true) }`,
  },
];

describe('static limit rejections as GraphQL-over-HTTP request errors', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  const ask = async (query: string, accept: string) => {
    const response = await stack.post(JSON.stringify({ query }), { accept });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      body: (await response.json()) as { data?: unknown; errors?: { extensions?: Record<string, unknown> }[] },
    };
  };

  it('counts a fragment spread once per use, directives on the spread and in the fragment alike', async () => {
    const spreads = (n: number) =>
      `{ ${Array.from({ length: n }, () => '...F @skip(if: false)').join(' ')} } fragment F on Query { __typename @include(if: true) }`;
    expect((await ask(spreads(10), 'application/json')).body).toEqual({ data: { __typename: 'Query' } });
    const answer = await ask(spreads(11), 'application/json');
    expect(answer.body.errors?.[0]).toMatchObject({
      message: 'Directives limit of 20 exceeded, found 22.',
      extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'maxDirectives', max: 20 },
    });
  });

  it('lets an honest number of aliases through, __typename among them', async () => {
    const query = `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    expect((await ask(query, 'application/json')).body.data).toBeDefined();
  });

  for (const { limit, query, shape } of limits) {
    const name = shape ? `${limit} (${shape})` : limit;
    it(`${name}: no data and 200 when accepting application/json`, async () => {
      const answer = await ask(query, 'application/json');
      expect(answer.body).not.toHaveProperty('data');
      expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit });
      expect(answer.status).toBe(200);
      expect(answer.type).toContain('application/json');
    });

    it(`${name}: no data and 400 when accepting application/graphql-response+json`, async () => {
      const answer = await ask(query, 'application/graphql-response+json');
      expect(answer.body).not.toHaveProperty('data');
      expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit });
      expect(answer.type).toContain('application/graphql-response+json');
      expect(answer.status).toBe(400);
    });
  }
});

describe('maxCost counts a page size given as a variable at its value', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  const deep = (first: string, definitions = '') =>
    `query Deep${definitions} { user(id: "${id}") { ${generations(3, `(first: ${first})`)} } }`;
  const ask = async (
    request: { query: string; variables?: object; operationName?: string },
    accept = 'application/graphql-response+json',
  ) => {
    stack.sim.clearRequests();
    const response = await stack.post(JSON.stringify(request), { accept });
    const body = (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: object }[] };
    return { status: response.status, body, calls: stack.calls() };
  };

  it('refuses first: $n with n = 100 (or a default of 100) as it refuses first: 100, before any nCore call', async () => {
    const literal = await ask({ query: deep('100') });
    expect(literal.body.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'maxCost' });
    for (const request of [
      { query: deep('$n', '($n: Int)'), variables: { n: 100 } },
      { query: deep('$n', '($n: Int = 100)') },
    ]) {
      const answer = await ask(request);
      expect(answer.body).toEqual(literal.body);
      expect(answer.status).toBe(400);
      expect(answer.calls).toBe(0);
    }
    // A request error for application/json clients too: no data, 200.
    const json = await ask({ query: deep('$n', '($n: Int)'), variables: { n: 100 } }, 'application/json');
    expect(json.body).toEqual(literal.body);
    expect(json.status).toBe(200);
  });

  it('costs the operation that runs, not the others of its document', async () => {
    const query = `${deep('$n', '($n: Int)')} query Page($n: Int) { users(first: $n) { nodes { id } } }`;
    const deepOne = await ask({ query, operationName: 'Deep', variables: { n: 100 } });
    expect(deepOne.body.errors?.[0]?.extensions).toMatchObject({ limit: 'maxCost' });
    const page = await ask({ query, operationName: 'Page', variables: { n: 100 } });
    expect(page.body.errors).toBeUndefined();
  });

  it('runs the same query with a small n', async () => {
    const answer = await ask({ query: deep('$n', '($n: Int)'), variables: { n: 2 } });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data).toMatchObject({ user: { id } });
    expect(answer.calls).toBeGreaterThan(0);
  });
});
