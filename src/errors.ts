import { GraphQLError } from 'graphql';
import { wireToGraphQLPath } from './ncore/naming.ts';
import type { FieldViolation } from './ncore/validation.ts';

/**
 * The closed vocabulary of `extensions.code` values the gateway itself raises. Bugs are not here: they stay
 * plain `Error`s, which Yoga masks as INTERNAL_SERVER_ERROR.
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  UPSTREAM_UNAUTHORIZED: 'UPSTREAM_UNAUTHORIZED',
  RATE_LIMITED: 'RATE_LIMITED',
  UPSTREAM_TIMEOUT: 'UPSTREAM_TIMEOUT',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  UPSTREAM_BAD_RESPONSE: 'UPSTREAM_BAD_RESPONSE',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** One offending field: in client errors, named as the GraphQL input names it (`dateOfBirth`, `address.country`). */
export type { FieldViolation };

/** A client-facing error with a stable code. `extensions` never carries upstream bodies, URLs or keys. */
export function gatewayError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

/** BAD_USER_INPUT listing every violation at once, field by field. */
export function badUserInput(message: string, fields: FieldViolation[] = []): GraphQLError {
  return gatewayError(ErrorCode.BAD_USER_INPUT, message, fields.length ? { fields } : {});
}

/** The code an error carries, or undefined for bugs and non-GraphQL errors. */
export function errorCode(error: unknown): string | undefined {
  return error instanceof GraphQLError ? (error.extensions['code'] as string | undefined) : undefined;
}

/** Upstream statuses whose retry is safe for an idempotent request. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/**
 * The one mapping from an nCore answer that is not a success to a client error. `body` is the parsed JSON
 * body when there was one; only its `error.fields[].field` names are used, never its text, so nothing the
 * upstream echoes (personal data, internals) reaches a client.
 */
export function errorFromStatus(status: number, body: unknown, retryAfterSeconds?: number): GraphQLError {
  const upstream = { upstreamStatus: status };
  switch (status) {
    case 400: {
      const fields = upstreamFields(body);
      return gatewayError(
        ErrorCode.BAD_USER_INPUT,
        'nCore rejected the input.',
        fields.length ? { ...upstream, fields } : upstream,
      );
    }
    case 401:
    case 403:
      return gatewayError(
        ErrorCode.UPSTREAM_UNAUTHORIZED,
        'nCore refused the credentials the gateway presented.',
        upstream,
      );
    case 404:
      return gatewayError(ErrorCode.NOT_FOUND, 'nCore has no such resource.', upstream);
    case 408:
    case 504:
      return gatewayError(ErrorCode.UPSTREAM_TIMEOUT, 'nCore timed out.', upstream);
    case 409:
      return gatewayError(ErrorCode.CONFLICT, 'nCore refused a conflicting or duplicate request.', upstream);
    case 429:
      return gatewayError(
        ErrorCode.RATE_LIMITED,
        'nCore is throttling requests; try again later.',
        retryAfterSeconds === undefined ? upstream : { ...upstream, retryAfterSeconds },
      );
    case 500:
    case 502:
    case 503:
      return gatewayError(ErrorCode.UPSTREAM_UNAVAILABLE, 'nCore is unavailable.', upstream);
    default:
      return gatewayError(
        ErrorCode.UPSTREAM_BAD_RESPONSE,
        `nCore answered with an unexpected status ${status}.`,
        upstream,
      );
  }
}

/** A success whose body is not what the contract promises (empty, HTML, truncated, another shape). */
export function badResponse(reason: string): GraphQLError {
  return gatewayError(ErrorCode.UPSTREAM_BAD_RESPONSE, `nCore sent a response the gateway cannot read: ${reason}.`);
}

/** Undici's error codes for calls that never got an answer. */
const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
]);

/** Maps a transport failure (no HTTP answer) to UPSTREAM_TIMEOUT or UPSTREAM_UNAVAILABLE. */
export function errorFromTransport(error: unknown, deadlineExceeded: boolean): GraphQLError {
  const code = (error as { code?: string } | null)?.code;
  if (deadlineExceeded || (code && TIMEOUT_CODES.has(code))) {
    return gatewayError(ErrorCode.UPSTREAM_TIMEOUT, 'nCore did not answer in time.');
  }
  return gatewayError(ErrorCode.UPSTREAM_UNAVAILABLE, 'nCore could not be reached.');
}

function upstreamFields(body: unknown): FieldViolation[] {
  const fields = (body as { error?: { fields?: unknown } } | null)?.error?.fields;
  if (!Array.isArray(fields)) return [];
  return fields
    .map((f) => (f as { field?: unknown })?.field)
    .filter((name): name is string => typeof name === 'string')
    .map((name) => ({ field: wireToGraphQLPath(name), message: 'nCore rejected this field.' }));
}
