import { GraphQLError } from 'graphql';
import { isAsyncIterable, mapAsyncIterator, maskError, type Plugin, type YogaServerOptions } from 'graphql-yoga';
import type { Logger } from 'pino';
import { ErrorCode } from '../errors.ts';

/**
 * Errors leave the gateway without the values that caused them. graphql-js and Yoga echo rejected input
 * into messages (`got invalid value { firstName: "…" }`, `Value "…" does not exist`, `found "…"`, Yoga's
 * `originalError` with the raw body), and input is where names, emails and dates of birth are. Messages are
 * rebuilt from their structure (the variable, the path, the expected type), never cut out of free text, so
 * no value can smuggle itself past. Every error also gets a code. A streamed answer (`@defer`, `@stream`, an
 * SSE subscription) is scrubbed part by part, the errors of its incremental entries too, which Yoga's masking
 * never sees: a bug there is masked and logged by `mask` as anywhere else.
 */
export function useScrubbedErrors(mask: MaskError): Plugin {
  const clean = (error: GraphQLError) => scrub(mask(error, 'Unexpected error.', false) as GraphQLError);
  return {
    onResultProcess({ result, setResult }) {
      if (isAsyncIterable(result)) return setResult(mapAsyncIterator(result, (part) => cleanPart(part, clean)));
      if (Array.isArray(result) || !('errors' in result) || !result.errors?.length) return;
      // Yoga lets a request error with an `originalError` set the status (400 for unreadable JSON); with the
      // echo gone, the status is carried at the result level, which Yoga honours and never serialises.
      const statuses = result.errors
        .filter((e) => e.extensions?.['originalError'])
        .map((e) => (e.extensions?.['http'] as { status?: number } | undefined)?.status ?? 0);
      const status = Math.max(0, ...statuses);
      const extensions = status ? { ...result.extensions, http: { status } } : result.extensions;
      setResult({ ...result, errors: result.errors.map(scrub), ...(extensions ? { extensions } : {}) });
    },
  };
}

/** One part of a streamed answer, its errors and its incremental entries' errors cleaned. */
function cleanPart<T extends object>(part: T, clean: (error: GraphQLError) => GraphQLError): T {
  const { errors, incremental } = part as { errors?: GraphQLError[]; incremental?: { errors?: GraphQLError[] }[] };
  if (!errors?.length && !incremental?.some((entry) => entry.errors?.length)) return part;
  return {
    ...part,
    ...(errors?.length && { errors: errors.map(clean) }),
    ...(incremental && {
      incremental: incremental.map((entry) => (entry.errors ? { ...entry, errors: entry.errors.map(clean) } : entry)),
    }),
  };
}

type MaskError = NonNullable<
  Exclude<NonNullable<YogaServerOptions<object, object>['maskedErrors']>, boolean>['maskError']
>;

/**
 * Yoga's masking of bugs, with the bug logged: the client sees INTERNAL_SERVER_ERROR and nothing else, the
 * log sees where it happened. Only the stack's frames are logged, not its message, which may quote data (a
 * parse error quotes its input).
 */
export function maskAndLogBugs(logger: Logger): MaskError {
  return (error, message, isDev) => {
    const masked = maskError(error, message, isDev);
    if (masked !== error) {
      const original = (error as { originalError?: unknown }).originalError ?? error;
      const frames =
        original instanceof Error
          ? (original.stack ?? '')
              .split('\n')
              .slice(1, 8)
              .map((f) => f.trim())
          : [];
      logger.error({ error: original instanceof Error ? original.name : typeof original, frames }, 'unexpected error');
    }
    return masked;
  };
}

/** One error without the values that caused it, and with a code; for results that skip `onResultProcess` (WebSocket). */
export function scrub(error: GraphQLError): GraphQLError {
  const { originalError: _dropped, ...extensions } = (error.extensions ?? {}) as Record<string, unknown>;
  const message = variableMessage(error) ?? withoutValues(error.message);
  if (message.startsWith('Variable "$')) extensions['code'] ??= ErrorCode.BAD_USER_INPUT;
  extensions['code'] ??= error.path
    ? ErrorCode.INTERNAL_SERVER_ERROR
    : error.locations?.length
      ? ErrorCode.GRAPHQL_VALIDATION_FAILED
      : ErrorCode.BAD_REQUEST;
  return new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions,
  });
}

/**
 * graphql-js words a variable it cannot coerce as `Variable "$v" got invalid value <value> at "<path>"; <reason>`,
 * with the reason's own error as `originalError`. Knowing the reason, the end of the message is known
 * exactly, so the path is read from there, and the value in the middle is never looked at.
 */
function variableMessage(error: GraphQLError): string | undefined {
  const name = /^Variable "\$(\w+)" got invalid value /.exec(error.message)?.[1];
  const reason = error.originalError?.message;
  if (name === undefined || reason === undefined || !error.message.endsWith(`; ${reason}`)) return undefined;
  const prefix = error.message.slice(0, -(reason.length + 2));
  const path = new RegExp(` at "(${name}(?:\\.\\w+|\\[\\d+\\])*)"$`).exec(prefix)?.[1];
  return `Variable "$${name}" has an invalid value${path ? ` at "${path}"` : ''}: ${withoutValues(reason)}`;
}

/** Keeps a message's shape and drops any value it quotes: all that follows `value:`, `found`, `Value`. */
function withoutValues(message: string): string {
  return message
    .replace(/^Value [\s\S]* does not exist in ("\w+" enum\.)[\s\S]*$/, 'The value does not exist in $1')
    .replace(/^(Expected value of type "[^"]+"), found [\s\S]*$/, '$1.')
    .replace(/(value)s?: [\s\S]*$/i, '$1.');
}
