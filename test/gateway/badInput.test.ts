import { beforeAll, describe, expect, it } from 'vitest';
import { restCreate } from '../support/data.ts';
import { useStack } from '../support/stack.ts';

/** One malformed request: a raw body (or a whole request) and what the answer must carry. */
interface Case {
  name: string;
  body?: string;
  json?: unknown;
  headers?: Record<string, string>;
  method?: string;
  /** The expected `extensions.code` of the first error, when one is pinned. */
  code?: string;
  /** The expected HTTP status, when one is pinned. */
  status?: number;
  /** Harmless oddities that may simply succeed; they must only not hurt. */
  harmless?: true;
  /** Bad input that only nCore can judge (an opaque cursor), so one call is expected. */
  upstream?: true;
  /** A query string for GET requests. */
  search?: string;
}

const ID = '00000000-0000-4000-8000-000000000000';
const q = (query: string, variables?: unknown) => ({ query, variables });
const create = (input: Record<string, unknown>) =>
  q('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', { i: input });
const update = (id: string, input: Record<string, unknown>) =>
  q('mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id } }', { id, i: input });
const nested = (open: string, depth: number) => {
  const closers = ' }'.repeat(open.split('{').length - 1);
  return `{ user(id: "${ID}") { ${`${open} { `.repeat(depth)}id${`${closers} }`.repeat(depth)} } }`;
};

