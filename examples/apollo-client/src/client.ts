import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { Defer20220824Handler, type GraphQLCodegenIncremental } from '@apollo/client/incremental';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { OperationTypeNode } from 'graphql';
import { createClient } from 'graphql-ws';

// Apollo's types for @defer: the chunks a link may pass on, and codegen's deferred fragments typed as present
// once a result is complete. Declared once per application.
declare module '@apollo/client' {
  export interface TypeOverrides extends Defer20220824Handler.TypeOverrides, GraphQLCodegenIncremental.TypeOverrides {}
}

/** Where the gateway is and how to reach it. */
export interface ClientOptions {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`; WebSockets go to the same path (`ws://`). */
  url: string;
  /** Sent with every request and as the WebSocket's `connectionParams`, e.g. `{ authorization: 'Bearer ...' }`. */
  headers?: Record<string, string>;
  /** A fetch to use instead of the global one. */
  fetch?: typeof fetch;
  /** A WebSocket class where there is no global one (Node 20: `import { WebSocket } from 'ws'`). */
  webSocketImpl?: unknown;
  /**
   * Name queries by their id in this build's persisted-documents manifest (`src/gql/persisted-documents.json`)
   * instead of hashing their text, for a gateway started with `TRUSTED_DOCUMENTS` set to that manifest.
   */
  trustedDocuments?: boolean;
}

/** SHA-256 of a query's text, hex, with Web Crypto (browsers, Node 20+): the hash APQ names a query by. */
async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The id codegen gave a document in the manifest (`sha256:<hex>`). */
function manifestId(document: unknown): string {
  const id = (document as { __meta__?: { hash?: unknown } }).__meta__?.hash;
  if (typeof id !== 'string') throw new Error('this document has no persisted id: regenerate src/gql');
  return id;
}

/**
 * The gateway's Apollo Client. Queries and mutations go over HTTP through Apollo's automatic persisted
 * queries: a query is sent as its SHA-256 only (by GET, so a CDN could cache it), and with its text once,
 * when the gateway does not know the hash yet. Subscriptions go over one WebSocket (`graphql-transport-ws`),
 * opened with the first subscription and closed after the last. `@defer` parts are merged into the result as
 * they arrive (the gateway answers `multipart/mixed`, the 2022 incremental format Apollo Router speaks too).
 */
export function createApolloClient(options: ClientOptions): ApolloClient {
  const http = new HttpLink({ uri: options.url, headers: options.headers, fetch: options.fetch });
  const persisted = new PersistedQueryLink(
    options.trustedDocuments
      ? { generateHash: manifestId, useGETForHashedQueries: true }
      : { sha256, useGETForHashedQueries: true },
  );
  const ws = new GraphQLWsLink(
    createClient({
      url: options.url.replace(/^http/, 'ws'),
      connectionParams: options.headers,
      webSocketImpl: options.webSocketImpl,
      lazy: true,
    }),
  );
  return new ApolloClient({
    // Subscriptions to the WebSocket, everything else to HTTP with persisted queries in front.
    link: ApolloLink.split(
      ({ operationType }) => operationType === OperationTypeNode.SUBSCRIPTION,
      ws,
      persisted.concat(http),
    ),
    cache: new InMemoryCache(),
    incrementalHandler: new Defer20220824Handler(),
  });
}
