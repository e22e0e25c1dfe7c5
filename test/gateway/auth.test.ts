import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.ts';
import { graphql } from '../gql/index.ts';
import { type Stack, startStack, useStack } from '../support/stack.ts';

const Newest = graphql(`
  query Newest {
    users(first: 1) { nodes { id } }
  }
`);

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';

async function expectRefused(stack: Stack, headers: Record<string, string>): Promise<void> {
  stack.sim.clearRequests();
  const { status, body } = await stack.run(Newest, {}, headers);
  expect(status).toBe(401);
  expect(body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  expect(stack.calls()).toBe(0);
}

async function expectAccepted(stack: Stack, headers: Record<string, string>): Promise<void> {
  const { status, body } = await stack.run(Newest, {}, headers);
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  expect(body.data?.users.nodes).toHaveLength(1);
}

describe('bearer tokens', () => {
  const stack = useStack({ env: { GATEWAY_AUTH: 'bearer', GATEWAY_TOKENS: 'alpha-token, beta-token' } });

  it('accepts any listed token', async () => {
    await expectAccepted(stack, { authorization: 'Bearer alpha-token' });
    await expectAccepted(stack, { authorization: 'bearer beta-token' });
  });

  it('refuses a missing, unknown or malformed token with 401 and no upstream call', async () => {
    await expectRefused(stack, {});
    await expectRefused(stack, { authorization: 'Bearer gamma-token' });
    await expectRefused(stack, { authorization: 'Bearer alpha-toke' });
    await expectRefused(stack, { authorization: 'Basic YWxwaGE6dG9rZW4=' });
  });
});

/** `jwt` mode with a shared secret. */
const SECRET_JWT_ENV = {
  GATEWAY_AUTH: 'jwt',
  JWT_SECRET: SECRET,
  JWT_ISSUER: 'https://issuer.test',
  JWT_AUDIENCE: 'ncore-gateway',
};

describe('JWTs signed with a shared secret', () => {
  const stack = useStack({ env: SECRET_JWT_ENV });
  const sign = (claims: { iss?: string; aud?: string; exp?: number | string }, secret = SECRET) =>
    new SignJWT({ sub: 'frontend-1' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(claims.iss ?? 'https://issuer.test')
      .setAudience(claims.aud ?? 'ncore-gateway')
      .setExpirationTime(claims.exp ?? '5m')
      .sign(new TextEncoder().encode(secret));
  /** A token with exactly these time claims (seconds from now; undefined leaves the claim out). */
  const timed = (times: { exp?: number; iat?: number; nbf?: number }) => {
    const now = Math.floor(Date.now() / 1000);
    const at = (offset: number | undefined) => (offset === undefined ? undefined : now + offset);
    return new SignJWT({ sub: 'frontend-1', exp: at(times.exp), iat: at(times.iat), nbf: at(times.nbf) })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('https://issuer.test')
      .setAudience('ncore-gateway')
      .sign(new TextEncoder().encode(SECRET));
  };

  it('accepts a valid token', async () => {
    await expectAccepted(stack, { authorization: `Bearer ${await sign({})}` });
  });

  it('refuses a wrong issuer, audience, secret, an expired token and garbage', async () => {
    await expectRefused(stack, { authorization: `Bearer ${await sign({ iss: 'https://other.test' })}` });
    await expectRefused(stack, { authorization: `Bearer ${await sign({ aud: 'someone-else' })}` });
    await expectRefused(stack, {
      authorization: `Bearer ${await sign({}, 'another-secret-that-is-also-long-enough!!')}`,
    });
    await expectRefused(stack, { authorization: `Bearer ${await sign({ exp: Math.floor(Date.now() / 1000) - 60 })}` });
    await expectRefused(stack, { authorization: 'Bearer not.a.jwt' });
  });

  it('refuses a token without exp, issued in the future, or not valid yet; allows a little clock skew', async () => {
    await expectRefused(stack, { authorization: `Bearer ${await timed({})}` });
    await expectRefused(stack, { authorization: `Bearer ${await timed({ iat: 0 })}` });
    await expectRefused(stack, { authorization: `Bearer ${await timed({ exp: 7200, iat: 3600 })}` });
    await expectRefused(stack, { authorization: `Bearer ${await timed({ exp: 7200, nbf: 3600 })}` });
    await expectAccepted(stack, { authorization: `Bearer ${await timed({ exp: 300, iat: 10, nbf: 10 })}` });
    await expectAccepted(stack, { authorization: `Bearer ${await timed({ exp: -10, iat: -3600 })}` });
    await expectAccepted(stack, { authorization: `Bearer ${await timed({ exp: 3600 * 24 * 365, iat: -3600 })}` });
  });
});

describe('JWTs with a maximum age', () => {
  const stack = useStack({ env: { ...SECRET_JWT_ENV, JWT_MAX_AGE: '600' } });
  const issued = (iat: number | undefined) =>
    new SignJWT({ iat: iat === undefined ? undefined : Math.floor(Date.now() / 1000) + iat })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('https://issuer.test')
      .setAudience('ncore-gateway')
      .setExpirationTime('1d')
      .sign(new TextEncoder().encode(SECRET));

  it('accepts a token younger than JWT_MAX_AGE and refuses an older one, or one without iat', async () => {
    await expectAccepted(stack, { authorization: `Bearer ${await issued(-60)}` });
    await expectRefused(stack, { authorization: `Bearer ${await issued(-3600)}` });
    await expectRefused(stack, { authorization: `Bearer ${await issued(undefined)}` });
  });

  it('is a number of seconds', () => {
    expect(() => loadConfig({ JWT_MAX_AGE: '1h' })).toThrow(/JWT_MAX_AGE must be a whole number/);
    expect(loadConfig({ JWT_MAX_AGE: '3600' }).gateway.auth.jwtMaxAgeSeconds).toBe(3600);
    expect(loadConfig({}).gateway.auth.jwtMaxAgeSeconds).toBeUndefined();
  });
});

describe('credentials before the document: nothing of the schema is learnt without them', () => {
  const stack = useStack({
    env: { NODE_ENV: 'production', GRAPHIQL: 'true', GATEWAY_AUTH: 'bearer', GATEWAY_TOKENS: 'alpha-token' },
  });
  let url = '';
  beforeAll(async () => {
    url = await stack.listen();
  });
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

  it('answers every document without credentials with the same 401, whatever the document says', async () => {
    stack.sim.clearRequests();
    const probes = [
      JSON.stringify({ query: '{ users(first: 1) { nodes { id } } }' }),
      JSON.stringify({ query: '{ secretField }' }),
      JSON.stringify({ query: '{ user(id: 1, bogus: 2) { id } }' }),
      JSON.stringify({ query: 'mutation { createUser(input: { nope: 1 }) { id } }' }),
      JSON.stringify({ query: '{ __schema { types { name } } }' }),
      JSON.stringify({ query: '{' }),
      '{not json',
    ];
    const answers = [];
    for (const body of probes) {
      const response = await post(body);
      answers.push({
        status: response.status,
        auth: response.headers.get('www-authenticate'),
        body: await response.text(),
      });
    }
    const get = await fetch(`${url}?query=${encodeURIComponent('{ secretField }')}`);
    answers.push({ status: get.status, auth: get.headers.get('www-authenticate'), body: await get.text() });
    expect(answers[0]).toEqual({
      status: 401,
      auth: 'Bearer',
      body: JSON.stringify({
        errors: [
          {
            message: 'A bearer token is required in the Authorization header.',
            extensions: { code: 'UNAUTHENTICATED' },
          },
        ],
      }),
    });
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(stack.calls()).toBe(0);
  });

  it('parses and validates the document once the caller is known', async () => {
    const response = await post(JSON.stringify({ query: '{ secretField }' }), { authorization: 'Bearer alpha-token' });
    const body = await response.json();
    expect(body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it("leaves open health, readiness, metrics, the root and GraphiQL's page, and nothing else", async () => {
    const origin = new URL(url).origin;
    expect((await fetch(`${origin}/health`)).status).toBe(200);
    expect((await fetch(`${origin}/ready`)).status).toBe(200);
    expect(await (await fetch(`${origin}/metrics`)).text()).toContain('# TYPE');
    expect((await fetch(`${origin}/`, { redirect: 'manual' })).status).toBe(302);
    const page = await fetch(url, { headers: { accept: 'text/html' } });
    expect(await page.text()).toContain('<html');
    for (const path of ['/graphql/', '/elsewhere', '/graphql?query={__typename}']) {
      expect((await fetch(`${origin}${path}`)).status, path).toBe(401);
    }
  });
});

describe('JWTs checked against a JWKS URL', () => {
  const Q = JSON.stringify({ query: '{ users(first: 1) { nodes { id } } }' });
  const KEYS_JSON = { 'content-type': 'application/json' };

  /** A provider whose answer the test sets (`keys` is its real key set), and how often it was asked. */
  interface Provider {
    answer: (res: ServerResponse, keys: string) => void;
    fetches: number;
  }

  const sign = (key: CryptoKey, kid: string) =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid })
      .setIssuer('https://idp.test')
      .setAudience('ncore-gateway')
      .setExpirationTime('2h')
      .sign(key);

  async function withKeySet(
    answer: Provider['answer'],
    test: (stack: Stack, token: string, provider: Provider) => Promise<void>,
  ) {
    const pair = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    const keys = JSON.stringify({ keys: [jwk] });
    const provider: Provider = { answer, fetches: 0 };
    const server = createServer((_, res) => {
      provider.fetches++;
      provider.answer(res, keys);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
    const stack = await startStack({
      env: { GATEWAY_AUTH: 'jwt', JWT_JWKS_URL: url, JWT_ISSUER: 'https://idp.test', JWT_AUDIENCE: 'ncore-gateway' },
    });
    try {
      await test(stack, await sign(pair.privateKey as CryptoKey, 'k1'), provider);
    } finally {
      vi.useRealTimers();
      await stack.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }

  const serveKeys: Provider['answer'] = (res, keys) => res.writeHead(200, KEYS_JSON).end(keys);
  const fail: Provider['answer'] = (res) =>
    res.writeHead(502, { 'content-type': 'text/html' }).end('<html>down</html>');
  const statusOf = async (stack: Stack, token: string) =>
    (await stack.post(Q, { authorization: `Bearer ${token}` })).status;

  async function expectUnavailable(stack: Stack, token: string) {
    stack.sim.clearRequests();
    const response = await stack.post(Q, { authorization: `Bearer ${token}` });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('AUTH_UNAVAILABLE');
    expect(stack.calls()).toBe(0);
  }

  it('accepts a token signed by a published key, and refuses one signed by any other key', async () => {
    await withKeySet(serveKeys, async (stack, token) => {
      await expectAccepted(stack, { authorization: `Bearer ${token}` });
      const stranger = await generateKeyPair('ES256');
      await expectRefused(stack, { authorization: `Bearer ${await sign(stranger.privateKey as CryptoKey, 'k1')}` });
    });
  });

  it('answers 503 AUTH_UNAVAILABLE, not 401, while the provider fails, and accepts the same token once it answers', async () => {
    await withKeySet(fail, async (stack, token, provider) => {
      await expectUnavailable(stack, token);
      // Asked again within the next second, the gateway answers at once instead of fetching once more.
      await expectUnavailable(stack, token);
      expect(provider.fetches).toBe(1);
      provider.answer = serveKeys;
      await expect.poll(() => statusOf(stack, token), { timeout: 5_000, interval: 200 }).toBe(200);
      await expectAccepted(stack, { authorization: `Bearer ${token}` });
      // Its keys fresh, the provider failing again changes nothing for tokens they decide.
      provider.answer = fail;
      await expectAccepted(stack, { authorization: `Bearer ${token}` });
      await expectRefused(stack, { authorization: `Bearer ${token.slice(0, -4)}AAAA` });
    });
  });

  it('decides with the keys it had once they are stale and the provider is down, asking it again only after a while', async () => {
    await withKeySet(serveKeys, async (stack, token, provider) => {
      await expectAccepted(stack, { authorization: `Bearer ${token}` });
      provider.answer = fail;
      // jose refetches a key set ten minutes old; only the clock moves, every timer still runs.
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 11 * 60_000);
      const before = provider.fetches;
      await expectAccepted(stack, { authorization: `Bearer ${token}` });
      await expectAccepted(stack, { authorization: `Bearer ${token}` });
      expect(provider.fetches - before).toBe(1);
      // A key the stale set does not hold may have been published just before the outage: no verdict.
      const rotated = await generateKeyPair('ES256');
      await expectUnavailable(stack, await sign(rotated.privateKey as CryptoKey, 'k2'));
      // A bad signature under a key it does hold is still a bad token.
      await expectRefused(stack, { authorization: `Bearer ${token.slice(0, -4)}AAAA` });
      expect(provider.fetches - before).toBe(1);
      // Thirty seconds on, the provider is asked again, and its answer is used.
      provider.answer = serveKeys;
      vi.setSystemTime(Date.now() + 31_000);
      await expectAccepted(stack, { authorization: `Bearer ${token}` });
      expect(provider.fetches - before).toBe(2);
    });
  });

  it('answers 503 when the provider answers something that is not a key set', async () => {
    await withKeySet((res) => res.writeHead(200, KEYS_JSON).end('{"not":"a key set"}'), expectUnavailable);
  });

  it('still refuses a token without a signature or with a key id the provider never published, with 401', async () => {
    await withKeySet(serveKeys, async (stack, token) => {
      await expectRefused(stack, { authorization: 'Bearer not.a.jwt' });
      const [, payload, signature] = token.split('.');
      const otherKid = Buffer.from(JSON.stringify({ alg: 'ES256', kid: 'k2' })).toString('base64url');
      await expectRefused(stack, { authorization: `Bearer ${otherKid}.${payload}.${signature}` });
    });
  });
});

describe('forwarded nCore keys', () => {
  const stack = useStack({ env: { GATEWAY_AUTH: 'forward', NCORE_API_KEY: '' } });

  it("sends each caller's own key upstream", async () => {
    stack.sim.clearRequests();
    await expectAccepted(stack, { apikey: stack.sim.apiKey });
    expect(stack.sim.requests.map((r) => r.headers.apikey)).toEqual([stack.sim.apiKey]);
  });

  it('refuses a caller without a key, and passes on nCore refusing a wrong one', async () => {
    await expectRefused(stack, {});
    const { body } = await stack.run(Newest, {}, { apikey: 'not-the-key' });
    expect(body.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_UNAUTHORIZED');
    expect(JSON.stringify(body)).not.toContain('not-the-key');
  });

  it('asks nCore afresh under each key: nothing one key loaded answers another', async () => {
    stack.sim.clearRequests();
    await stack.run(Newest, {}, { apikey: stack.sim.apiKey });
    const { body } = await stack.run(Newest, {}, { apikey: 'not-the-key' });
    expect(body.data).toBeNull();
    expect(stack.sim.requests.map((r) => r.headers.apikey)).toEqual([stack.sim.apiKey, 'not-the-key']);
  });
});

describe('choosing a mode', () => {
  const real = { NCORE_BASE_URL: 'https://sandbox.example/v1', NCORE_API_KEY: 'k' };

  it('refuses to start against a real nCore until GATEWAY_AUTH is chosen', () => {
    expect(() => loadConfig(real)).toThrow(ConfigError);
    expect(() => loadConfig(real)).toThrow(/GATEWAY_AUTH must be set explicitly/);
    expect(loadConfig({ ...real, GATEWAY_AUTH: 'none' }).gateway.auth.mode).toBe('none');
  });

  it('defaults the embedded demo to none', () => {
    expect(loadConfig({}).gateway.auth.mode).toBe('none');
  });

  it('lists every problem with the auth settings at once', () => {
    try {
      loadConfig({ ...real, GATEWAY_AUTH: 'jwt', JWT_SECRET: 'short' });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'JWT_SECRET must be at least 32 characters',
        'JWT_ISSUER is required with GATEWAY_AUTH=jwt',
        'JWT_AUDIENCE is required with GATEWAY_AUTH=jwt',
      ]);
    }
  });
});
