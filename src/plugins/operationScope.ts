import type { Plugin } from 'graphql-yoga';
import type { RequestContext } from '../operation/context.ts';
import { createOperationScope, type ScopeParts } from '../operation/scope.ts';

/**
 * Each operation's scope, under its caller's key and its deadline: a plugin after authentication and the deadline
 * (plugins/auth.ts, plugins/deadline.ts), which put those in the context.
 */
export function useOperationScope(parts: ScopeParts): Plugin<Partial<RequestContext>> {
  return {
    onContextBuilding({ context: { caller, deadline, requestId, traceparent, trace }, extendContext }) {
      if (!caller || !deadline || requestId === undefined) throw new Error('auth, deadline and request id come first');
      extendContext(
        createOperationScope(parts, {
          apiKey: caller.apiKey,
          signal: deadline.signal,
          deadline: deadline.at,
          requestId,
          traceparent,
          trace,
        }),
      );
    },
  };
}
