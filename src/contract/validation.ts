import { ISO_ALPHA3 } from './countries.ts';
import { GENDERS, USER_TYPES, type WireAddress, type WireUserInput } from './types.ts';

/** One rule broken by a request body; `field` is the wire name, nested with dots (`address.city`). */
export interface FieldViolation {
  field: string;
  message: string;
}

/** The keys of an `address` or `company_address` object. */
export const ADDRESS_FIELDS = [
  'address_line1',
  'address_line2',
  'city',
  'state',
  'postal_code',
  'country',
] as const satisfies readonly (keyof WireAddress)[];

/** Every field a client may send on `POST /users` and `PUT /users/{id}`. */
export const CLIENT_FIELDS = [
  'user_type',
  'title',
  'first_name',
  'middle_name',
  'last_name',
  'native_name',
  'date_of_birth',
  'email',
  'mobile',
  'phone_number',
  'gender',
  'preferred_language',
  'place_of_birth',
  'nationality',
  'country_residence',
  'country_tax_residence',
  'company_country',
  'address',
  'company_address',
  'employment_type',
  'employment_title',
  'company_name',
  'industry_type',
  'monthly_salary',
  'expected_monthly_balance',
  'parent_user_id',
  'relationship_with_parent',
] as const satisfies readonly (keyof WireUserInput)[];

/** Fails to compile when WireUserInput and CLIENT_FIELDS (or WireAddress and ADDRESS_FIELDS) disagree. */
type Exhaustive<Listed, All> = [Exclude<All, Listed>] extends [never] ? true : false;
const _fieldListsAgree: [
  Exhaustive<(typeof CLIENT_FIELDS)[number], keyof WireUserInput>,
  Exhaustive<(typeof ADDRESS_FIELDS)[number], keyof WireAddress>,
] = [true, true];
void _fieldListsAgree;

/** Fields only the server sets; a body that carries one is refused, naming it. */
export const SERVER_FIELDS = [
  'id',
  'created',
  'modified',
  'status',
  'status_reason_code',
  'default_user',
  'director_list',
  'signature_list',
  'shareholder_list',
] as const;

/** Longest accepted string value. */
export const MAX_STRING_LENGTH = 255;

/** A UUID in canonical 8-4-4-4-12 hex form (any version). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A user id as nCore writes it (lower case): ids compare, key caches and reach URLs in this form. */
export function canonicalUserId(id: string): string {
  return id.toLowerCase();
}

/** E.164: a leading `+`, no leading zero, 7 to 15 digits in all. */
export const E164_PATTERN = /^\+[1-9]\d{6,14}$/;

// Plausible, not RFC 5322: one @, no spaces, a dotted domain whose labels are not empty.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

const ALPHA3_FIELDS = new Set([
  'place_of_birth',
  'nationality',
  'country_residence',
  'country_tax_residence',
  'company_country',
]);
const ENUM_FIELDS: Record<string, readonly string[]> = { user_type: USER_TYPES, gender: GENDERS };
const NUMBER_FIELDS = new Set(['monthly_salary', 'expected_monthly_balance']);
/** The client fields that hold an address object. */
export const ADDRESS_OBJECTS = ['address', 'company_address'] as const;
const OBJECT_FIELDS: ReadonlySet<string> = new Set(ADDRESS_OBJECTS);
const CLIENT_SET: ReadonlySet<string> = new Set(CLIENT_FIELDS);
const SERVER_SET: ReadonlySet<string> = new Set(SERVER_FIELDS);
const ADDRESS_SET: ReadonlySet<string> = new Set(ADDRESS_FIELDS);

/**
 * Checks a create or update body against the nCore Users contract and returns every violation at
 * once (an empty array means valid). Pure: the gateway runs it before sending, the simulator on arrival.
 * `create` requires `first_name`; `update` is partial and alone accepts `parent_user_id: null`.
 */
export function validateUserInput(body: unknown, mode: 'create' | 'update'): FieldViolation[] {
  if (!isPlainObject(body)) return [{ field: 'body', message: 'must be a JSON object' }];
  const violations: FieldViolation[] = [];
  for (const [field, value] of Object.entries(body)) {
    if (SERVER_SET.has(field)) {
      violations.push({ field, message: 'is set by the server and cannot be sent' });
    } else if (!CLIENT_SET.has(field)) {
      violations.push({ field, message: 'is not a known field' });
    } else {
      const message = checkField(field, value, mode);
      if (message) violations.push({ field, message });
      if (OBJECT_FIELDS.has(field) && isPlainObject(value)) violations.push(...checkAddress(field, value));
    }
  }
  if (mode === 'create' && !('first_name' in body)) {
    violations.push({ field: 'first_name', message: 'is required' });
  }
  return violations;
}

function checkField(field: string, value: unknown, mode: 'create' | 'update'): string | undefined {
  if (OBJECT_FIELDS.has(field)) return isPlainObject(value) ? undefined : 'must be an object';
  if (NUMBER_FIELDS.has(field)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a finite number';
    return value < 0 ? 'must not be negative' : undefined;
  }
  if (field === 'parent_user_id') {
    if (value === null) return mode === 'update' ? undefined : 'must be a user id (null only on update)';
    if (typeof value !== 'string' || !UUID_PATTERN.test(value)) return 'must be a UUID';
    return undefined;
  }
  if (typeof value !== 'string') return 'must be a string';
  if (value.length > MAX_STRING_LENGTH) return `must be at most ${MAX_STRING_LENGTH} characters`;
  return checkString(field, value);
}

function checkString(field: string, value: string): string | undefined {
  if (field === 'first_name') return value.trim() === '' ? 'must not be blank' : undefined;
  if (field === 'email') return EMAIL_PATTERN.test(value) ? undefined : 'must be an email address';
  if (field === 'mobile' || field === 'phone_number') {
    return E164_PATTERN.test(value) ? undefined : 'must be an E.164 number such as +971501234567';
  }
  if (field === 'date_of_birth') return checkDate(value);
  if (ALPHA3_FIELDS.has(field)) return checkCountry(value);
  const allowed = ENUM_FIELDS[field];
  if (allowed && !allowed.includes(value)) return `must be one of ${allowed.join(', ')}`;
  return undefined;
}

function checkAddress(parent: string, address: Record<string, unknown>): FieldViolation[] {
  const violations: FieldViolation[] = [];
  for (const [key, value] of Object.entries(address)) {
    const field = `${parent}.${key}`;
    let message: string | undefined;
    if (!ADDRESS_SET.has(key)) message = 'is not a known field';
    else if (typeof value !== 'string') message = 'must be a string';
    else if (value.length > MAX_STRING_LENGTH) message = `must be at most ${MAX_STRING_LENGTH} characters`;
    else if (key === 'country') message = checkCountry(value);
    if (message) violations.push({ field, message });
  }
  return violations;
}

function checkCountry(value: string): string | undefined {
  return ISO_ALPHA3.has(value) ? undefined : 'must be an ISO 3166-1 alpha-3 country code such as USA';
}

function checkDate(value: string): string | undefined {
  const match = DATE_PATTERN.exec(value);
  if (!match) return 'must be a date in the form YYYY-MM-DD';
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 2023-02-30 over into March; a real calendar date survives the round trip.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return 'must be a real calendar date';
  }
  const today = new Date().toISOString().slice(0, 10);
  return value > today ? 'must not be in the future' : undefined;
}

/** A JSON object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
