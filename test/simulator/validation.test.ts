import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ISO_ALPHA3 } from '../../src/contract/countries.ts';
import { ADDRESS_FIELDS, CLIENT_FIELDS, SERVER_FIELDS, validateUserInput } from '../../src/contract/validation.ts';
import { createSimulator, DEMO_ROOT_ID, type Simulator } from '../../src/simulator/index.ts';
import { call, errorOf, violatedFields } from '../support/simulator.ts';

/** The violation for one field of a create body, or undefined when the value passes. */
function verdict(field: string, value: unknown, mode: 'create' | 'update' = 'create'): string | undefined {
  const body = { first_name: 'Valid', [field]: value };
  return validateUserInput(body, mode).find((v) => v.field === field)?.message;
}

const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
const today = new Date().toISOString().slice(0, 10);

describe('the country list is ISO 3166-1 alpha-3', () => {
  it('holds all 249 assigned codes, upper case', () => {
    expect(ISO_ALPHA3.size).toBe(249);
    for (const code of ['USA', 'ARE', 'GBR', 'IND', 'BES', 'SSD', 'ALA', 'ZWE']) {
      expect(ISO_ALPHA3.has(code), code).toBe(true);
    }
    for (const code of ['usa', 'UK', 'XKX', 'EUR', 'ANT', 'YUG', 'UAE']) expect(ISO_ALPHA3.has(code), code).toBe(false);
  });
});

describe('a body that is not an object', () => {
  it.each([null, [], 'text', 42, true])('%j is one violation on "body"', (body) => {
    expect(validateUserInput(body, 'create')).toEqual([{ field: 'body', message: 'must be a JSON object' }]);
  });
});

describe('first_name is required and not blank', () => {
  it('is required on create only', () => {
    expect(validateUserInput({}, 'create')).toEqual([{ field: 'first_name', message: 'is required' }]);
    expect(validateUserInput({}, 'update')).toEqual([]);
  });
  it.each(['', '   ', '\t'])('refuses %j on create and update', (blank) => {
    expect(verdict('first_name', blank)).toBe('must not be blank');
    expect(verdict('first_name', blank, 'update')).toBe('must not be blank');
  });
});

describe('every field has a type', () => {
  const strings = CLIENT_FIELDS.filter(
    (f) => !['address', 'company_address', 'monthly_salary', 'expected_monthly_balance', 'parent_user_id'].includes(f),
  );
  it.each(strings)('%s must be a string', (field) => {
    expect(verdict(field, 5)).toBe('must be a string');
    expect(verdict(field, null)).toBe('must be a string');
    expect(verdict(field, ['x'])).toBe('must be a string');
  });
  it.each(['address', 'company_address'])('%s must be an object', (field) => {
    for (const value of ['Dubai', null, [], 3]) expect(verdict(field, value)).toBe('must be an object');
  });
  it.each(['monthly_salary', 'expected_monthly_balance'])('%s must be a finite, non-negative number', (field) => {
    expect(verdict(field, '1000')).toBe('must be a finite number');
    expect(verdict(field, null)).toBe('must be a finite number');
    expect(verdict(field, -0.01)).toBe('must not be negative');
    expect(verdict(field, 0)).toBeUndefined();
    expect(verdict(field, 12500.5)).toBeUndefined();
  });
});

describe('strings are at most 255 characters', () => {
  it('accepts 255 and refuses 256, nested ones too', () => {
    expect(verdict('last_name', 'x'.repeat(255))).toBeUndefined();
    expect(verdict('last_name', 'x'.repeat(256))).toBe('must be at most 255 characters');
    expect(verdict('first_name', 'x'.repeat(256))).toBe('must be at most 255 characters');
    const nested = validateUserInput({ first_name: 'A', address: { city: 'c'.repeat(256) } }, 'create');
    expect(nested).toEqual([{ field: 'address.city', message: 'must be at most 255 characters' }]);
  });
});

describe('date_of_birth is a real past calendar date', () => {
  it.each(['1989-11-07', '2000-02-29', today])('accepts %s', (date) =>
    expect(verdict('date_of_birth', date)).toBeUndefined(),
  );
  it.each(['1989-13-01', '2023-02-29', '1900-02-29', '2021-04-31', '1989-00-10'])(
    'refuses the impossible %s',
    (date) => {
      expect(verdict('date_of_birth', date)).toBe('must be a real calendar date');
    },
  );
  it.each(['07/11/1989', '1989-1-7', '1989-11-07T00:00:00Z', ''])('refuses the malformed %j', (date) => {
    expect(verdict('date_of_birth', date)).toBe('must be a date in the form YYYY-MM-DD');
  });
  it('refuses tomorrow', () => expect(verdict('date_of_birth', tomorrow)).toBe('must not be in the future'));
});

describe('email is a plausible address', () => {
  it.each(['bob@example.com', 'first.last+tag@mail.example.co.uk'])('accepts %s', (email) => {
    expect(verdict('email', email)).toBeUndefined();
  });
  it.each([
    'bob',
    'bob@',
    '@example.com',
    'bob@example',
    'bob smith@example.com',
    'bob@@example.com',
    'bob@example..com',
  ])('refuses %j', (email) => expect(verdict('email', email)).toBe('must be an email address'));
});

describe('mobile and phone_number are E.164', () => {
  it.each(['mobile', 'phone_number'])('%s', (field) => {
    for (const ok of ['+551185249635', '+971501234567', '+1234567', '+123456789012345'])
      expect(verdict(field, ok), ok).toBeUndefined();
    for (const bad of [
      '551185249635',
      '+0551185249635',
      '+12345',
      '+1234567890123456',
      '+971 50 123 4567',
      '+97150-1234567',
    ]) {
      expect(verdict(field, bad), bad).toMatch(/E\.164/);
    }
  });
});

