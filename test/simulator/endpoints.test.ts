import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSimulator, DEMO_ROOT_ID, type Simulator } from '../../src/simulator/index.ts';
import { call, errorOf, newUser } from '../support/simulator.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await createSimulator();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const SAMPLE = {
  title: 'MRS',
  first_name: 'Sara',
  middle_name: 'Anthony',
  last_name: 'pass',
  date_of_birth: '1989-11-07',
  email: 'bob@example.com',
  mobile: '+551185249635',
  address: {
    address_line1: 'Flat 1904',
    address_line2: 'Glass Tower',
    city: 'New York City',
    state: 'New York',
    postal_code: '12345',
    country: 'UKR',
  },
  gender: 'MALE',
  preferred_language: 'EN',
  nationality: 'USA',
  user_type: 'INDIVIDUAL',
};

describe('the simulator listens on loopback under /v1', () => {
  it('exposes a base URL on 127.0.0.1 ending in /v1 and the default key', () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(sim.apiKey).toBe('sim-test-key');
  });
});

describe('POST /users creates a user', () => {
  it('answers 201 with the contract example, server fields set and unset fields absent', async () => {
    const answer = await call(sim, 'POST', '/users', { body: SAMPLE });
    expect(answer.status).toBe(201);
    const user = answer.json;
    expect(user).toMatchObject(SAMPLE);
    expect(user.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(user.status).toBe('ACTIVE');
    expect(user.default_user).toBe(false);
    expect(user.director_list).toEqual([]);
    expect(user.signature_list).toEqual([]);
    expect(user.shareholder_list).toEqual([]);
    expect(user.created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(user.modified).toBe(user.created);
    for (const absent of ['status_reason_code', 'parent_user_id', 'native_name', 'phone_number', 'company_address']) {
      expect(user).not.toHaveProperty(absent);
    }
    expect(answer.text).not.toContain('null');
    expect(sim.getUser(user.id)).toEqual(user);
  });

  it('defaults user_type to INDIVIDUAL', async () => {
    const answer = await call(sim, 'POST', '/users', { body: { first_name: 'John', last_name: 'Smith' } });
    expect(answer.json.user_type).toBe('INDIVIDUAL');
  });

  it('creates a child when parent_user_id names an existing user', async () => {
    const answer = await call(sim, 'POST', '/users', {
      body: newUser({ parent_user_id: DEMO_ROOT_ID, relationship_with_parent: 'SON' }),
    });
    expect(answer.status).toBe(201);
    expect(answer.json.parent_user_id).toBe(DEMO_ROOT_ID);
    const children = await call(sim, 'GET', `/users/${DEMO_ROOT_ID}:getLinkedRelationships?limit=1`);
    expect(children.json.data[0].id).toBe(answer.json.id);
  });
});

describe('GET /users/{id} reads one user', () => {
  it('answers the seeded patriarch', async () => {
    const answer = await call(sim, 'GET', `/users/${DEMO_ROOT_ID}`);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ id: DEMO_ROOT_ID, first_name: 'Khalid', last_name: 'Al Mansouri' });
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('answers 404 "Resource Not Exist" for an unknown UUID and for an id that is no UUID', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', '12345']) {
      const answer = await call(sim, 'GET', `/users/${id}`);
      expect(answer.status).toBe(404);
      expect(errorOf(answer)).toEqual({ code: 'NOT_FOUND', message: 'Resource Not Exist' });
    }
  });
});

describe('GET /users lists users newest first', () => {
  it('puts the latest creation first and pages 20 by default', async () => {
    const created = await call(sim, 'POST', '/users', { body: newUser({ first_name: 'Newest' }) });
    const answer = await call(sim, 'GET', '/users');
    expect(answer.status).toBe(200);
    expect(answer.json.data).toHaveLength(20);
    expect(answer.json.data[0].id).toBe(created.json.id);
    expect(answer.json.has_more).toBe(true);
    expect(typeof answer.json.after).toBe('string');
  });
});

