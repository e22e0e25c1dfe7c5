// @ts-check
/**
 * The benchmark's hand-written peer: what a team writes in an afternoon from Apollo's documentation.
 * Apollo Server 5 (`startStandaloneServer`) with one `RESTDataSource` per request, the resolvers mapping
 * nCore's snake_case users onto the gateway's own field names, so that the bench sends both the same
 * operations. As the documentation shows it: no DataLoader (RESTDataSource only deduplicates equal GETs
 * within a request), no metrics, no logs, no limits, no deadline.
 *
 * Started by bench/processes.ts as a child process with `SIM_URL` and `SIM_KEY`; reports `{ port }` over
 * IPC, stops when its parent disconnects and, whatever happens, after `MAX_LIFETIME_MS`.
 *
 * Plain JavaScript on purpose: its packages live in this folder's own node_modules, which the root
 * typecheck must not depend on.
 */
import { RESTDataSource } from '@apollo/datasource-rest';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

const simUrl = required('SIM_URL');
const simKey = required('SIM_KEY');
const maxLifetimeMs = Number(process.env.MAX_LIFETIME_MS ?? 15 * 60_000);
setTimeout(() => process.exit(0), maxLifetimeMs).unref();

const typeDefs = /* GraphQL */ `
  enum UserStatus {
    ACTIVE
    INACTIVE
    PENDINGKYC
    PENDINGIDVERIFICATION
    SUSPENDED
    TERMINATED
  }

  type User {
    id: ID!
    firstName: String!
    lastName: String
    email: String
    status: UserStatus
    created: String!
    parent: User
    children(first: Int = 10, after: String): UserConnection!
  }

  type UserConnection {
    nodes: [User!]!
  }

  type Query {
    user(id: ID!): User
  }
`;

/** nCore's Users API, as Apollo's RESTDataSource documentation shows a REST source. */
class NcoreAPI extends RESTDataSource {
  baseURL = `${simUrl}/`;

  /** @param {string} _path @param {import('@apollo/datasource-rest').AugmentedRequest} request */
  willSendRequest(_path, request) {
    request.headers.apikey = simKey;
  }

  /** @param {string} id */
  async getUser(id) {
    try {
      return await this.get(`users/${encodeURIComponent(id)}`);
    } catch (error) {
      if (
        /** @type {{ extensions?: { response?: { status?: number } } }} */ (error).extensions?.response?.status === 404
      )
        return null;
      throw error;
    }
  }

  /** @param {string} id @param {number} limit @param {string | undefined} after */
  listChildren(id, limit, after) {
    const params = { limit: String(limit), ...(after ? { after } : {}) };
    return this.get(`users/${encodeURIComponent(id)}:getLinkedRelationships`, { params });
  }
}

/** @typedef {{ dataSources: { ncore: NcoreAPI } }} ContextValue */
/** @typedef {Record<string, any>} WireUser */

const resolvers = {
  Query: {
    /** @param {unknown} _ @param {{ id: string }} args @param {ContextValue} context */
    user: (_, { id }, { dataSources }) => dataSources.ncore.getUser(id),
  },
  User: {
    /** @param {WireUser} u */
    firstName: (u) => u.first_name,
    /** @param {WireUser} u */
    lastName: (u) => u.last_name,
    /** @param {WireUser} u @param {unknown} _ @param {ContextValue} context */
    parent: (u, _, { dataSources }) => (u.parent_user_id ? dataSources.ncore.getUser(u.parent_user_id) : null),
    /** @param {WireUser} u @param {{ first: number, after?: string }} args @param {ContextValue} context */
    children: async (u, { first, after }, { dataSources }) => ({
      nodes: (await dataSources.ncore.listChildren(u.id, first, after)).data,
    }),
  },
};

const server = new ApolloServer({ typeDefs, resolvers });
const { url } = await startStandaloneServer(server, {
  listen: { port: 0, host: '127.0.0.1' },
  context: async () => {
    const { cache } = server;
    return { dataSources: { ncore: new NcoreAPI({ cache }) } };
  },
});
const port = Number(new URL(url).port);
if (process.send) process.send({ port });
else console.log(`Apollo Server at ${url}`);
process.on('disconnect', () => {
  void server.stop().then(() => process.exit(0));
});

/** @param {string} name */
function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is required`);
    process.exit(2);
  }
  return value;
}
