import { GraphQLError } from 'graphql';
import type { FieldViolation } from './contract/validation.ts';

/**
 * The one vocabulary of `extensions.code` values a client can see. Every module that answers a client
 * takes its code from here; a code written as a string literal anywhere else is a bug. nCore's statuses
 * map onto these in `ncore/errors.ts`.
 */
export const ErrorCode = {
  // The caller's input or credentials.
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** The identity provider's keys cannot be fetched (and none were fetched before): no token can be judged now. */
  AUTH_UNAVAILABLE: 'AUTH_UNAVAILABLE',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  // nCore's side.
  UPSTREAM_UNAUTHORIZED: 'UPSTREAM_UNAUTHORIZED',
  RATE_LIMITED: 'RATE_LIMITED',
  UPSTREAM_TIMEOUT: 'UPSTREAM_TIMEOUT',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  UPSTREAM_BAD_RESPONSE: 'UPSTREAM_BAD_RESPONSE',
  // Live events (subscriptions).
  /** Subscriptions are off here: no webhook receiver, or `forward` mode without one tenant. */
  SUBSCRIPTIONS_UNAVAILABLE: 'SUBSCRIPTIONS_UNAVAILABLE',
  /** Over the most subscriptions per connection or per process. */
  TOO_MANY_SUBSCRIPTIONS: 'TOO_MANY_SUBSCRIPTIONS',
  /** The subscriber fell too far behind its events and was ended. */
  SLOW_CONSUMER: 'SLOW_CONSUMER',
  // The HTTP request itself, refused before any GraphQL runs.
  BAD_REQUEST: 'BAD_REQUEST',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  PERSISTED_QUERY_ONLY: 'PERSISTED_QUERY_ONLY',
  PERSISTED_QUERY_ID_REQUIRED: 'PERSISTED_QUERY_ID_REQUIRED',
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  /** Automatic persisted queries are not registered here (trusted-documents mode): send the full query. */
  PERSISTED_QUERY_NOT_SUPPORTED: 'PERSISTED_QUERY_NOT_SUPPORTED',
  // graphql-js's and Yoga's own, named here so the gateway's modules never spell them out.
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  /** A bug: masked for the client, its stack frames logged (see plugins/scrubErrors.ts). */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
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

/**
 * A refusal made outside GraphQL execution (a guard answering before parsing): an HTTP status with a body
 * shaped like a GraphQL response, so every client reads it the same way. `fetchAPI` is the server's own.
 */
export function refusal(
  fetchAPI: { Response: typeof Response },
  status: number,
  code: ErrorCode,
  message: string,
  headers: Record<string, string> = {},
): Response {
  const response = new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { ...headers, 'content-type': 'application/json; charset=utf-8' },
  });
  refused.set(response, code);
  return response;
}

const refused = new WeakMap<Response, ErrorCode>();

/** The code a refusal answered with (for the request's log line); undefined for any other response. */
export function refusalCode(response: Response): ErrorCode | undefined {
  return refused.get(response);
}
