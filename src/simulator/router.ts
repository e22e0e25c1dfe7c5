import type { Route } from './types.ts';

/** Where a request path leads: an operation, a known path asked with the wrong method, or nowhere. */
export type RouteMatch =
  | { kind: 'route'; route: Route; params: { id?: string }; public: boolean }
  | { kind: 'method-not-allowed'; allow: string; public: boolean }
  | { kind: 'not-found' };

/** The version prefix every path carries. */
export const BASE_PATH = '/v1';

const COLLECTION: Record<string, Route> = { GET: 'listUsers', POST: 'createUser' };
const SEARCH: Record<string, Route> = { POST: 'searchUsers' };
const OPENAPI: Record<string, Route> = { GET: 'openapi' };
const ITEM: Record<string, Route> = { GET: 'getUser', PUT: 'updateUser' };
const CHILDREN: Record<string, Route> = { GET: 'listChildren' };
const WEBHOOKS: Record<string, Route> = { GET: 'listWebhooks', POST: 'registerWebhook' };
const CHILDREN_SUFFIX = ':getLinkedRelationships';

/**
 * Maps a method and a raw path (no query string) to an operation. The `{id}` segment is decoded but
 * not checked: an id that is no UUID still routes, and the handler answers 404 for it.
 */
export function matchRoute(method: string, rawPath: string): RouteMatch {
  // Some clients percent-encode the colon of `users:search`; the path means the same thing.
  const path = rawPath.includes('%') ? rawPath.replace(/%3a/gi, ':') : rawPath;
  if (!path.startsWith(`${BASE_PATH}/`)) return { kind: 'not-found' };
  const rest = path.slice(BASE_PATH.length + 1);
  if (rest === 'users') return pick(COLLECTION, method, {}, false);
  if (rest === 'users:search') return pick(SEARCH, method, {}, false);
  if (rest === 'openapi.json') return pick(OPENAPI, method, {}, true);
  if (rest === 'webhooks') return pick(WEBHOOKS, method, {}, false);
  if (!rest.startsWith('users/')) return { kind: 'not-found' };
  let segment = rest.slice('users/'.length);
  let table = ITEM;
  if (segment.endsWith(CHILDREN_SUFFIX)) {
    segment = segment.slice(0, -CHILDREN_SUFFIX.length);
    table = CHILDREN;
  }
  if (segment === '' || segment.includes('/') || segment.includes(':')) return { kind: 'not-found' };
  let id: string;
  try {
    id = decodeURIComponent(segment);
  } catch {
    return { kind: 'not-found' };
  }
  return pick(table, method, { id }, false);
}

function pick(table: Record<string, Route>, method: string, params: { id?: string }, isPublic: boolean): RouteMatch {
  const route = Object.hasOwn(table, method) ? table[method] : undefined;
  if (route) return { kind: 'route', route, params, public: isPublic };
  return { kind: 'method-not-allowed', allow: Object.keys(table).join(', '), public: isPublic };
}
