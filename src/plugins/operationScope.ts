import type { Plugin } from 'graphql-yoga';
import type { RequestContext } from '../operation/context.ts';
import { createOperationScope, type ScopeParts } from '../operation/scope.ts';

/** `cache-control: no-cache` (or `max-age=0`), as a browser's reload sends it: read nCore itself, refresh the cache. */
const NO_CACHE = /(?:^|,)\s*(?:no-cache|max-age\s*=\s*0)\s*(?:,|$)/i;

/**
 * Each operation's scope, under its caller's key and its deadline: a plugin after authentication and the deadline
 * (plugins/auth.ts, plugins/deadline.ts), which put those in the context.
 */
export function useOperationScope(parts: ScopeParts): Plugin<Partial<RequestContext>> {
  return {
    onContextBuilding({ context: { caller, deadline, requestId, traceparent, trace, request }, extendContext }) {
      if (!caller || !deadline || requestId === undefined) throw new Error('auth, deadline and request id come first');
      const readThrough = parts.cache !== undefined && NO_CACHE.test(request.headers.get('cache-control') ?? '');
      extendContext(
        createOperationScope(
          parts,
          { apiKey: caller.apiKey, signal: deadline.signal, deadline: deadline.at, requestId, traceparent, trace },
          { readThrough },
        ),
      );
    },
  };
}
