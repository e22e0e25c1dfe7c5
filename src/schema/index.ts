import { readFileSync } from 'node:fs';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { type GraphQLSchema, parse } from 'graphql';
import type { EventHub } from '../events/hub.ts';
import type { Context } from '../operation/context.ts';
import { federationResolvers, federationTypeDefs, subgraphSdl } from './federation.ts';
import type { Resolvers } from './generated.ts';
import { guardLeaves } from './leafGuards.ts';
import { Mutation } from './resolvers/Mutation.ts';
import { Node } from './resolvers/Node.ts';
import { Query } from './resolvers/Query.ts';
import { subscriptionResolvers } from './resolvers/Subscription.ts';
import { User } from './resolvers/User.ts';
import { UserConnection } from './resolvers/UserConnection.ts';
import { UserEvent } from './resolvers/UserEvent.ts';
import { DateScalar, DateTime } from './scalars.ts';
import { wireFieldResolvers } from './wireFields.ts';

/** The schema's source of truth, shared with codegen and clients. */
export const typeDefs = parse(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));

/**
 * The executable schema: hand-written resolvers over the derived snake_case bridges. Built once per process.
 * With `federation`, also a Federation v2 subgraph (`_entities`, `_service`; see federation.ts); without it,
 * exactly schema.graphql.
 */
export function createSchema({
  events,
  federation = false,
}: {
  events: EventHub;
  federation?: boolean;
}): GraphQLSchema {
  const wire = wireFieldResolvers(typeDefs, ['User', 'Address']);
  const resolvers: Resolvers = {
    Query,
    Mutation,
    Node,
    Subscription: subscriptionResolvers(events),
    User: { ...wire['User'], ...User },
    Address: wire['Address'],
    UserConnection,
    UserEvent,
    DateTime,
    Date: DateScalar,
  };
  const schema = federation
    ? makeExecutableSchema<Context>({
        typeDefs: [typeDefs, federationTypeDefs],
        resolvers: [resolvers, federationResolvers(subgraphSdl(typeDefs))],
      })
    : makeExecutableSchema<Context>({ typeDefs, resolvers });
  guardLeaves(schema);
  return schema;
}
