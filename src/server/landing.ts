import type { Plugin } from 'graphql-yoga';
import { ErrorCode, refusal } from '../errors.ts';

/**
 * The root address: a browser opening `http://host:port/` is sent on to GraphiQL at `/graphql` when it is
 * served; otherwise the answer says where the graph is. Nothing else lives at `/`.
 */
export function useLanding(graphiql: boolean): Plugin {
  return {
    onRequest({ url, request, fetchAPI, endResponse }) {
      if (url.pathname !== '/' || (request.method !== 'GET' && request.method !== 'HEAD')) return;
      if (graphiql) return endResponse(new fetchAPI.Response(null, { status: 302, headers: { location: '/graphql' } }));
      endResponse(refusal(fetchAPI, 404, ErrorCode.NOT_FOUND, 'The GraphQL endpoint is /graphql.'));
    },
  };
}