const cases: Case[] = [
  // Not GraphQL over HTTP at all.
  { name: 'invalid JSON', body: '{"query": "{ users { nodes { id } } }"', status: 400 },
  { name: 'a JSON null body', body: 'null', status: 400 },
  { name: 'a JSON string body', body: '"{ users { nodes { id } } }"', status: 400 },
  { name: 'an empty body', body: '', status: 400 },
  { name: 'a batch array', json: [q('{ users { nodes { id } } }')], status: 400 },
  { name: 'a query that is a number', json: { query: 123 }, status: 400 },
  { name: 'no query at all', json: { variables: {} }, code: 'BAD_REQUEST' },
  { name: 'an empty query', json: { query: '' }, code: 'GRAPHQL_PARSE_FAILED' },
  { name: 'variables that are a string', json: { query: '{ users { nodes { id } } }', variables: 'abc' }, status: 400 },
  { name: 'extensions that are a number', json: { query: '{ users { nodes { id } } }', extensions: 5 }, status: 400 },
  {
    name: 'an operationName that is a number',
    json: { query: '{ users { nodes { id } } }', operationName: 1 },
    status: 400,
  },
  { name: 'extensions that are an array', json: { query: '{ users { nodes { id } } }', extensions: [] }, status: 400 },
  { name: 'GET variables that are not JSON', method: 'GET', search: '?query={__typename}&variables=abc', status: 400 },
  {
    name: 'GET extensions that are not JSON',
    method: 'GET',
    search: '?query={__typename}&extensions=abc',
    status: 400,
  },
  {
    name: 'GET variables that are a JSON array',
    method: 'GET',
    search: '?query={__typename}&variables=[1]',
    status: 400,
  },
  {
    name: 'text/plain content type',
    body: JSON.stringify(q('{ users { nodes { id } } }')),
    headers: { 'content-type': 'text/plain' },
    status: 415,
  },
  {
    name: 'an XML content type',
    body: '<query>users</query>',
    headers: { 'content-type': 'application/xml' },
    status: 415,
  },
  {
    name: 'a form-encoded body',
    body: 'query=%7Busers%7D',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    status: 415,
  },
  {
    name: 'no content type',
    body: JSON.stringify(q('{ users { nodes { id } } }')),
    headers: { 'content-type': '' },
    status: 415,
  },
  { name: 'JSON declared but form data sent', body: 'query=users&x=1', status: 400 },
  {
    name: 'an oversized body',
    json: q(`{ users { nodes { id } } } # ${'x'.repeat(400_000)}`),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'a mutation over GET',
    method: 'GET',
    search: `?query=${encodeURIComponent('mutation { updateUser(id: "x", input: {}) { id } }')}`,
    status: 405,
  },
  {
    name: 'lone surrogates in JSON',
    body: '{"query":"{ users { nodes { id } } }","variables":{"x":"\\ud800"}}',
    harmless: true,
  },
  {
    name: 'prototype pollution in variables',
    body: '{"query":"query($f: Int) { users(first: $f) { nodes { id } } }","variables":{"__proto__":{"f":"x"}}}',
    harmless: true,
  },
  // Not valid GraphQL.
  { name: 'a syntax error', json: q('{ user(') },
  { name: 'an unknown field', json: q('{ users { nodes { password } } }'), code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'an unknown argument', json: q('{ users(limit: 5) { nodes { id } } }'), code: 'GRAPHQL_VALIDATION_FAILED' },
  {
    name: 'a string for an Int',
    json: q('{ users(first: "ten") { nodes { id } } }'),
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'an Int overflow',
    json: q('query($f: Int) { users(first: $f) { nodes { id } } }', { f: 99999999999 }),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a variable of the wrong type',
    json: q('query($f: Int) { users(first: $f) { nodes { id } } }', { f: 'x' }),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a missing required variable',
    json: q('query($id: ID!) { user(id: $id) { id } }', {}),
    code: 'BAD_USER_INPUT',
  },
  { name: 'an unknown operation name', json: { query: 'query A { users { nodes { id } } }', operationName: 'B' } },
  {
    name: 'two operations and no name',
    json: q('query A { users { nodes { id } } } query B { users { nodes { id } } }'),
  },
  { name: 'a subscription', json: q('subscription { users { nodes { id } } }'), code: 'GRAPHQL_VALIDATION_FAILED' },
  {
    name: 'a fragment cycle',
    json: q(
      '{ users { nodes { ...A } } } fragment A on User { parent { ...B } } fragment B on User { parent { ...A } }',
    ),
  },
  {
    name: 'a very long operation name',
    json: { query: `query ${'N'.repeat(5000)} { users { nodes { id } } }` },
    harmless: true,
  },
  // Too large or too expensive.
  { name: 'deep parent nesting', json: q(nested('parent', 30)), code: 'QUERY_TOO_COMPLEX' },
  { name: 'deep children nesting', json: q(nested('children { nodes', 12)), code: 'QUERY_TOO_COMPLEX' },
  {
    name: 'an alias flood',
    json: q(`{ ${Array.from({ length: 200 }, (_, i) => `a${i}: user(id: "${ID}") { id }`).join(' ')} }`),
    code: 'QUERY_TOO_COMPLEX',
  },
  { name: 'a token flood', json: q(`{ users { nodes { ${'id '.repeat(5000)} } } }`), code: 'QUERY_TOO_COMPLEX' },
  {
    name: 'a directive flood',
    json: q(`{ users { nodes { id ${'@include(if: true) '.repeat(60)} } } }`),
    code: 'QUERY_TOO_COMPLEX',
  },
  // Valid GraphQL, invalid values.
  { name: 'an id that is not a UUID', json: q('{ user(id: "42") { id } }'), code: 'BAD_USER_INPUT' },
  { name: 'path traversal in an id', json: q('{ user(id: "../../etc/passwd") { id } }'), code: 'BAD_USER_INPUT' },
  { name: 'SQL injection in an id', json: q(`{ user(id: "1' OR '1'='1") { id } }`), code: 'BAD_USER_INPUT' },
  { name: 'a page size of 0', json: q('{ users(first: 0) { nodes { id } } }'), code: 'BAD_USER_INPUT' },
  { name: 'a page size of 101', json: q('{ users(first: 101) { nodes { id } } }'), code: 'BAD_USER_INPUT' },
  { name: 'an empty cursor', json: q('{ users(after: "") { nodes { id } } }'), code: 'BAD_USER_INPUT' },
  {
    name: 'a forged cursor',
    json: q('{ users(after: "!!not-base64!!") { nodes { id } } }'),
    code: 'BAD_USER_INPUT',
    upstream: true,
  },
  { name: 'an empty search', json: q('{ searchUsers(filter: {}) { nodes { id } } }'), code: 'BAD_USER_INPUT' },
  {
    name: 'a huge search string',
    json: q(`{ searchUsers(filter: { name: "${'a'.repeat(10_000)}" }) { nodes { id } } }`),
    code: 'BAD_USER_INPUT',
  },
  { name: 'a huge first name', json: create({ firstName: 'x'.repeat(10_000) }), code: 'BAD_USER_INPUT' },
  { name: 'a blank first name', json: create({ firstName: '   ' }), code: 'BAD_USER_INPUT' },
  { name: 'no first name', json: create({ lastName: 'Only' }), code: 'BAD_USER_INPUT' },
  { name: 'a null input', json: create(null as never), code: 'BAD_USER_INPUT' },
  { name: 'an unknown input field', json: create({ firstName: 'A', isAdmin: true }), code: 'BAD_USER_INPUT' },
  { name: 'an impossible date', json: create({ firstName: 'A', dateOfBirth: '2020-02-30' }), code: 'BAD_USER_INPUT' },
  { name: 'a date in the future', json: create({ firstName: 'A', dateOfBirth: '2999-01-01' }), code: 'BAD_USER_INPUT' },
  {
    name: 'a date of the wrong shape',
    json: create({ firstName: 'A', dateOfBirth: '01/02/1990' }),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'an enum value that does not exist',
    json: create({ firstName: 'A', gender: 'OTHER' }),
    code: 'BAD_USER_INPUT',
  },
  { name: 'a lowercase enum value', json: create({ firstName: 'A', userType: 'individual' }), code: 'BAD_USER_INPUT' },
  { name: 'a negative salary', json: create({ firstName: 'A', monthlySalary: -1 }), code: 'BAD_USER_INPUT' },
  { name: 'a salary that is a word', json: create({ firstName: 'A', monthlySalary: 'lots' }), code: 'BAD_USER_INPUT' },
  { name: 'a mobile without +', json: create({ firstName: 'A', mobile: '0501234567' }), code: 'BAD_USER_INPUT' },
  {
    name: 'an injected email',
    json: create({ firstName: 'A', email: "a@b.c'; DROP TABLE users;--" }),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a script tag as a country',
    json: create({ firstName: 'A', nationality: '<script>' }),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a lowercase country',
    json: create({ firstName: 'A', address: { country: 'usa' } }),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a parent id that is not a UUID',
    json: create({ firstName: 'A', parentUserId: 'parent' }),
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'an idempotency key with spaces',
    json: {
      ...create({ firstName: 'A' }),
      query: 'mutation($i: CreateUserInput!) { createUser(input: $i, idempotencyKey: "a b") { id } }',
    },
    code: 'BAD_USER_INPUT',
  },
  { name: 'an empty update', json: update(ID, {}), code: 'BAD_USER_INPUT' },
  { name: 'an update nulling a name', json: update(ID, { firstName: null }), code: 'BAD_USER_INPUT' },
  { name: 'an update of a non-UUID id', json: update('me', { firstName: 'A' }), code: 'BAD_USER_INPUT' },
];

