import { describe, expect, it } from 'vitest';
import { subscribeWs, wsClient } from '../support/events.ts';
import { type Stack, useStack } from '../support/stack.ts';

const INTROSPECTION = JSON.stringify({ query: '{ __schema { types { name } } }' });

async function graphiqlPage(stack: Stack): Promise<Response> {
  return stack.gateway.fetch('http://gateway.test/graphql', { headers: { accept: 'text/html' } });
}

describe('in production', () => {
  const stack = useStack({ env: { NODE_ENV: 'production' } });

  it('serves no GraphiQL', async () => {
    const response = await graphiqlPage(stack);
    expect(response.status).toBeLessThan(500);
    expect(response.headers.get('content-type') ?? '').not.toContain('text/html');
    expect(await response.text()).not.toContain('<html');
  });

  it('answers the root address with where the graph is, not a redirect to a page it does not serve', async () => {
    const response = await stack.gateway.fetch('http://gateway.test/', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(404);
    expect((await response.json()).errors[0].message).toBe('The GraphQL endpoint is /graphql.');
  });

  it('refuses introspection', async () => {
    const body = await (await stack.post(INTROSPECTION)).json();
    expect(body.data ?? null).toBeNull();
    expect(body.errors[0].message).toMatch(/introspection/i);
  });

  it('refuses introspection over WebSocket too', async () => {
    const client = wsClient(await stack.listen());
    try {
      const [result] = await subscribeWs(client, '{ __schema { types { name } } }').waitFor(1);
      expect(result!.data ?? null).toBeNull();
      expect(result!.errors?.[0]?.message).toMatch(/introspection/i);
    } finally {
      await client.dispose();
    }
  });

  it('suggests no field names', async () => {
    const body = await (await stack.post(JSON.stringify({ query: '{ users { nodes { firstNam } } }' }))).json();
    expect(body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(body.errors[0].message).toMatch(/^Cannot query field "firstNam" on type "User"\./);
    expect(body.errors[0].message).not.toMatch(/Did you mean/);
  });
});

describe('in production, with GraphiQL and introspection enabled explicitly', () => {
  const stack = useStack({ env: { NODE_ENV: 'production', GRAPHIQL: 'true', INTROSPECTION: 'true' } });

  it('serves both', async () => {
    expect(await (await graphiqlPage(stack)).text()).toContain('<html');
    const body = await (await stack.post(INTROSPECTION)).json();
    expect(body.data.__schema.types.length).toBeGreaterThan(10);
  });
});

describe('in development', () => {
  const stack = useStack();

  it('serves GraphiQL with its scripts inline, opened on the example query', async () => {
    const html = await (await graphiqlPage(stack)).text();
    expect(html).toContain('<title>nCore users</title>');
    expect(html).toContain('query Families');
    expect(html).not.toMatch(/<script[^>]+src="https?:/);
    expect(html).not.toMatch(/<link[^>]+href="https?:/);
  });

  it('sends a browser opening the root address on to GraphiQL', async () => {
    const response = await stack.gateway.fetch('http://gateway.test/', { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/graphql');
  });
});
