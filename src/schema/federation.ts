import {
  type DefinitionNode,
  type DocumentNode,
  type GraphQLFieldResolver,
  Kind,
  type ObjectTypeDefinitionNode,
  parse,
  print,
} from 'graphql';
import type { WireUser } from '../contract/types.ts';
import { badUserInput } from '../errors.ts';
import type { Context } from '../operation/context.ts';

/** The Federation v2 version this subgraph declares; every current router composes it. */
export const FEDERATION_SPEC = 'https://specs.apollo.dev/federation/v2.3';

/** Types other subgraphs may define too (Relay's `PageInfo` is in most graphs): shareable, so composition accepts both. */
const SHAREABLE = new Set(['PageInfo']);

/**
 * The subgraph's own SDL, as `_service { sdl }` gives it to composition: schema.graphql with `@link`,
 * `User @key(fields: "id")` and `@shareable` on the common value types. Nothing else changes, so the
 * standalone graph and the subgraph are one graph.
 */
export function subgraphSdl(typeDefs: DocumentNode): string {
  const link = parse(`extend schema @link(url: "${FEDERATION_SPEC}", import: ["@key", "@shareable"])`);
  const definitions = typeDefs.definitions.map((definition): DefinitionNode => {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) return definition;
    if (definition.name.value === 'User') return withDirective(definition, 'key', 'id');
    if (SHAREABLE.has(definition.name.value)) return withDirective(definition, 'shareable');
    return definition;
  });
  return print({ kind: Kind.DOCUMENT, definitions: [...link.definitions, ...definitions] });
}

function withDirective(type: ObjectTypeDefinitionNode, name: string, fields?: string): ObjectTypeDefinitionNode {
  const args = fields === undefined ? '' : `(fields: ${JSON.stringify(fields)})`;
  const directive = parse(`type T @${name}${args}`).definitions[0] as ObjectTypeDefinitionNode;
  return { ...type, directives: [...(type.directives ?? []), ...(directive.directives ?? [])] };
}

/**
 * What a router calls on a subgraph, added to the executable schema only (the directives live in the SDL
 * that `_service` returns, not in the schema that runs). `_Any` is a plain custom scalar: representations
 * arrive as objects and are read by `_entities`, never echoed.
 */
export const federationTypeDefs = parse(/* GraphQL */ `
  "A reference to an entity as a router sends it: \`{ __typename, ...key fields }\`."
  scalar _Any
  "Every type this subgraph resolves by key."
  union _Entity = User
  "This subgraph's SDL, for composition."
  type _Service {
    sdl: String!
  }
  extend type Query {
    "Resolves references from other subgraphs, in order; null for a user nCore does not have."
    _entities(representations: [_Any!]!): [_Entity]!
    _service: _Service!
  }
`);

/**
 * `_entities` and `_service`. Every reference goes through the request's `userById` loader, so any number
 * of references cost one nCore call per distinct id, all in one batch, and ids already in hand cost none.
 * The call budget, the deadline and the auth plugin apply as to any other query.
 */
export function federationResolvers(sdl: string) {
  const entities: GraphQLFieldResolver<unknown, Context, { representations: unknown[] }> = (
    _,
    { representations },
    { loaders },
  ) =>
    representations.map((reference, index): Promise<WireUser | null> | Error => {
      const { __typename, id } = (reference ?? {}) as { __typename?: unknown; id?: unknown };
      if (__typename !== 'User') {
        return badUserInput('This subgraph resolves User references only.', [
          { field: `representations[${index}].__typename`, message: 'must be "User"' },
        ]);
      }
      if (typeof id !== 'string') {
        return badUserInput('A User reference needs its id.', [
          { field: `representations[${index}].id`, message: 'must be a string' },
        ]);
      }
      return loaders.userById.load(id);
    });
  return {
    Query: { _entities: entities, _service: () => ({ sdl }) },
    _Entity: { __resolveType: () => 'User' },
  };
}
