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
import { badUserInput, ErrorCode, type FieldViolation, gatewayError } from '../errors.ts';
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
 * Most references one `_entities` takes. A router's batch is one fetch's worth of entities, far below this;
 * a longer list is refused whole before any of it is read.
 */
export const MAX_REPRESENTATIONS = 1000;

/** Invalid references named in the one error that reports them all. */
const MAX_NAMED = 10;

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
    "Resolves up to ${MAX_REPRESENTATIONS} references from other subgraphs, in order; null for a user nCore does not have."
    _entities(representations: [_Any!]!): [_Entity]!
    _service: _Service!
  }
`);

/**
 * `_entities` and `_service`. Every reference goes through the request's `userById` loader, so a batch of
 * references costs one nCore call per distinct id, all at once, and ids already in hand cost none.
 * The call budget, the deadline and the auth plugin apply as to any other query. `_service` is refused with
 * introspection (plugins/introspection.ts); `npm run subgraph:sdl` prints the same SDL.
 */
export function federationResolvers(sdl: string) {
  const entities: GraphQLFieldResolver<unknown, Context, { representations: unknown[] }> = (
    _,
    { representations },
    { loaders },
  ) => {
    // Checked here, not in validation, so inline lists and variables are bounded alike.
    if (representations.length > MAX_REPRESENTATIONS) {
      throw gatewayError(
        ErrorCode.QUERY_TOO_COMPLEX,
        `_entities takes at most ${MAX_REPRESENTATIONS} representations, got ${representations.length}.`,
        { limit: 'maxRepresentations', max: MAX_REPRESENTATIONS },
      );
    }
    // Each invalid reference is null; one error, at the first, counts them and names the first few, so a
    // list of invalid references costs one error, not one each.
    const named: FieldViolation[] = [];
    let invalid = 0;
    let first = -1;
    const results = representations.map((reference, index): Promise<WireUser | null> | Error | null => {
      const { __typename, id } = (reference ?? {}) as { __typename?: unknown; id?: unknown };
      if (__typename === 'User' && typeof id === 'string') return loaders.userById.load(id);
      invalid += 1;
      if (first < 0) first = index;
      if (named.length < MAX_NAMED) {
        named.push(
          __typename !== 'User'
            ? { field: `representations[${index}].__typename`, message: 'must be "User"' }
            : { field: `representations[${index}].id`, message: 'must be a string' },
        );
      }
      return null;
    });
    if (invalid > 0) {
      results[first] = badUserInput(
        `${invalid} of ${representations.length} references are not a User with a string id, and resolve to null: this subgraph resolves User references only.`,
        named,
      );
    }
    return results;
  };
  return {
    Query: { _entities: entities, _service: () => ({ sdl }) },
    _Entity: { __resolveType: () => 'User' },
  };
}
