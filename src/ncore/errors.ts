import type { GraphQLError } from 'graphql';
import { wireToGraphQLPath } from '../contract/naming.ts';
import { ADDRESS_FIELDS, ADDRESS_OBJECTS, CLIENT_FIELDS } from '../contract/validation.ts';
import { ErrorCode, type FieldViolation, gatewayError } from '../errors.ts';

/**
 * The one mapping from what nCore answers (a status, a body, or no answer at all) to the gateway's error
 * vocabulary. Only the names in a 400's `error.fields[].field` are ever read from a body, never its text, so
 * nothing the upstream echoes (personal data, internals) reaches a client.
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

/** Undici's error codes for calls that never got an answer in time. */
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

/** Every wire name of an input field, nested address fields as `address.city`, with its GraphQL name. */
const INPUT_FIELDS: ReadonlyMap<string, string> = new Map(
  [...CLIENT_FIELDS, ...ADDRESS_OBJECTS.flatMap((parent) => ADDRESS_FIELDS.map((field) => `${parent}.${field}`))].map(
    (wire) => [wire, wireToGraphQLPath(wire)],
  ),
);

/** The input fields a 400 names, by their GraphQL names; any other text in a name's place is dropped. */
function upstreamFields(body: unknown): FieldViolation[] {
  const fields = (body as { error?: { fields?: unknown } } | null)?.error?.fields;
  if (!Array.isArray(fields)) return [];
  const names = fields
    .map((f) => (f as { field?: unknown })?.field)
    .map((name) => (typeof name === 'string' ? INPUT_FIELDS.get(name) : undefined))
    .filter((name): name is string => name !== undefined);
  return [...new Set(names)].map((field) => ({ field, message: 'nCore rejected this field.' }));
}
