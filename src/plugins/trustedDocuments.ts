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
  const refusal = (message: string, code: ErrorCode) => ({ message, extensions: { code, http: { status: 400 } } });
  return usePersistedOperations({
    allowArbitraryOperations: false,
    extractPersistedOperationId: (params) => {
      const documentId = (params as { documentId?: unknown }).documentId;
      if (typeof documentId === 'string') return documentId;
      const hash = (params.extensions?.['persistedQuery'] as { sha256Hash?: unknown } | undefined)?.sha256Hash;
      return typeof hash === 'string' ? (manifest.has(hash) ? hash : `sha256:${hash}`) : null;
    },
    getPersistedOperation: (id) => manifest.get(id) ?? null,
    customErrors: {
      persistedQueryOnly: refusal(
        'This gateway runs only trusted documents: send the documentId of an operation from the client build.',
        ErrorCode.PERSISTED_QUERY_ONLY,
      ),
      keyNotFound: refusal(
        'A documentId is required: this gateway runs only trusted documents.',
        ErrorCode.PERSISTED_QUERY_ID_REQUIRED,
      ),
      notFound: refusal(
        'No trusted document has that documentId; rebuild the client and deploy its manifest.',
        ErrorCode.PERSISTED_QUERY_NOT_FOUND,
      ),
    },
  }) as Plugin;
}