describe('malformed requests get a clear error and never a 5xx', () => {
  const stack = useStack({ simulator: { seed: 'empty' } });
  beforeAll(async () => {
    await restCreate(stack.sim, { first_name: 'Survivor' });
  });

  it.each(cases)(
    '$name',
    async ({ body, json, headers, method = 'POST', code, status, harmless, upstream, search = '' }) => {
      const before = stack.sim.requests.length;
      const response = await stack.gateway.fetch(`http://gateway.test/graphql${search}`, {
        method,
        headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
        body: method === 'GET' ? undefined : (body ?? JSON.stringify(json)),
      });
      expect(response.status).toBeLessThan(500);
      if (status !== undefined) expect(response.status).toBe(status);
      const answer = (await response.json()) as {
        data?: unknown;
        errors?: { message: string; extensions?: { code?: string } }[];
      };
      if (harmless) {
        expect(answer.data ?? answer.errors).toBeTruthy();
        return;
      }
      expect(stack.sim.requests.length - before).toBe(upstream ? 1 : 0);
      expect(answer.errors?.length).toBeGreaterThan(0);
      expect(answer.errors![0]!.message.length).toBeGreaterThan(5);
      expect(answer.errors!.some((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR')).toBe(false);
      if (code !== undefined) expect(answer.errors![0]!.extensions?.code).toBe(code);
    },
  );

  it('still answers afterwards', async () => {
    const response = await stack.post(JSON.stringify(q('{ users { nodes { firstName } } }')));
    expect(await response.json()).toEqual({ data: { users: { nodes: [{ firstName: 'Survivor' }] } } });
  });
});
