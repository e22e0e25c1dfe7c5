import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, DEMO_ROOT_ID, type Simulator } from '../../src/simulator/index.ts';
import { Random } from '../../src/simulator/random.ts';
import { call, errorOf } from '../support/simulator.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await createSimulator();
});
afterAll(() => sim.close());

const json = { 'content-type': 'application/json' };
const bodyRoutes: [string, string][] = [
  ['POST', '/users'],
  ['POST', '/users:search'],
  ['PUT', `/users/${DEMO_ROOT_ID}`],
];

/** Sends raw bytes over a fresh socket and returns what came back. */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
    socket.setTimeout(2000, () => socket.destroy());
  });
}

describe('bodies that are not JSON', () => {
  it.each(bodyRoutes)('%s %s: invalid JSON is 400 INVALID_JSON', async (method, path) => {
    for (const raw of ['{"first_name": ', 'first_name=x', "{'a':1}", '\u0000']) {
      const answer = await call(sim, method, path, method === 'GET' ? {} : { raw, headers: json });
      expect(answer.status).toBe(400);
      expect(errorOf(answer).code).toBe('INVALID_JSON');
    }
  });

  it.each(bodyRoutes)('%s %s: an empty body is 400 INVALID_JSON', async (method, path) => {
    const answer = await call(sim, method, path, { raw: '', headers: json });
    expect(answer.status).toBe(400);
    expect(errorOf(answer).code).toBe('INVALID_JSON');
  });

  it.each(bodyRoutes)('%s %s: another content type is 415', async (method, path) => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const answer = await call(sim, method, path, {
        raw: '{"first_name":"A","name":"A"}',
        headers: { 'content-type': type },
      });
      expect(answer.status, type).toBe(415);
      expect(errorOf(answer).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('a JSON body without a content type is 415', async () => {
    const answer = await call(sim, 'POST', '/users', { raw: '{"first_name":"A"}' });
    expect(answer.status).toBe(415);
  });

  it('accepts a charset parameter and a +json type', async () => {
    for (const type of ['application/json; charset=utf-8', 'Application/JSON', 'application/merge-patch+json']) {
      const answer = await call(sim, 'POST', '/users:search', {
        raw: '{"name":"khalid"}',
        headers: { 'content-type': type },
      });
      expect(answer.status, type).toBe(200);
    }
  });
});

describe('bodies over 1 MB', () => {
  it.each(bodyRoutes)('%s %s is 413 PAYLOAD_TOO_LARGE', async (method, path) => {
    const big = JSON.stringify({ first_name: 'A', last_name: 'x'.repeat(1024 * 1024) });
    const answer = await call(sim, method, path, { raw: big, headers: json });
    expect(answer.status).toBe(413);
    expect(errorOf(answer).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('accepts a body just under the limit (and refuses the long field)', async () => {
    const answer = await call(sim, 'POST', '/users', {
      raw: JSON.stringify({ first_name: 'A', last_name: 'x'.repeat(1000 * 1000) }),
      headers: json,
    });
    expect(answer.status).toBe(400);
    expect(errorOf(answer).fields).toEqual([{ field: 'last_name', message: 'must be at most 255 characters' }]);
  });

  it('keeps serving afterwards', async () => {
    expect((await call(sim, 'GET', `/users/${DEMO_ROOT_ID}`)).status).toBe(200);
  });
});

describe('garbage paths', () => {
  const paths = [
    '/',
    '/v1',
    '/v1/',
    '/v2/users',
    '/v1/users/%zz',
    '/v1/users/%E0%A4%A',
    `/v1/users/${DEMO_ROOT_ID}/`,
    `/v1/users/${DEMO_ROOT_ID}:getLinkedRelationships/x`,
    `/v1/users/${DEMO_ROOT_ID}:unknownVerb`,
    '/v1/users/..%2F..%2Fetc%2Fpasswd',
    '/v1/users/__proto__',
    '/v1/users/constructor:getLinkedRelationships',
    '/v1/users?__proto__=1&limit=2',
    `/v1/${'a'.repeat(4000)}`,
  ];
  it.each(paths)('%s answers 4xx with the error shape', async (path) => {
    const response = await fetch(`http://${new URL(sim.url).host}${path}`, { headers: { apikey: sim.apiKey } });
    const text = await response.text();
    if (path.startsWith('/v1/users?')) {
      expect(response.status).toBe(200);
      return;
    }
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(JSON.parse(text).error.code).toMatch(/^[A-Z_]+$/);
  });

  it('HEAD and OPTIONS are 405', async () => {
    expect((await fetch(`${sim.url}/users`, { method: 'HEAD', headers: { apikey: sim.apiKey } })).status).toBe(405);
    expect((await call(sim, 'OPTIONS', '/users')).status).toBe(405);
  });

  it('malformed HTTP gets a 400 and the server lives on', async () => {
    const port = Number(new URL(sim.url).port);
    const reply = await rawExchange(port, 'THIS IS NOT HTTP\r\n\r\n');
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect(reply).toContain('"code":"BAD_REQUEST"');
    expect((await call(sim, 'GET', '/users?limit=1')).status).toBe(200);
  });
});

describe('no request ever gets a 5xx', () => {
  it('survives 400 random requests', async () => {
    const random = new Random(7);
    const values: unknown[] = [
      null,
      true,
      0,
      -1,
      1e308,
      '',
      'x',
      '💥',
      [],
      {},
      [1, 'a'],
      { a: { b: null } },
      'x'.repeat(300),
      DEMO_ROOT_ID,
    ];
    const fields = [
      'first_name',
      'parent_user_id',
      'address',
      'limit',
      'after',
      'name',
      'email',
      'mobile',
      'id',
      'date_of_birth',
      '__proto__',
      'constructor',
    ];
    const targets: [string, string][] = [
      ['POST', '/users'],
      ['GET', '/users?limit=X&after=X'],
      ['GET', `/users/${DEMO_ROOT_ID}`],
      ['POST', '/users:search'],
      ['GET', `/users/${DEMO_ROOT_ID}:getLinkedRelationships?limit=X&after=X`],
      ['PUT', `/users/${DEMO_ROOT_ID}`],
    ];
    const statuses = new Set<number>();
    for (let i = 0; i < 400; i++) {
      const [method, template] = random.pick(targets);
      const path = template.replaceAll('X', () => encodeURIComponent(String(random.pick(values))));
      const body: Record<string, unknown> = {};
      for (let f = random.int(0, 4); f > 0; f--) body[random.pick(fields)] = random.pick(values);
      const raw = random.next() < 0.2 ? JSON.stringify(random.pick(values)) : JSON.stringify(body);
      const answer = await call(sim, method, path, method === 'GET' ? {} : { raw, headers: json });
      statuses.add(answer.status);
      expect(answer.status, `${method} ${path} ${raw}`).toBeLessThan(500);
      if (answer.status >= 400) errorOf(answer);
    }
    expect(statuses.has(400)).toBe(true);
    expect(sim.getUser(DEMO_ROOT_ID)).toBeDefined();
  });
});
