import type { TypedDocumentString } from './gql/graphql.ts';

/** A GraphQL error as the gateway sends it: a message and a stable `extensions.code`. */
export interface GatewayError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

/** The request failed as a whole (HTTP or GraphQL errors without data); `errors` holds what the gateway said. */
export class GatewayRequestError extends Error {
  constructor(
    readonly status: number,
    readonly errors: GatewayError[],
  ) {
    super(
      `gateway answered ${status}: ${errors.map((e) => `${e.extensions?.code ?? 'ERROR'} ${e.message}`).join('; ') || 'no GraphQL errors'}`,
    );
    this.name = 'GatewayRequestError';
  }
}

/** Where the gateway is and how to reach it. */
export interface ClientOptions {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  url: string;
  /** Sent with every request, e.g. `{ authorization: 'Bearer ...' }`. */
  headers?: Record<string, string>;
  /** A fetch to use instead of the global one. */
  fetch?: typeof fetch;
  /**
   * Send each document's id from the persisted-documents manifest instead of its text, as a gateway in
   * trusted-documents mode requires (it runs only the manifest's documents).
   */
  persisted?: boolean;
}

/**
 * Runs a typed document with plain fetch: the result and variables types come from the document, so a
 * query and its callers cannot drift apart from the schema without the type checker saying so.
 * Resolves with `data` and any field errors (a failed nested field does not fail the whole answer);
 * rejects with a GatewayRequestError when there is no data at all.
 */
export async function execute<TResult, TVariables>(
  options: ClientOptions,
  document: TypedDocumentString<TResult, TVariables>,
  // A document without variables may be called without them; one with variables must get them.
  ...[variables]: TVariables extends Record<string, never> ? [] | [TVariables] : [TVariables]
): Promise<{ data: TResult; errors: GatewayError[]; status: number }> {
  const documentId: unknown = document.__meta__?.['hash'];
  if (options.persisted && typeof documentId !== 'string')
    throw new Error('this document has no persisted id: regenerate the client');
  const response = await (options.fetch ?? fetch)(options.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...options.headers },
    body: JSON.stringify(options.persisted ? { documentId, variables } : { query: document.toString(), variables }),
  });
  const body = (await response.json().catch(() => ({}))) as { data?: TResult | null; errors?: GatewayError[] };
  if (body.data === undefined || body.data === null) throw new GatewayRequestError(response.status, body.errors ?? []);
  return { data: body.data, errors: body.errors ?? [], status: response.status };
}
