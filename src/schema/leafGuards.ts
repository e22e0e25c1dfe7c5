import {
  defaultFieldResolver,
  GraphQLEnumType,
  GraphQLError,
  GraphQLObjectType,
  GraphQLScalarType,
  type GraphQLSchema,
  getNamedType,
} from 'graphql';
import { ErrorCode } from '../errors.ts';

/** The custom scalars whose values travel as strings. */
const STRING_SCALARS = new Set(['DateTime', 'Date']);

/**
 * nCore may add enum values at any time, and a value of the wrong type is possible from any upstream. The
 * executor masks a failed leaf serialisation as a bug, so each enum and string-scalar field checks its
 * value where it is resolved instead: one the schema cannot represent costs only that field (null, these
 * fields are nullable) with an UPSTREAM_BAD_RESPONSE error that names the type, never the value.
 */
export function guardLeaves(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const leaf = getNamedType(field.type);
      const accepts = acceptor(leaf);
      if (!accepts) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        const value = resolve(source, args, context, info) as unknown;
        if (value === null || value === undefined || accepts(value)) return value;
        throw new GraphQLError(`nCore sent a ${leaf.name} value this gateway does not know.`, {
          extensions: { code: ErrorCode.UPSTREAM_BAD_RESPONSE },
        });
      };
    }
  }
}

function acceptor(type: unknown): ((value: unknown) => boolean) | undefined {
  if (type instanceof GraphQLEnumType) {
    const values = new Set(type.getValues().map((v) => v.value));
    return (value) => values.has(value);
  }
  if (type instanceof GraphQLScalarType && STRING_SCALARS.has(type.name)) return (value) => typeof value === 'string';
  return undefined;
}
