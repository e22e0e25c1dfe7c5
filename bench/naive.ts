/**
 * The yardstick without DataLoader: the same schema.graphql with the resolvers one writes first, one nCore
 * call per field that needs data, over plain fetch. No cache, no batching, no priming.
 */
import { readFileSync } from 'node:fs';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { type GraphQLFieldResolver, type GraphQLSchema, graphql } from 'graphql';
import type { WirePage, WireUser } from '../src/contract/types.ts';

type Args = Record<string, unknown>;

/** An nCore base URL (ending in /v1) and its key. */
export interface NaiveUpstream {
  url: string;
  apiKey: string;
}

/** Builds the naive schema and returns an executor with the same contract as the gateway's. */
export function naiveExecutor(
  upstream: NaiveUpstream,
): (query: string, variables?: Args) => Promise<Record<string, unknown>> {
  const schema = naiveSchema(upstream);
  return async (source, variableValues) => {
    const result = await graphql({ schema, source, variableValues, fieldResolver: wireField });
    if (result.errors?.length) throw new Error(`naive: ${result.errors.map((e) => e.message).join('; ')}`);
    return result.data as Record<string, unknown>;
  };
}

function naiveSchema({ url, apiKey }: NaiveUpstream): GraphQLSchema {
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const headers: Record<string, string> = { apikey: apiKey };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(url + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status === 404 && method === 'GET') return null;
    if (!res.ok) throw new Error(`nCore answered ${res.status} to ${method} ${path}`);
    return res.json();
  };
  const paging = (args: Args) => {
    const query = new URLSearchParams({ limit: String(args['first'] ?? 20) });
    if (args['after']) query.set('after', String(args['after']));
    return `?${query}`;
  };
  const getUser = (id: string) => call('GET', `/users/${id}`) as Promise<WireUser | null>;

  const typeDefs = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');
  const resolvers = {
    Query: {
      user: (_: unknown, { id }: Args) => getUser(String(id)),
      users: (_: unknown, args: Args) => call('GET', `/users${paging(args)}`),
      searchUsers: (_: unknown, args: Args) =>
        call('POST', '/users:search', {
          ...(args['filter'] as object),
          limit: args['first'] ?? 20,
          ...(args['after'] ? { after: args['after'] } : {}),
        }),
    },
    Mutation: {
      createUser: (_: unknown, { input, idempotencyKey }: Args) =>
        callWithKey(url, apiKey, toWire(input as Args), String(idempotencyKey)),
      updateUser: (_: unknown, { id, input }: Args) => call('PUT', `/users/${id}`, toWire(input as Args)),
    },
    User: {
      parent: (user: WireUser) => (user.parent_user_id ? getUser(user.parent_user_id) : null),
      children: (user: WireUser, args: Args) => call('GET', `/users/${user.id}:getLinkedRelationships${paging(args)}`),
      ancestors: async (user: WireUser) => {
        const ancestors: WireUser[] = [];
        const seen = new Set([user.id]);
        let next = user.parent_user_id;
        while (next && !seen.has(next)) {
          seen.add(next);
          const parent = await getUser(next);
          if (!parent) break;
          ancestors.push(parent);
          next = parent.parent_user_id;
        }
        return ancestors;
      },
    },
    UserConnection: {
      nodes: (page: WirePage<WireUser>) => page.data,
      edges: (page: WirePage<WireUser>) => page.data.map((node) => ({ node, cursor: null })),
      pageInfo: (page: WirePage<WireUser>) => ({ hasNextPage: page.has_more, endCursor: page.after ?? null }),
    },
  };
  return makeExecutableSchema({ typeDefs, resolvers });
}

async function callWithKey(url: string, apiKey: string, body: unknown, key: string): Promise<unknown> {
  const res = await fetch(`${url}/users`, {
    method: 'POST',
    headers: { apikey: apiKey, 'content-type': 'application/json', 'x-nymos-idempotency-key': key },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`nCore answered ${res.status} to POST /users`);
  return res.json();
}

/** Reads `firstName` from `first_name`: the wire object is the source of every plain field. */
const wireField: GraphQLFieldResolver<Record<string, unknown>, unknown> = (source, _args, _context, info) => {
  const value = source[info.fieldName] ?? source[info.fieldName.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)];
  return typeof value === 'function' ? (value as () => unknown)() : value;
};

function toWire(input: Args): Args {
  return Object.fromEntries(
    Object.entries(input).map(([k, v]) => [
      k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
      v && typeof v === 'object' ? toWire(v as Args) : v,
    ]),
  );
}