describe('country fields are ISO 3166-1 alpha-3', () => {
  const fields = ['place_of_birth', 'nationality', 'country_residence', 'country_tax_residence', 'company_country'];
  it.each(fields)('%s', (field) => {
    expect(verdict(field, 'USA')).toBeUndefined();
    for (const bad of ['US', 'usa', 'UAE', 'XXX', 'United States']) expect(verdict(field, bad), bad).toMatch(/alpha-3/);
  });
  it.each(['address', 'company_address'])('%s.country', (field) => {
    expect(validateUserInput({ first_name: 'A', [field]: { country: 'ARE' } }, 'create')).toEqual([]);
    expect(validateUserInput({ first_name: 'A', [field]: { country: 'AE' } }, 'create')).toEqual([
      { field: `${field}.country`, message: 'must be an ISO 3166-1 alpha-3 country code such as USA' },
    ]);
  });
});

describe('enums come from the contract', () => {
  it('user_type', () => {
    for (const ok of ['INDIVIDUAL', 'BUSINESS', 'DIRECTOR', 'SIGNATURE', 'SHAREHOLDER', 'SHAREHOLDER_BUSINESS']) {
      expect(verdict('user_type', ok)).toBeUndefined();
    }
    expect(verdict('user_type', 'individual')).toMatch(/^must be one of INDIVIDUAL, BUSINESS/);
  });
  it('gender', () => {
    expect(verdict('gender', 'FEMALE')).toBeUndefined();
    expect(verdict('gender', 'F')).toBe('must be one of MALE, FEMALE');
  });
});

describe('parent_user_id is a UUID, null only on update', () => {
  it('checks the form', () => {
    expect(verdict('parent_user_id', DEMO_ROOT_ID)).toBeUndefined();
    expect(verdict('parent_user_id', 'abc')).toBe('must be a UUID');
    expect(verdict('parent_user_id', 7)).toBe('must be a UUID');
  });
  it('accepts null on update only', () => {
    expect(verdict('parent_user_id', null, 'update')).toBeUndefined();
    expect(verdict('parent_user_id', null)).toBe('must be a user id (null only on update)');
  });
});

describe('address objects hold only the six known keys', () => {
  it('names unknown and mistyped nested fields with dots', () => {
    const body = { first_name: 'A', company_address: { street: 'x', city: 3, ...{ postal_code: '1' } } };
    expect(validateUserInput(body, 'create')).toEqual([
      { field: 'company_address.street', message: 'is not a known field' },
      { field: 'company_address.city', message: 'must be a string' },
    ]);
    expect(ADDRESS_FIELDS).toEqual(['address_line1', 'address_line2', 'city', 'state', 'postal_code', 'country']);
  });
});

describe('unknown and server-set fields are refused by name', () => {
  it.each(SERVER_FIELDS)('%s is server-set', (field) => {
    expect(verdict(field, 'x')).toBe('is set by the server and cannot be sent');
    expect(verdict(field, 'x', 'update')).toBe('is set by the server and cannot be sent');
  });
  it('camelCase and invented fields are unknown', () => {
    expect(validateUserInput({ first_name: 'A', firstName: 'B', nickname: 'C' }, 'create')).toEqual([
      { field: 'firstName', message: 'is not a known field' },
      { field: 'nickname', message: 'is not a known field' },
    ]);
  });
});

describe('the simulator reports every violation at once', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await createSimulator();
  });
  afterAll(() => sim.close());

  const bad = {
    email: 'nope',
    mobile: '0501234567',
    date_of_birth: '2023-02-30',
    nationality: 'UAE',
    gender: 'M',
    monthly_salary: -1,
    address: { town: 'x', country: 'ae' },
    status: 'ACTIVE',
    favourite_colour: 'blue',
  };

  it('on POST /users: 400 VALIDATION_ERROR listing each field, nothing created', async () => {
    const count = sim.users().length;
    const answer = await call(sim, 'POST', '/users', { body: bad });
    expect(answer.status).toBe(400);
    expect(errorOf(answer).code).toBe('VALIDATION_ERROR');
    expect(violatedFields(answer).sort()).toEqual(
      [
        'email',
        'mobile',
        'date_of_birth',
        'nationality',
        'gender',
        'monthly_salary',
        'address.town',
        'address.country',
        'status',
        'favourite_colour',
        'first_name',
      ].sort(),
    );
    expect(sim.users()).toHaveLength(count);
  });

  it('on PUT /users/{id}: the same, first_name not required, the user unchanged', async () => {
    const before = sim.getUser(DEMO_ROOT_ID);
    const answer = await call(sim, 'PUT', `/users/${DEMO_ROOT_ID}`, {
      body: { ...bad, first_name: ' ', id: DEMO_ROOT_ID },
    });
    expect(answer.status).toBe(400);
    expect(violatedFields(answer)).toContain('first_name');
    expect(violatedFields(answer)).toContain('id');
    expect(violatedFields(answer)).toHaveLength(12);
    expect(sim.getUser(DEMO_ROOT_ID)).toEqual(before);
  });

  it('refuses a JSON body that is not an object', async () => {
    for (const body of [[], 'x', 1, null]) {
      const answer = await call(sim, 'POST', '/users', { body });
      expect(answer.status).toBe(400);
      expect(errorOf(answer).fields).toEqual([{ field: 'body', message: 'must be a JSON object' }]);
    }
  });
});
