import type { YogaServerInstance } from 'graphql-yoga';
import type { RequestContext } from '../operation/context.ts';
import type { Authenticate } from '../plugins/auth.ts';

/** The gateway as the transports see it: Yoga's handler, the caller check, and what to end and close on stop. */
export type Servable = YogaServerInstance<Record<string, unknown>, RequestContext> & {
  /** Checks a caller's credentials, as for HTTP requests; the WebSocket transport builds a Request for it. */
  readonly authenticate: Authenticate;
  /** Live-event subscriptions: ended (SSE with `complete`) when the process stops. */
  readonly events: { close(): void };
  /** From now on `/ready` answers 503, so load balancers stop sending new work; everything else is served as before. */
  drain(): void;
  /** Closes the nCore pool, waiting for calls under way unless `force`. */
  close(force?: boolean): Promise<void>;
};
