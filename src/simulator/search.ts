import type { WireUser } from '../contract/types.ts';
import type { FieldViolation } from '../contract/validation.ts';
import { MAX_STRING_LENGTH } from '../contract/validation.ts';
import { ApiError } from './errors.ts';
import { parseCursor, parseLimit } from './paging.ts';

const CRITERIA = ['name', 'email', 'mobile'] as const;
const KNOWN = new Set<string>([...CRITERIA, 'limit', 'after']);

/** A checked `POST /users:search` body: lower-cased criteria and the page wanted. */
export interface SearchQuery {
  name?: string;
  email?: string;
  mobile?: string;
  offset: number;
  limit: number;
}

/** Checks a search body: known keys only, criteria non-blank strings, at least one criterion. */
export function parseSearch(body: unknown): SearchQuery {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'VALIDATION_ERROR', 'Invalid request body', [
      { field: 'body', message: 'must be a JSON object' },
    ]);
  }
  const input = body as Record<string, unknown>;
  const violations: FieldViolation[] = [];
  for (const key of Object.keys(input)) {
    if (!KNOWN.has(key)) violations.push({ field: key, message: 'is not a known field' });
  }
  const query: SearchQuery = { offset: 0, limit: 0 };
  for (const key of CRITERIA) {
    const value = input[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') violations.push({ field: key, message: 'must be a string' });
    else if (value.trim() === '') violations.push({ field: key, message: 'must not be blank' });
    else if (value.length > MAX_STRING_LENGTH) {
      violations.push({ field: key, message: `must be at most ${MAX_STRING_LENGTH} characters` });
    } else query[key] = value.toLowerCase();
  }
  if (violations.length > 0) throw new ApiError(400, 'VALIDATION_ERROR', 'Invalid request body', violations);
  if (CRITERIA.every((key) => input[key] === undefined)) {
    throw new ApiError(400, 'VALIDATION_ERROR', 'At least one search criterion is required: name, email or mobile');
  }
  query.limit = parseLimit(input.limit);
  query.offset = parseCursor(input.after);
  return query;
}

/**
 * Case-insensitive substring matching, criteria combined with AND. `name` is tried against each name
 * part and against the full name, both "first middle last" and "first last".
 */
export function matchesSearch(user: WireUser, query: SearchQuery): boolean {
  if (query.email !== undefined && !includes(user.email, query.email)) return false;
  if (query.mobile !== undefined && !includes(user.mobile, query.mobile)) return false;
  if (query.name === undefined) return true;
  const needle = query.name;
  const { first_name, middle_name, last_name, native_name } = user;
  const full = [first_name, middle_name, last_name].filter(Boolean).join(' ');
  const short = [first_name, last_name].filter(Boolean).join(' ');
  return [first_name, middle_name, last_name, native_name, full, short].some((part) => includes(part, needle));
}

function includes(haystack: string | undefined, lowerNeedle: string): boolean {
  return haystack?.toLowerCase().includes(lowerNeedle) ?? false;
}
