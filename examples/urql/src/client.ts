import { Client, cacheExchange, fetchExchange, subscriptionExchange } from '@urql/core';
import { persistedExchange } from '@urql/exchange-persisted';
import { createClient as createSseClient } from 'graphql-sse';

/** Where the gateway is and how to reach it. */
export interface ClientOptions {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`; subscriptions stream from the same URL. */
  url: string;
  /** Sent with every request, subscriptions included, e.g. `{ authorization: 'Bearer ...' }`. */
  headers?: Record<string, string>;
  /** A fetch to use instead of the global one. */
  fetch?: typeof fetch;
  /**
   * Name queries by their id in this build's persisted-documents manifest (`src/gql/persisted-documents.json`)
   * instead of hashing their text, and never send the text, for a gateway started with `TRUSTED_DOCUMENTS`
   * set to that manifest.
   */
  trustedDocuments?: boolean;
}

/** SHA-256 of a query's text, hex, with Web Crypto (browsers, Node 20+): the hash APQ names a query by. */
async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The id codegen gave a document in the manifest (`sha256:<hex>`). */
async function manifestId(_query: string, document: unknown): Promise<string> {
  const id = (document as { __meta__?: { hash?: unknown } }).__meta__?.hash;
  if (typeof id !== 'string') throw new Error('this document has no persisted id: regenerate src/gql');
  return id;
}

/**
 * The gateway's urql client. Queries go through automatic persisted queries: sent as their SHA-256 only, by
 * GET, and with their text once, when the gateway does not know the hash yet (also by GET while the URL stays
 * under 2048 characters; mutations are sent whole, by POST). `@defer` parts arrive over the same fetch (`multipart/mixed` or `text/event-stream`, whichever the
 * gateway picks from urql's `accept`) and are merged into the result as they come. Subscriptions are
 * GraphQL over Server-Sent Events, one streamed POST each ("distinct connections" mode), by graphql-sse.
 */
export function createUrqlClient(options: ClientOptions): Client {
  const sse = createSseClient({ url: options.url, headers: options.headers, fetchFn: options.fetch });
  return new Client({
    url: options.url,
    fetch: options.fetch,
    fetchOptions: { headers: options.headers },
    exchanges: [
      cacheExchange,
      options.trustedDocuments
        ? persistedExchange({
            preferGetForPersistedQueries: true,
            generateHash: manifestId,
            enforcePersistedQueries: true,
          })
        : persistedExchange({ preferGetForPersistedQueries: true, generateHash: sha256 }),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: sse.subscribe({ ...request, query: request.query ?? '' }, sink) }),
        }),
      }),
    ],
  });
}
