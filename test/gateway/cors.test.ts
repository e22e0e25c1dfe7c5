import { request } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.ts';
import { useStack } from '../support/stack.ts';

const APP = 'https://app.example';
const EVIL = 'https://evil.example';

/** One raw HTTP exchange over the socket, headers exactly as given (as a browser sends them). */
function exchange(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** What Chromium sends before a cross-origin POST of JSON with an Authorization header. */
const preflight = (url: string, origin: string) =>
  exchange(url, 'OPTIONS', {
    origin,
    'access-control-request-method': 'POST',
    'access-control-request-headers': 'authorization,content-type',
    accept: '*/*',
    'sec-fetch-mode': 'cors',
    'sec-fetch-site': 'cross-site',
    'sec-fetch-dest': 'empty',
  });

const post = (url: string, origin: string, headers: Record<string, string> = {}) =>
  exchange(
    url,
    'POST',
    { origin, 'content-type': 'application/json', ...headers },
    JSON.stringify({ query: '{ users(first: 1) { nodes { id firstName } } }' }),
  );

const corsHeaders = (headers: Record<string, unknown>) =>
  Object.keys(headers).filter((name) => name.startsWith('access-control-'));

describe('CORS, off by default: no other site can read an answer', () => {
  const stack = useStack();
  let url = '';
  beforeAll(async () => {
    url = await stack.listen();
  });

  it('answers a browser preflight from any origin without a single CORS header', async () => {
    for (const origin of [EVIL, APP, 'null']) {
      const answer = await preflight(url, origin);
      expect(corsHeaders(answer.headers), origin).toEqual([]);
    }
  });

  it('runs a cross-origin query (as a server would) but gives the browser no header to let the page read it', async () => {
    const answer = await post(url, EVIL);
    expect(answer.status).toBe(200);
    expect(corsHeaders(answer.headers)).toEqual([]);
  });
});

describe('CORS for the origins CORS_ORIGINS lists, and no other', () => {
  const stack = useStack({
    env: { CORS_ORIGINS: `${APP}, http://localhost:3000`, GATEWAY_AUTH: 'bearer', GATEWAY_TOKENS: 'alpha-token' },
  });
  let url = '';
  beforeAll(async () => {
    url = await stack.listen();
  });

  it('allows a listed origin its preflight, without credentials, before any token is checked', async () => {
    const answer = await preflight(url, APP);
    expect(answer.status).toBe(204);
    expect(answer.headers['access-control-allow-origin']).toBe(APP);
    expect(answer.headers['access-control-allow-methods']).toBe('GET, POST');
    expect(String(answer.headers['access-control-allow-headers']).split(', ')).toEqual(
      expect.arrayContaining(['authorization', 'content-type', 'apikey']),
    );
    expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
    expect(String(answer.headers['vary']).toLowerCase()).toContain('origin');
  });

  it('gives every other origin, `null` included, no CORS header at all', async () => {
    for (const origin of [EVIL, 'null', `${APP}.evil.example`, 'http://app.example', 'https://app.example:8443']) {
      expect(corsHeaders((await preflight(url, origin)).headers), origin).toEqual([]);
      expect(corsHeaders((await post(url, origin)).headers), origin).toEqual([]);
    }
  });

  it("lets a listed origin's page read answers, refusals included", async () => {
    const ok = await post(url, APP, { authorization: 'Bearer alpha-token' });
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe(APP);
    expect(ok.headers['access-control-expose-headers']).toContain('x-request-id');
    const refused = await post(url, 'http://localhost:3000');
    expect(refused.status).toBe(401);
    expect(refused.headers['access-control-allow-origin']).toBe('http://localhost:3000');
  });
});

describe('CORS_ORIGINS', () => {
  it('takes exact origins only, listing every one that is not', () => {
    try {
      loadConfig({ CORS_ORIGINS: `*, ${APP}/, null, app.example, ftp://files.example, ${APP}` });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toHaveLength(5);
      for (const problem of (error as ConfigError).problems) expect(problem).toMatch(/^CORS_ORIGINS must list exact/);
    }
    expect(loadConfig({ CORS_ORIGINS: ` ${APP} ,http://127.0.0.1:5173` }).gateway.corsOrigins).toEqual([
      APP,
      'http://127.0.0.1:5173',
    ]);
    expect(loadConfig({}).gateway.corsOrigins).toEqual([]);
  });
});
