import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { Plugin } from 'graphql-yoga';
import { ErrorCode } from '../errors.ts';

/**
 * Trusted-documents mode: only operations from the client build's manifest run, named by id. Arbitrary
 * documents are refused before parsing, so nothing a prober writes reaches the executor. The id is read
 * from `documentId` (client-preset's persisted documents) or from the Apollo-style
 * `extensions.persistedQuery.sha256Hash`.
 */
export function useTrustedDocuments(manifest: ReadonlyMap<string, string>): Plugin {
  const refusal = (code: keyof typeof TRUSTED_REFUSALS) => ({
    message: TRUSTED_REFUSALS[code],
    extensions: { code, http: { status: 400 } },
  });
  return usePersistedOperations({
    allowArbitraryOperations: false,
    extractPersistedOperationId: (params) => trustedDocumentId(params, manifest) ?? null,
    getPersistedOperation: (id) => manifest.get(id) ?? null,
    customErrors: {
      persistedQueryOnly: refusal(ErrorCode.PERSISTED_QUERY_ONLY),
      keyNotFound: refusal(ErrorCode.PERSISTED_QUERY_ID_REQUIRED),
      notFound: refusal(ErrorCode.PERSISTED_QUERY_NOT_FOUND),
    },
  }) as Plugin;
}

/** What each refusal of trusted-documents mode says, over HTTP and WebSocket alike. */
export const TRUSTED_REFUSALS = {
  [ErrorCode.PERSISTED_QUERY_ONLY]:
    'This gateway runs only trusted documents: send the documentId of an operation from the client build.',
  [ErrorCode.PERSISTED_QUERY_ID_REQUIRED]: 'A documentId is required: this gateway runs only trusted documents.',
  [ErrorCode.PERSISTED_QUERY_NOT_FOUND]:
    'No trusted document has that documentId; rebuild the client and deploy its manifest.',
} as const;

/**
 * The manifest id a request names: its `documentId`, or Apollo's `extensions.persistedQuery.sha256Hash`
 * (a bare hex hash is looked up as client-preset writes it, `sha256:<hex>`); undefined when it names none.
 */
export function trustedDocumentId(
  params: { extensions?: Record<string, unknown> | null },
  manifest: ReadonlyMap<string, string>,
): string | undefined {
  const documentId = (params as { documentId?: unknown }).documentId;
  if (typeof documentId === 'string') return documentId;
  const hash = (params.extensions?.['persistedQuery'] as { sha256Hash?: unknown } | undefined)?.sha256Hash;
  if (typeof hash !== 'string') return undefined;
  return manifest.has(hash) ? hash : `sha256:${hash}`;
}