describe('GET /users/{id}:getLinkedRelationships lists direct children', () => {
  it('answers the patriarch’s spouse and children only, newest first', async () => {
    const answer = await call(sim, 'GET', `/users/${DEMO_ROOT_ID}:getLinkedRelationships`);
    expect(answer.status).toBe(200);
    expect(answer.json.data.map((u: { first_name: string }) => u.first_name)).toEqual([
      'Yousef',
      'Mariam',
      'Omar',
      'Aisha',
    ]);
    expect(answer.json.has_more).toBe(false);
    expect(answer.json).not.toHaveProperty('after');
  });

  it('accepts a percent-encoded colon', async () => {
    const answer = await call(sim, 'GET', `/users/${DEMO_ROOT_ID}%3AgetLinkedRelationships`);
    expect(answer.json.data).toHaveLength(4);
  });

  it('answers 404 for an unknown parent and an empty page for a leaf', async () => {
    const unknown = await call(sim, 'GET', '/users/00000000-0000-4000-8000-000000000000:getLinkedRelationships');
    expect(unknown.status).toBe(404);
    const leaf = await call(sim, 'POST', '/users', { body: newUser() });
    const empty = await call(sim, 'GET', `/users/${leaf.json.id}:getLinkedRelationships`);
    expect(empty.json).toEqual({ data: [], has_more: false });
  });
});

describe('PUT /users/{id} updates partially', () => {
  it('changes the given fields, keeps the others, never moves created and always moves modified', async () => {
    const before = (await call(sim, 'POST', '/users', { body: SAMPLE })).json;
    const answer = await call(sim, 'PUT', `/users/${before.id}`, { body: { first_name: 'John', last_name: 'Smith' } });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ ...SAMPLE, first_name: 'John', last_name: 'Smith' });
    expect(answer.json.created).toBe(before.created);
    expect(answer.json.modified > before.modified).toBe(true);
    expect(Object.keys(answer.json)).toEqual(Object.keys(before));
  });

  it('moves modified strictly forward on every update, even many within one millisecond', async () => {
    const { id } = (await call(sim, 'POST', '/users', { body: newUser() })).json;
    const stamps: string[] = [];
    for (let i = 0; i < 10; i++) {
      stamps.push((await call(sim, 'PUT', `/users/${id}`, { body: { middle_name: `M${i}` } })).json.modified);
    }
    const burst = await Promise.all(
      Array.from({ length: 10 }, (_, i) => call(sim, 'PUT', `/users/${id}`, { body: { title: `T${i}` } })),
    );
    stamps.push(...burst.map((a) => a.json.modified).sort());
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]! > stamps[i - 1]!).toBe(true);
  });

  it('replaces an address whole and leaves the old one nowhere', async () => {
    const { id } = (await call(sim, 'POST', '/users', { body: SAMPLE })).json;
    const answer = await call(sim, 'PUT', `/users/${id}`, { body: { address: { city: 'Dubai', country: 'ARE' } } });
    expect(answer.json.address).toEqual({ city: 'Dubai', country: 'ARE' });
  });

  it('answers 404 for an unknown user, before looking at the body', async () => {
    const answer = await call(sim, 'PUT', '/users/00000000-0000-4000-8000-000000000000', { body: { id: 'x' } });
    expect(answer.status).toBe(404);
    expect(errorOf(answer).code).toBe('NOT_FOUND');
  });
});

describe('every operation requires the apikey header', () => {
  const routes: [string, string, unknown?][] = [
    ['POST', '/users', newUser()],
    ['GET', '/users'],
    ['GET', `/users/${DEMO_ROOT_ID}`],
    ['POST', '/users:search', { name: 'a' }],
    ['GET', `/users/${DEMO_ROOT_ID}:getLinkedRelationships`],
    ['PUT', `/users/${DEMO_ROOT_ID}`, { title: 'MR' }],
  ];
  it.each(routes)('%s %s answers 401 without a key and with a wrong one', async (method, path, body) => {
    const missing = await call(sim, method, path, { body, noKey: true });
    expect(missing.status).toBe(401);
    expect(errorOf(missing).code).toBe('UNAUTHORIZED');
    const wrong = await call(sim, method, path, { body, headers: { apikey: 'nope' } });
    expect(wrong.status).toBe(401);
    expect(sim.getUser(DEMO_ROOT_ID)?.title).toBe('MR');
  });

  it('honours a custom key', async () => {
    const custom = await createSimulator({ apiKey: 'k-123', seed: 'empty' });
    try {
      expect((await call(custom, 'GET', '/users')).status).toBe(200);
      expect((await call(custom, 'GET', '/users', { headers: { apikey: 'sim-test-key' } })).status).toBe(401);
    } finally {
      await custom.close();
    }
  });

  it('serves the OpenAPI document without a key', async () => {
    const answer = await call(sim, 'GET', '/openapi.json', { noKey: true });
    expect(answer.status).toBe(200);
    expect(answer.json.openapi).toBe('3.1.0');
  });
});

