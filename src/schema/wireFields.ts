import { type DocumentNode, type GraphQLFieldResolver, Kind } from 'graphql';
import { camelToSnake } from '../contract/naming.ts';

type FieldResolvers = Record<string, GraphQLFieldResolver<Record<string, unknown>, unknown>>;

/**
 * Resolvers for every field of `typeNames` that reads a snake_case wire field under a camelCase name,
 * derived from the schema itself: `dateOfBirth` reads `date_of_birth`. A non-null list reads an absent
 * wire field as empty, since nCore leaves unset fields out. Fields with matching names need nothing.
 */
export function wireFieldResolvers(
  typeDefs: DocumentNode,
  typeNames: readonly string[],
): Record<string, FieldResolvers> {
  const resolvers: Record<string, FieldResolvers> = {};
  for (const definition of typeDefs.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION || !typeNames.includes(definition.name.value)) continue;
    const fields: FieldResolvers = {};
    for (const field of definition.fields ?? []) {
      const name = field.name.value;
      const wire = camelToSnake(name);
      const emptyList = field.type.kind === Kind.NON_NULL_TYPE && field.type.type.kind === Kind.LIST_TYPE;
      if (emptyList) fields[name] = (source) => source[wire] ?? [];
      else if (wire !== name) fields[name] = (source) => source[wire];
    }
    resolvers[definition.name.value] = fields;
  }
  return resolvers;
}
