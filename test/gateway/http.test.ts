import pino from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { useStack } from '../support/stack.ts';

/** Every log line the gateway writes, parsed. */
const lines: { level: number; msg: string }[] = [];
const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });

const TYPENAME = encodeURIComponent('{ __typename }');

describe('malformed GraphQL-over-HTTP parameters: a 400 naming the parameter, and no error in the log', () => {
  const stack = useStack({ deps: { logger } });
  let url = '';
  beforeAll(async () => {
    url = await stack.listen();
  });

  const gets: [string, string][] = [
    [`variables=abc`, '"variables" parameter must be a JSON object, URL-encoded; it is not JSON'],
    [`extensions=abc`, '"extensions" parameter must be a JSON object, URL-encoded; it is not JSON'],
    [`variables=${encodeURIComponent('{"a":')}`, '"variables" parameter must be a JSON object, URL-encoded'],
    [`variables=${encodeURIComponent('"x"')}`, '"variables" parameter must be a JSON object; it is a string'],
    [`variables=${encodeURIComponent('[1]')}`, '"variables" parameter must be a JSON object; it is an array'],
    [`extensions=5`, '"extensions" parameter must be a JSON object; it is a number'],
  ];
  const posts: [Record<string, unknown>, string][] = [
    [{ variables: 'abc' }, '"variables" parameter must be a JSON object; it is a string'],
    [{ variables: [] }, '"variables" parameter must be a JSON object; it is an array'],
    [{ extensions: true }, '"extensions" parameter must be a JSON object; it is a boolean'],
    [{ operationName: 1 }, '"operationName" parameter must be a string; it is a number'],
    [{ operationName: { a: 1 } }, '"operationName" parameter must be a string; it is an object'],
    [{ operationName: ['A'] }, '"operationName" parameter must be a string; it is an array'],
  ];

  const expect400 = async (response: Response, message: string) => {
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].extensions).toEqual({ code: 'BAD_REQUEST' });
    expect(body.errors[0].message).toContain(message);
  };

  it.each(gets)('GET ?query={ __typename }&%s', async (search, message) => {
    await expect400(await fetch(`${url}?query=${TYPENAME}&${search}`), message);
  });

  it.each(posts)('POST %j', async (params, message) => {
    const body = JSON.stringify({ query: '{ __typename }', ...params });
    await expect400(
      await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } }),
      message,
    );
  });

  it('still accepts null for any of them, and a well-formed GET', async () => {
    const body = JSON.stringify({ query: '{ __typename }', variables: null, extensions: null, operationName: null });
    const post = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(await post.json()).toEqual({ data: { __typename: 'Query' } });
    const get = await fetch(`${url}?query=${TYPENAME}&variables=${encodeURIComponent('{}')}&operationName=`);
    expect(await get.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('wrote no line at warn level or above for any of them', () => {
    expect(lines.length).toBeGreaterThan(gets.length);
    expect(lines.filter((line) => line.level >= 40)).toEqual([]);
  });
});

describe('media types match whatever their case', () => {
  const stack = useStack();

  it.each(['APPLICATION/JSON', 'Application/Json; Charset=UTF-8', 'application/GRAPHQL-RESPONSE+JSON'])(
    'runs a POST sent as %s',
    async (type) => {
      const response = await stack.post(JSON.stringify({ query: '{ __typename }' }), { 'content-type': type });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
    },
  );
});

describe('no answer may be cached', () => {
  const stack = useStack({ env: { GATEWAY_AUTH: 'forward', NCORE_API_KEY: '' } });
  let url = '';
  beforeAll(async () => {
    url = await stack.listen();
  });

  it('sends Cache-Control: no-store and Vary on the credential headers, for answers and refusals alike', async () => {
    const query = JSON.stringify({ query: '{ users(first: 1) { nodes { id firstName } } }' });
    const post = (headers: Record<string, string>) =>
      fetch(url, { method: 'POST', body: query, headers: { 'content-type': 'application/json', ...headers } });
    const answers = [
      await post({ apikey: stack.sim.apiKey }),
      await post({}),
      await post({ apikey: stack.sim.apiKey, 'content-type': 'text/plain' }),
      await fetch(`${url}?query=${TYPENAME}&variables=abc`, { headers: { apikey: stack.sim.apiKey } }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 401, 415, 400]);
    for (const answer of answers) {
      expect(answer.headers.get('cache-control')).toBe('no-store');
      const vary = (answer.headers.get('vary') ?? '').toLowerCase().split(/\s*,\s*/);
      expect(vary).toEqual(expect.arrayContaining(['authorization', 'apikey']));
    }
  });
});
