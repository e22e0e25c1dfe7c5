import type { WireUser } from '../../src/contract/types.ts';
import { CLIENT_FIELDS } from '../../src/contract/validation.ts';
import type { Simulator } from '../../src/simulator/index.ts';

/** A finished HTTP exchange: status, headers, raw text and the parsed JSON (undefined if not JSON). */
export interface Exchange {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the simulator answered.
  json: any;
}

interface CallOptions {
  /** Sent as JSON unless `raw` is given. */
  body?: unknown;
  /** Sent verbatim. */
  raw?: string;
  headers?: Record<string, string>;
  /** Leave out the apikey header. */
  noKey?: boolean;
  signal?: AbortSignal;
}

/** Calls the simulator over a real socket; `path` is relative to `sim.url` (e.g. `/users`). */
export async function call(sim: Simulator, method: string, path: string, options: CallOptions = {}): Promise<Exchange> {
  const headers: Record<string, string> = { ...(options.noKey ? {} : { apikey: sim.apiKey }) };
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  Object.assign(headers, options.headers);
  const response = await fetch(sim.url + path, { method, headers, body, signal: options.signal });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** The client-settable part of a wire user, as a create body would carry it. */
export function inputOf(user: WireUser): Record<string, unknown> {
  const allowed = new Set<string>(CLIENT_FIELDS);
  return Object.fromEntries(Object.entries(user).filter(([key]) => allowed.has(key)));
}

/** A minimal valid create body. */
export function newUser(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { first_name: 'Test', last_name: 'Person', ...overrides };
}

/** Asserts the contract's error shape and returns the error object. */
export function errorOf(answer: Exchange): {
  code: string;
  message: string;
  fields?: { field: string; message: string }[];
} {
  const error = answer.json?.error;
  if (!error || typeof error.code !== 'string' || typeof error.message !== 'string') {
    throw new Error(`not a contract error body (status ${answer.status}): ${answer.text}`);
  }
  return error;
}

/** Field names of a validation error, in the order reported. */
export function violatedFields(answer: Exchange): string[] {
  return (errorOf(answer).fields ?? []).map((f) => f.field);
}
