import type { WirePage } from '../contract/types.ts';
import { ApiError } from './errors.ts';

/** Page size when the client names none. */
export const DEFAULT_LIMIT = 20;
/** Largest page size; above it the request is refused. */
export const MAX_LIMIT = 100;

const DIGITS = /^\d+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Reads `limit` from a query string or a search body: a whole number 1..100, or its decimal string. */
export function parseLimit(raw: unknown): number {
  if (raw === undefined) return DEFAULT_LIMIT;
  let limit = Number.NaN;
  if (typeof raw === 'number' && Number.isInteger(raw)) limit = raw;
  else if (typeof raw === 'string' && DIGITS.test(raw)) limit = Number(raw);
  if (!(limit >= 1 && limit <= MAX_LIMIT)) {
    throw new ApiError(400, 'INVALID_LIMIT', `limit must be a whole number from 1 to ${MAX_LIMIT}`);
  }
  return limit;
}

/** Reads the opaque `after` cursor: base64 of a decimal offset. */
export function parseCursor(raw: unknown): number {
  if (raw === undefined) return 0;
  if (typeof raw === 'string' && BASE64.test(raw) && raw.length % 4 === 0) {
    const text = Buffer.from(raw, 'base64').toString('utf8');
    const offset = DIGITS.test(text) ? Number(text) : Number.NaN;
    if (Number.isSafeInteger(offset)) return offset;
  }
  throw new ApiError(400, 'INVALID_CURSOR', 'after is not a cursor this API issued');
}

/** Encodes an offset as a cursor, e.g. 10 -> `MTA=`. */
export function encodeCursor(offset: number): string {
  return Buffer.from(String(offset), 'utf8').toString('base64');
}

/** One page of `total` items, fetched by position so that no list is copied whole. */
export function pageOf<T>(total: number, offset: number, limit: number, at: (i: number) => T): WirePage<T> {
  const end = Math.min(total, offset + limit);
  const data: T[] = [];
  for (let i = offset; i < end; i++) data.push(at(i));
  return end < total ? { data, has_more: true, after: encodeCursor(end) } : { data, has_more: false };
}
