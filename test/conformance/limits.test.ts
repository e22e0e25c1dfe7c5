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
const limits: { limit: string; query: string }[] = [
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

  for (const { limit, query } of limits) {
    it(`${limit}: no data and 200 when accepting application/json`, async () => {
      const answer = await ask(query, 'application/json');
      expect(answer.body).not.toHaveProperty('data');
      expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit });
      expect(answer.status).toBe(200);
      expect(answer.type).toContain('application/json');
    });

    it(`${limit}: no data and 400 when accepting application/graphql-response+json`, async () => {
      const answer = await ask(query, 'application/graphql-response+json');
      expect(answer.body).not.toHaveProperty('data');
      expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit });
      expect(answer.type).toContain('application/graphql-response+json');
      expect(answer.status).toBe(400);
    });
  }
});
