import { readFileSync } from 'node:fs';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { type GraphQLSchema, parse } from 'graphql';
import type { Context } from '../context.ts';
import type { Resolvers } from './generated.ts';
import { guardLeaves } from './leafGuards.ts';
import { Mutation } from './resolvers/Mutation.ts';
import { Query } from './resolvers/Query.ts';
import { Subscription } from './resolvers/Subscription.ts';
import { User } from './resolvers/User.ts';
import { UserConnection } from './resolvers/UserConnection.ts';
import { UserEvent } from './resolvers/UserEvent.ts';
import { DateScalar, DateTime } from './scalars.ts';
import { wireFieldResolvers } from './wireFields.ts';

/** The schema's source of truth, shared with codegen and clients. */
export const typeDefs = parse(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));

/** The executable schema: hand-written resolvers over the derived snake_case bridges. Built once per process. */
export function createSchema(): GraphQLSchema {
  const wire = wireFieldResolvers(typeDefs, ['User', 'Address']);
  const resolvers: Resolvers = {
    Query,
    Mutation,
    Subscription,
    User: { ...wire['User'], ...User },
    Address: wire['Address'],
    UserConnection,
    UserEvent,
    DateTime,
    Date: DateScalar,
  };
  const schema = makeExecutableSchema<Context>({ typeDefs, resolvers });
  guardLeaves(schema);
  return schema;
}
