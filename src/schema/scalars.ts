import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { ErrorCode } from '../errors.ts';

/**
 * Both scalars travel as the strings nCore uses. Input is checked for shape only; whether a date exists and
 * is not in the future is checked with the other input rules, so every violation is reported at once.
 * Output is passed through as nCore sent it: a timestamp in a format nCore adopts later must not cost a
 * whole list (these fields are non-null). A value that is not a string at all is refused where the field is
 * resolved (leafGuards.ts), since the executor would mask an error thrown here as a bug.
 */
function stringScalar(
  name: string,
  description: string,
  shape: RegExp,
  example: string,
): GraphQLScalarType<string, string> {
  const parse = (value: unknown): string => {
    if (typeof value !== 'string' || !shape.test(value)) {
      throw new GraphQLError(`${name} must be a string like ${example}.`, {
        extensions: { code: ErrorCode.BAD_USER_INPUT },
      });
    }
    return value;
  };
  return new GraphQLScalarType<string, string>({
    name,
    description,
    serialize: (value) => String(value),
    parseValue: parse,
    parseLiteral: (ast) => parse(ast.kind === Kind.STRING ? ast.value : undefined),
  });
}

export const DateTime = stringScalar(
  'DateTime',
  'An instant in UTC, ISO-8601 with milliseconds, e.g. `2021-05-27T18:48:00.074Z`.',
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/,
  '2021-05-27T18:48:00.074Z',
);

export const DateScalar = stringScalar(
  'Date',
  'A calendar date, `YYYY-MM-DD`, e.g. `1989-11-07`.',
  /^\d{4}-\d{2}-\d{2}$/,
  '1989-11-07',
);
