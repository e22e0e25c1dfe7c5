import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { validateUserInput } from '../../src/contract/validation.ts';
import { createSimulator, DEMO_ROOT_ID, demoSeed, type Route, type Simulator } from '../../src/simulator/index.ts';
import { DEMO_BUSINESS_ID } from '../../src/simulator/seed.ts';
import { call, type Exchange, inputOf, newUser } from '../support/simulator.ts';

// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document is read as untyped JSON.
type Json = any;
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const doc: Json = JSON.parse(readFileSync(new URL('../../src/simulator/openapi.json', import.meta.url), 'utf8'));
const OPERATIONS = [
  'createUser',
  'listUsers',
  'getUser',
  'searchUsers',
  'listChildren',
  'updateUser',
  'registerWebhook',
  'listWebhooks',
];
/** A webhook endpoint where nothing listens: the simulator's ping fails there and is not retried. */
const NOWHERE = 'http://127.0.0.1:9/hooks';
const webhook = {
  endpoint: NOWHERE,
  events: ['USER_CREATED', 'KYC_RESULT'],
  config: {
    basic_auth_username: 'gw',
    basic_auth_password: 'secret',
    custom_headers: [{ header_name: 'x-tenant', header_value: 't1' }],
  },
};
const MISSING = '00000000-0000-4000-8000-000000000000';

/**
 * The document's schemas as one JSON Schema, with every object closed (`additionalProperties: false`)
 * unless it says otherwise: the document lets clients expect new fields, but the simulator must not
 * send a field the document does not name.
 */
function schemaBundle(): Json {
  const text = JSON.stringify(doc.components.schemas).replaceAll(
    '#/components/schemas/',
    'https://ncore.invalid/schemas#/$defs/',
  );
  const close = (node: Json): void => {
    if (Array.isArray(node)) node.forEach(close);
    else if (node && typeof node === 'object') {
      if (node.properties && node.additionalProperties === undefined) node.additionalProperties = false;
      Object.values(node).forEach(close);
    }
  };
  const defs = JSON.parse(text);
  close(defs);
  return { $id: 'https://ncore.invalid/schemas', $defs: defs };
}

const ajv = addFormats(new Ajv2020({ allErrors: true, allowUnionTypes: true }));
ajv.addSchema(schemaBundle());
const validatorFor = (ref: string) =>
  ajv.compile({ $ref: ref.replace('#/components/schemas/', 'https://ncore.invalid/schemas#/$defs/') });

/** Every (path, method, operationId, status) the document promises. */
function documented(): { path: string; method: string; operationId: string; status: string; response: Json }[] {
  const rows = [];
  for (const [path, item] of Object.entries<Json>(doc.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch']) {
      const op = item[method];
      if (!op) continue;
      for (const [status, raw] of Object.entries<Json>(op.responses)) {
        const response = raw.$ref ? doc.components.responses[raw.$ref.split('/').at(-1)] : raw;
        rows.push({ path, method: method.toUpperCase(), operationId: op.operationId, status, response });
      }
    }
  }
  return rows;
}

