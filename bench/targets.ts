/**
 * The requests compared side by side, over the same simulator and the same users: a direct REST read, then
 * `user(id)` and a user with its parent and ten children on the gateway and on each peer. Apollo Server
 * (bench/peers/apollo) serves the gateway's own field names, so it is sent the gateway's operations; Mesh
 * serves the names its OpenAPI source gives it.
 */
import type { WireUser } from '../src/contract/types.ts';
import type { PreparedRequest, Target } from './load.ts';

const USER_FIELDS_GATEWAY = 'id firstName lastName email status created';
const USER_FIELDS_MESH = 'id first_name last_name email status created';

const GATEWAY_USER = `query User($id: ID!) { user(id: $id) { ${USER_FIELDS_GATEWAY} } }`;
const MESH_USER = `query User($id: UUID!) { getUser(id: $id) { ... on User { ${USER_FIELDS_MESH} } } }`;
const GATEWAY_NESTED = `query Nested($id: ID!) { user(id: $id) { ${USER_FIELDS_GATEWAY}
  parent { ${USER_FIELDS_GATEWAY} } children(first: 10) { nodes { ${USER_FIELDS_GATEWAY} } } } }`;
const MESH_NESTED = `query Nested($id: UUID!) { getUser(id: $id) { ... on User { ${USER_FIELDS_MESH}
  parent { ... on User { ${USER_FIELDS_MESH} } } children(limit: 10) { ... on UserPage { data { ${USER_FIELDS_MESH} } } } } } }`;

/** The operations, for RESULTS.md. */
export const OPERATIONS = { GATEWAY_USER, MESH_USER, GATEWAY_NESTED, MESH_NESTED };

function graphqlRequests(url: string, query: string, ids: readonly string[]): PreparedRequest[] {
  const path = new URL(url).pathname;
  return ids.map((id) => ({
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables: { id } }),
  }));
}

/** Fails unless the answer is a 200 whose JSON has no errors and passes `valid`. */
function graphqlCheck(valid: (data: Record<string, unknown>) => boolean): Target['check'] {
  return (status, text) => {
    const body = JSON.parse(text) as { data?: Record<string, unknown>; errors?: { message: string }[] };
    if (status !== 200 || body.errors?.length || !body.data || !valid(body.data))
      throw new Error(`unexpected answer ${status}: ${text.slice(0, 300)}`);
  };
}

/** `GET /v1/users/{id}` straight at the simulator. */
export function directTarget(upstreamUrl: string, apiKey: string, ids: readonly string[]): Target {
  const base = new URL(upstreamUrl);
  return {
    name: 'direct GET /users/{id}',
    origin: base.origin,
    requests: ids.map((id) => ({ method: 'GET', path: `${base.pathname}/users/${id}`, headers: { apikey: apiKey } })),
    check(status, text) {
      if (status !== 200 || !(JSON.parse(text) as WireUser).id) throw new Error(`unexpected answer ${status}`);
    },
  };
}

/** Who answers GraphQL: the gateway, or one of the peers it is compared with. */
export type ServerKind = 'gateway' | 'apollo' | 'mesh';

/** `user(id)` on the gateway or Apollo, or `getUser(id)` on Mesh. `label` names it when it is not `kind`. */
export function userTarget(kind: ServerKind, url: string, ids: readonly string[], label: string = kind): Target {
  const gateway = kind !== 'mesh';
  return {
    name: `${label} user(id)`,
    origin: new URL(url).origin,
    requests: graphqlRequests(url, gateway ? GATEWAY_USER : MESH_USER, ids),
    check: graphqlCheck((data) =>
      Boolean((gateway ? (data['user'] as { id?: string }) : (data['getUser'] as { id?: string }))?.id),
    ),
  };
}

/** A user with its parent and ten children, on the gateway, Apollo or Mesh. */
export function nestedTarget(kind: ServerKind, url: string, ids: readonly string[], label: string = kind): Target {
  const gateway = kind !== 'mesh';
  return {
    name: `${label} nested`,
    origin: new URL(url).origin,
    requests: graphqlRequests(url, gateway ? GATEWAY_NESTED : MESH_NESTED, ids),
    check: graphqlCheck((data) => {
      const user = (gateway ? data['user'] : data['getUser']) as Record<
        string,
        { id?: string; nodes?: unknown[]; data?: unknown[] }
      >;
      const children = gateway ? user['children']?.nodes : user['children']?.data;
      return Boolean(user?.['parent']?.id) && children?.length === 10;
    }),
  };
}
