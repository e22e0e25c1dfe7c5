import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Errors leave the gateway without the values that caused them. graphql-js and Yoga echo rejected input
 * into messages (`got invalid value { firstName: "…" }`, `Value "…" does not exist`, Yoga's `originalError`
 * with the raw body), and input is where names, emails and dates of birth are. The messages keep what
 * helps a client: the variable, the path and the expected type. Every error also gets a code.
 */
export function useScrubbedErrors(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
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

const VARIABLE = /^Variable "\$(\w+)" got invalid value [\s\S]*?(?: at "([^"]*)")?; ([\s\S]*)$/;

function scrub(error: GraphQLError): GraphQLError {
  const { originalError: _dropped, ...extensions } = (error.extensions ?? {}) as Record<string, unknown>;
  let message = error.message;
  const variable = VARIABLE.exec(message);
  if (variable) {
    const [, name, path, reason] = variable;
    message = `Variable "$${name}" has an invalid value${path ? ` at "${path}"` : ''}: ${withoutValues(reason!)}`;
    extensions['code'] ??= 'BAD_USER_INPUT';
  } else {
    message = withoutValues(message);
  }
  if (message.startsWith('Variable "$')) extensions['code'] ??= 'BAD_USER_INPUT';
  extensions['code'] ??= error.locations?.length ? 'GRAPHQL_VALIDATION_FAILED' : 'BAD_REQUEST';
  return new GraphQLError(message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, originalError: error.originalError, extensions });
}

/** Drops echoed values: `… value: "x"` and `Value "x" does not exist` and `found "x"` keep only their shape. */
function withoutValues(message: string): string {
  return message
    .replace(/(value)s?: [\s\S]*$/i, '$1.')
    .replace(/^Value [\s\S]*? does not exist in/, 'The value does not exist in')
    .replace(/, found [\s\S]*?\.$/, '.')
    .replace(/^(Expected value of type "[^"]+"), found [\s\S]*?(;|$)/, '$1$2');
}