describe('paths and methods outside the contract', () => {
  it('answers 404 for unknown paths', async () => {
    for (const path of ['/nothing', '/users/a/b', '/users:find', '/users/', '/user']) {
      const answer = await call(sim, 'GET', path);
      expect(answer.status, path).toBe(404);
      expect(errorOf(answer).code).toBe('NOT_FOUND');
    }
  });

  it('answers 405 with an Allow header for a known path and a wrong method', async () => {
    const cases: [string, string, string][] = [
      ['DELETE', '/users', 'GET, POST'],
      ['PATCH', `/users/${DEMO_ROOT_ID}`, 'GET, PUT'],
      ['GET', '/users:search', 'POST'],
      ['POST', `/users/${DEMO_ROOT_ID}:getLinkedRelationships`, 'GET'],
    ];
    for (const [method, path, allow] of cases) {
      const answer = await call(sim, method, path);
      expect(answer.status, `${method} ${path}`).toBe(405);
      expect(answer.headers.get('allow')).toBe(allow);
      expect(errorOf(answer).code).toBe('METHOD_NOT_ALLOWED');
    }
  });
});

describe('the request log', () => {
  it('records method, path, route, params, query, body, selected headers and status in arrival order', async () => {
    sim.clearRequests();
    await call(sim, 'GET', `/users/${DEMO_ROOT_ID}:getLinkedRelationships?limit=2&x=1`, {
      headers: { 'x-request-id': 'r-1', traceparent: '00-abc-def-01', 'x-other': 'no' },
    });
    await call(sim, 'POST', '/users', { body: { first_name: 'Log' }, headers: { 'x-nymos-idempotency-key': 'k1' } });
    await call(sim, 'GET', '/nowhere');
    expect(sim.requests).toHaveLength(3);
    const [children, create, unknown] = sim.requests;
    expect(children).toMatchObject({
      method: 'GET',
      path: `/v1/users/${DEMO_ROOT_ID}:getLinkedRelationships`,
      route: 'listChildren',
      params: { id: DEMO_ROOT_ID },
      query: { limit: '2', x: '1' },
      body: undefined,
      headers: { apikey: 'sim-test-key', 'x-request-id': 'r-1', traceparent: '00-abc-def-01' },
      status: 200,
    });
    expect(children!.headers).not.toHaveProperty('x-other');
    expect(create).toMatchObject({
      route: 'createUser',
      body: { first_name: 'Log' },
      headers: { 'content-type': 'application/json', 'x-nymos-idempotency-key': 'k1' },
      status: 201,
    });
    expect(unknown).toMatchObject({ route: null, status: 404, params: {} });
    expect(children!.at).toBeLessThanOrEqual(create!.at);
  });

  it('is emptied by clearRequests and reset, keeping the same array', async () => {
    const log = sim.requests;
    await call(sim, 'GET', '/users');
    sim.clearRequests();
    expect(log).toHaveLength(0);
    await call(sim, 'GET', '/users');
    sim.reset();
    expect(sim.requests).toBe(log);
    expect(log).toHaveLength(0);
  });
});

describe('reset and the data back doors', () => {
  it('reset restores the seed', async () => {
    const before = sim.users();
    await call(sim, 'POST', '/users', { body: newUser() });
    await call(sim, 'PUT', `/users/${DEMO_ROOT_ID}`, { body: { first_name: 'Changed' } });
    sim.reset();
    expect(sim.users()).toEqual(before);
  });

  it('hands out copies, so a test cannot corrupt the data by mutating them', () => {
    const user = sim.getUser(DEMO_ROOT_ID)!;
    user.first_name = 'Mutated';
    sim.users()[0]!.first_name = 'Mutated';
    expect(sim.getUser(DEMO_ROOT_ID)!.first_name).toBe('Khalid');
    expect(sim.users()[0]!.first_name).not.toBe('Mutated');
  });
});