let sim: Simulator;
beforeAll(async () => {
  sim = await createSimulator();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const json = { 'content-type': 'application/json' };
const big = JSON.stringify({ first_name: 'x'.repeat(1_100_000) });
const key = { 'x-nymos-idempotency-key': 'drift' };

// How to make the simulator give each documented answer for real.
const scenarios: Record<string, () => Promise<Exchange>> = {
  'createUser 201': () =>
    call(sim, 'POST', '/users', { body: { ...inputOf(demoSeed()[0]!), parent_user_id: DEMO_ROOT_ID } }),
  'createUser 400': () => call(sim, 'POST', '/users', { body: { email: 'x', id: 'y' } }),
  'createUser 404': () => call(sim, 'POST', '/users', { body: newUser({ parent_user_id: MISSING }) }),
  'createUser 409': async () => {
    await call(sim, 'POST', '/users', { body: newUser(), headers: key });
    return call(sim, 'POST', '/users', { body: newUser({ first_name: 'Other' }), headers: key });
  },
  'createUser 413': () => call(sim, 'POST', '/users', { raw: big, headers: json }),
  'createUser 415': () =>
    call(sim, 'POST', '/users', { raw: 'first_name=A', headers: { 'content-type': 'text/plain' } }),
  'listUsers 200': () => call(sim, 'GET', '/users?limit=100'),
  'listUsers 400': () => call(sim, 'GET', '/users?limit=ten'),
  'getUser 200': () => call(sim, 'GET', `/users/${DEMO_BUSINESS_ID}`),
  'getUser 404': () => call(sim, 'GET', `/users/${MISSING}`),
  'searchUsers 200': () => call(sim, 'POST', '/users:search', { body: { name: 'a', limit: '5' } }),
  'searchUsers 400': () => call(sim, 'POST', '/users:search', { body: { nickname: 'x' } }),
  'searchUsers 409': async () => {
    await call(sim, 'POST', '/users:search', { body: { name: 'a' }, headers: key });
    return call(sim, 'POST', '/users:search', { body: { name: 'b' }, headers: key });
  },
  'searchUsers 413': () => call(sim, 'POST', '/users:search', { raw: big, headers: json }),
  'searchUsers 415': () =>
    call(sim, 'POST', '/users:search', { raw: 'name=a', headers: { 'content-type': 'text/plain' } }),
  'listChildren 200': () => call(sim, 'GET', `/users/${DEMO_ROOT_ID}:getLinkedRelationships?limit=2`),
  'listChildren 400': () => call(sim, 'GET', `/users/${DEMO_ROOT_ID}:getLinkedRelationships?after=bad`),
  'listChildren 404': () => call(sim, 'GET', `/users/${MISSING}:getLinkedRelationships`),
  'updateUser 200': () =>
    call(sim, 'PUT', `/users/${DEMO_ROOT_ID}`, { body: { first_name: 'John', parent_user_id: null } }),
  'updateUser 400': () => call(sim, 'PUT', `/users/${DEMO_ROOT_ID}`, { body: { parent_user_id: DEMO_ROOT_ID } }),
  'updateUser 404': () => call(sim, 'PUT', `/users/${MISSING}`, { body: { first_name: 'John' } }),
  'updateUser 413': () => call(sim, 'PUT', `/users/${DEMO_ROOT_ID}`, { raw: big, headers: json }),
  'updateUser 415': () =>
    call(sim, 'PUT', `/users/${DEMO_ROOT_ID}`, { raw: '<x/>', headers: { 'content-type': 'application/xml' } }),
  'registerWebhook 201': () => call(sim, 'POST', '/webhooks', { body: webhook }),
  'registerWebhook 400': () => call(sim, 'POST', '/webhooks', { body: { ...webhook, events: ['CARD_CREATED'] } }),
  'registerWebhook 413': () => call(sim, 'POST', '/webhooks', { raw: big, headers: json }),
  'registerWebhook 415': () =>
    call(sim, 'POST', '/webhooks', { raw: 'endpoint=x', headers: { 'content-type': 'text/plain' } }),
  'listWebhooks 200': async () => {
    await call(sim, 'POST', '/webhooks', { body: webhook });
    return call(sim, 'GET', '/webhooks');
  },
};

/** A request that reaches `operationId` (for statuses only a fault produces, and for 401). */
function reach(operationId: string, options: { noKey?: boolean } = {}): Promise<Exchange> {
  const byOp: Record<string, [string, string, unknown?]> = {
    createUser: ['POST', '/users', newUser()],
    listUsers: ['GET', '/users'],
    getUser: ['GET', `/users/${DEMO_ROOT_ID}`],
    searchUsers: ['POST', '/users:search', { name: 'a' }],
    listChildren: ['GET', `/users/${DEMO_ROOT_ID}:getLinkedRelationships`],
    updateUser: ['PUT', `/users/${DEMO_ROOT_ID}`, { title: 'MR' }],
    registerWebhook: ['POST', '/webhooks', webhook],
    listWebhooks: ['GET', '/webhooks'],
  };
  const [method, path, body] = byOp[operationId]!;
  return call(sim, method, path, { body, ...options });
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with the six user operations, the two webhook ones and the apikey scheme', () => {
    expect(doc.openapi).toBe('3.1.0');
    const ids = documented().map((row) => row.operationId);
    expect([...new Set(ids)].sort()).toEqual([...OPERATIONS].sort());
    expect(doc.components.securitySchemes.apikey).toEqual(
      expect.objectContaining({ type: 'apiKey', in: 'header', name: 'apikey' }),
    );
    expect(doc.components.parameters.IdempotencyKey.name).toBe('x-nymos-idempotency-key');
  });

  it('routes each documented path and method to its operation', async () => {
    const seen = new Set<string>();
    for (const row of documented()) {
      if (seen.has(row.operationId)) continue;
      seen.add(row.operationId);
      sim.clearRequests();
      const path = row.path.replace('{id}', DEMO_ROOT_ID);
      await call(sim, row.method, path, row.method === 'GET' ? {} : { body: { name: 'a', first_name: 'A' } });
      expect(sim.requests[0]!.route as Route).toBe(row.operationId);
    }
  });
});

