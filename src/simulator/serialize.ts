import type { WirePage, WireUser } from '../contract/types.ts';

// Stored users are never mutated in place (an update stores a new object), so a user's JSON can be
// cached against the object itself and dropped with it.
const cache = new WeakMap<WireUser, string>();

/** The JSON text of a stored user, serialized once per version of the record. */
export function userJson(user: WireUser): string {
  let json = cache.get(user);
  if (json === undefined) {
    json = JSON.stringify(user);
    cache.set(user, json);
  }
  return json;
}

/** The JSON text of a list page, built from the users' cached JSON; `after` only when present. */
export function pageJson(page: WirePage<WireUser>): string {
  const after = page.after === undefined ? '' : `,"after":${JSON.stringify(page.after)}`;
  return `{"data":[${page.data.map(userJson).join(',')}],"has_more":${page.has_more}${after}}`;
}
