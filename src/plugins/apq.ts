import { createHash } from 'node:crypto';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { ErrorCode } from '../errors.ts';
import type { PersistedQueryStore } from './apqStore.ts';

/** Apollo's protocol: `extensions.persistedQuery` of version 1 names its query by the SHA-256 of its text. */
const VERSION = 1;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Automatic persisted queries, as Apollo Client's persisted-queries link speaks them. A request naming only a
 * hash runs the query registered under it, or gets PERSISTED_QUERY_NOT_FOUND, on which the link sends the query
 * with its hash; the gateway checks the hash against the text before registering it, so no caller can register a
 * query under another's hash. GET works for queries (`useGETForHashedQueries`). What runs is an ordinary query:
 * auth, limits and the call budget apply unchanged. With trusted documents on, registration is refused with
 * PERSISTED_QUERY_NOT_SUPPORTED (the link then stops hashing) and a bare hash is left to the manifest.
 */
export function usePersistedQueries(store: PersistedQueryStore, options: { trustedDocuments: boolean }): Plugin {
  return {
    async onParams({ params, setParams }) {
      const persisted = params.extensions?.['persistedQuery'] as
        | { version?: unknown; sha256Hash?: unknown }
        | undefined;
      if (persisted === undefined) return;
      if (options.trustedDocuments) {
        if (params.query) throw refused(ErrorCode.PERSISTED_QUERY_NOT_SUPPORTED, 'PersistedQueryNotSupported', 400);
        return;
      }
      const hash = typeof persisted?.sha256Hash === 'string' ? persisted.sha256Hash.toLowerCase() : '';
      if (persisted?.version !== VERSION || !SHA256_HEX.test(hash)) {
        throw refused(ErrorCode.BAD_REQUEST, 'extensions.persistedQuery must be { version: 1, sha256Hash: <64 hex> }.');
      }
      if (params.query) {
        if (createHash('sha256').update(params.query).digest('hex') !== hash)
          throw refused(ErrorCode.BAD_REQUEST, "The persisted query's sha256Hash is not the SHA-256 of its query.");
        store.set(hash, params.query);
        return;
      }
      const query = await store.get(hash);
      if (query === undefined) throw refused(ErrorCode.PERSISTED_QUERY_NOT_FOUND, 'PersistedQueryNotFound', 404);
      setParams({ ...params, query });
    },
  };
}

/** Apollo's link reads these by message as well as by code, so the messages are Apollo's words. */
function refused(code: ErrorCode, message: string, status = 400) {
  return createGraphQLError(message, { extensions: { code, http: { status } } });
}