describe('the simulator answers as the document says (drift check)', () => {
  it.each(documented().map((r) => [r.operationId, r.status, r] as const))('%s %s', async (operationId, status, row) => {
    let answer: Exchange;
    const scenario = scenarios[`${operationId} ${status}`];
    if (scenario) answer = await scenario();
    else if (status === '401') answer = await reach(operationId, { noKey: true });
    else {
      // Statuses the real upstream may give and the simulator produces only on demand.
      sim.setFaults({ kind: 'status', status: Number(status), route: operationId as Route, retryAfter: 1 });
      answer = await reach(operationId);
    }
    expect(answer.status).toBe(Number(status));
    const media = row.response.content?.['application/json'];
    expect(media, 'every documented answer has a JSON body').toBeDefined();
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    const validate = validatorFor(media.schema.$ref);
    const valid = validate(answer.json);
    expect(validate.errors ?? [], answer.text.slice(0, 500)).toEqual([]);
    expect(valid).toBe(true);
    for (const header of Object.keys(row.response.headers ?? {})) expect(answer.headers.get(header)).not.toBeNull();
  });

  it('has a scenario for every operation-specific status it documents', () => {
    const generic = new Set(['401', '403', '408', '429', '500', '502', '503', '504']);
    for (const row of documented()) {
      if (!generic.has(row.status))
        expect(scenarios, `${row.operationId} ${row.status}`).toHaveProperty(`${row.operationId} ${row.status}`);
    }
  });
});

describe('the request schemas agree with validateUserInput', () => {
  const createSchema = validatorFor('#/components/schemas/UserInput');
  const updateSchema = validatorFor('#/components/schemas/UserUpdate');

  it('every seeded user, as a create body, passes both', () => {
    for (const user of demoSeed()) {
      const body = inputOf(user);
      expect(validateUserInput(body, 'create')).toEqual([]);
      expect(createSchema(body), JSON.stringify(createSchema.errors)).toBe(true);
    }
  });

  it('bodies the validator refuses, the schema refuses too', () => {
    const bad: [Json, 'create' | 'update'][] = [
      [{}, 'create'],
      [{ first_name: 'A', id: 'x' }, 'create'],
      [{ first_name: 'A', mobile: '0501234567' }, 'create'],
      [{ first_name: 'A', nationality: 'us' }, 'update'],
      [{ first_name: 'A', gender: 'X' }, 'update'],
      [{ first_name: 'A', monthly_salary: -5 }, 'update'],
      [{ first_name: 'A', address: { town: 'x' } }, 'update'],
      [{ first_name: 'A', parent_user_id: null }, 'create'],
      [{ first_name: '' }, 'update'],
    ];
    for (const [body, mode] of bad) {
      expect(validateUserInput(body, mode), JSON.stringify(body)).not.toEqual([]);
      expect((mode === 'create' ? createSchema : updateSchema)(body), JSON.stringify(body)).toBe(false);
    }
    expect(updateSchema({ parent_user_id: null, first_name: 'B' })).toBe(true);
  });
});
