import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireUser } from '../../src/contract/types.ts';
import { createSimulator, type Simulator } from '../../src/simulator/index.ts';
import { call, errorOf } from '../support/simulator.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await createSimulator({ seed: 'empty' });
  const people = [
    {
      first_name: 'Khalid',
      middle_name: 'Saeed',
      last_name: 'Al Mansouri',
      native_name: 'خالد سعيد المنصوري',
      email: 'khalid@example.ae',
      mobile: '+971501234567',
    },
    {
      first_name: 'Omar',
      middle_name: 'Khalid',
      last_name: 'Al Mansouri',
      email: 'omar.m@example.ae',
      mobile: '+971502345671',
    },
    { first_name: 'Sara', last_name: 'Khalidi', email: 'sara@example.jo', mobile: '+962791234567' },
    { first_name: 'John', last_name: 'Smith', email: 'JOHN.SMITH@Example.com', mobile: '+14155550143' },
    { first_name: 'Siobhán', last_name: "O'Brien", email: 'siobhan@example.ie' },
  ];
  for (const body of people) expect((await call(sim, 'POST', '/users', { body })).status).toBe(201);
});
afterAll(() => sim.close());

async function names(criteria: Record<string, unknown>): Promise<string[]> {
  const answer = await call(sim, 'POST', '/users:search', { body: criteria });
  expect(answer.status).toBe(200);
  return answer.json.data.map((u: WireUser) => u.first_name);
}

describe('name matches any name part, case-insensitively, newest first', () => {
  it('first, middle and last names, as substrings', async () => {
    expect(await names({ name: 'khalid' })).toEqual(['Sara', 'Omar', 'Khalid']);
    expect(await names({ name: 'MANSOURI' })).toEqual(['Omar', 'Khalid']);
    expect(await names({ name: 'mit' })).toEqual(['John']);
  });
  it('the native name', async () => {
    expect(await names({ name: 'المنصوري' })).toEqual(['Khalid']);
  });
  it('the full name "first middle last" and "first last"', async () => {
    expect(await names({ name: 'khalid saeed al man' })).toEqual(['Khalid']);
    // Khalid by "first last", Omar Khalid Al Mansouri by his full name.
    expect(await names({ name: 'Khalid Al Mansouri' })).toEqual(['Omar', 'Khalid']);
    expect(await names({ name: 'omar al' })).toEqual(['Omar']);
    expect(await names({ name: 'john smith' })).toEqual(['John']);
    expect(await names({ name: 'saeed khalid' })).toEqual([]);
  });
  it('accents and apostrophes as typed', async () => {
    expect(await names({ name: "o'brien" })).toEqual(['Siobhán']);
    expect(await names({ name: 'SIOBHÁN' })).toEqual(['Siobhán']);
  });
});

describe('email and mobile match as substrings', () => {
  it('email, case-insensitively', async () => {
    expect(await names({ email: 'john.smith@example' })).toEqual(['John']);
    expect(await names({ email: '.ae' })).toEqual(['Omar', 'Khalid']);
  });
  it('mobile', async () => {
    expect(await names({ mobile: '+9715' })).toEqual(['Omar', 'Khalid']);
    expect(await names({ mobile: '5550143' })).toEqual(['John']);
  });
});

describe('criteria combine with AND', () => {
  it('narrows by every criterion given', async () => {
    expect(await names({ name: 'khalid', email: '.ae' })).toEqual(['Omar', 'Khalid']);
    expect(await names({ name: 'khalid', mobile: '+9627' })).toEqual(['Sara']);
    expect(await names({ name: 'khalid', email: 'example.com' })).toEqual([]);
  });
});

describe('a search without a usable criterion is refused', () => {
  it('no criterion at all is 400, paging fields alone included', async () => {
    for (const body of [{}, { limit: 5 }, { after: 'MTA=' }]) {
      const answer = await call(sim, 'POST', '/users:search', { body });
      expect(answer.status).toBe(400);
      expect(errorOf(answer)).toEqual({
        code: 'VALIDATION_ERROR',
        message: 'At least one search criterion is required: name, email or mobile',
      });
    }
  });
  it('blank, mistyped and unknown criteria are named', async () => {
    const answer = await call(sim, 'POST', '/users:search', { body: { name: '  ', email: 5, first_name: 'x' } });
    expect(answer.status).toBe(400);
    expect(errorOf(answer).fields).toEqual([
      { field: 'first_name', message: 'is not a known field' },
      { field: 'name', message: 'must not be blank' },
      { field: 'email', message: 'must be a string' },
    ]);
  });
  it('a body that is not an object', async () => {
    const answer = await call(sim, 'POST', '/users:search', { body: ['name'] });
    expect(answer.status).toBe(400);
    expect(errorOf(answer).code).toBe('VALIDATION_ERROR');
  });
});
