import { createGraphQLError, type GraphQLParams, type Plugin } from 'graphql-yoga';
import { isPlainObject } from '../contract/validation.ts';
import { ErrorCode } from '../errors.ts';
import { JSON_TYPES } from './requestGuard.ts';

type Params = GraphQLParams & { documentId?: string };

/** Deeper than any input of the schema needs (three levels); deeper JSON only costs each reader its stack. */
export const MAX_NESTING = 32;
/** Parameters as sent, before their types are checked. */
type Raw = Record<string, unknown>;

/**
 * Reads GraphQL-over-HTTP parameters strictly, in place of Yoga's own readers, from a GET's URL or a JSON
 * POST's body. Each parameter of the wrong type, or a GET parameter that is not JSON, is a 400 naming the
 * parameter and what it must be, never a 500 (Yoga lets `JSON.parse` throw on `variables=abc`) and never an
 * error in the log: a malformed request is the caller's mistake. Media types match whatever their case
 * (`APPLICATION/JSON`), and a GET may carry a trusted document's `documentId`.
 */
export function useRequestParams(): Plugin {
  return {
    onRequestParse({ request, url, setRequestParser }) {
      if (request.method === 'GET') setRequestParser(() => fromSearchParams(url.searchParams));
      else if (request.method === 'POST' && JSON_TYPES.test(request.headers.get('content-type') ?? ''))
        setRequestParser(fromJsonBody);
    },
  };
}

function fromSearchParams(search: URLSearchParams): Params {
  const json = (name: 'variables' | 'extensions'): unknown => {
    const text = search.get(name);
    if (!text) return undefined;
    try {
      return JSON.parse(text);
    } catch {
      throw badParam(`The "${name}" parameter must be a JSON object, URL-encoded; it is not JSON.`);
    }
  };
  return checked({
    query: search.get('query') || undefined,
    operationName: search.get('operationName') || undefined,
    variables: json('variables'),
    extensions: json('extensions'),
    documentId: search.get('documentId') || undefined,
  });
}

async function fromJsonBody(request: Request): Promise<Params> {
  const body: unknown = await request.json().catch(() => {
    throw badParam('The POST body is not valid JSON.');
  });
  if (!isPlainObject(body)) throw badParam('The POST body must be a JSON object of GraphQL parameters.');
  return checked(body);
}

/** Every parameter's type at once; `null` stands for absent, as GraphQL over HTTP allows. */
function checked(params: Raw): Params {
  for (const name of ['query', 'operationName', 'documentId'] as const) {
    if (params[name] != null && typeof params[name] !== 'string') throw wrong(params, name, 'a string');
  }
  for (const name of ['variables', 'extensions'] as const) {
    if (params[name] != null && !isPlainObject(params[name])) throw wrong(params, name, 'a JSON object');
    if (nestedDeeperThan(params[name], MAX_NESTING))
      throw badParam(`The "${name}" parameter is nested more than ${MAX_NESTING} levels deep.`);
  }
  // Absent parameters are left out, so Yoga's own check of unknown parameters sees only what was sent.
  return Object.fromEntries(Object.entries(params).filter(([, value]) => value != null)) as Params;
}

/** Whether `value` holds objects or arrays more than `max` levels deep; walked without recursion. */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next;
    if (typeof item !== 'object' || item === null) continue;
    if (depth > max) return true;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return false;
}

function wrong(params: Raw, name: string, expected: string) {
  return badParam(`The "${name}" parameter must be ${expected}; it is ${kind(params[name])}.`);
}

function kind(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function badParam(message: string) {
  return createGraphQLError(message, {
    extensions: { code: ErrorCode.BAD_REQUEST, http: { status: 400 } },
  });
}
