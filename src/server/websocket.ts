import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type ExecutionArgs, type ExecutionResult, GraphQLError } from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { type WebSocket, WebSocketServer } from 'ws';
import type { GatewayConfig } from '../config/index.ts';
import { ErrorCode, errorCode, gatewayError } from '../errors.ts';
import type { Caller } from '../operation/context.ts';
import { scrub } from '../plugins/scrubErrors.ts';
import { TRUSTED_REFUSALS, trustedDocumentId } from '../plugins/trustedDocuments.ts';
import { MAX_NESTING, nestedDeeperThan } from './requestParams.ts';
import type { Servable } from './servable.ts';
import { hostOf, refuseUpgrade, upgradeRefusal } from './upgrade.ts';

/** Pings every this often; a peer that does not answer within another is cut (graphql-ws's keep-alive). */
const KEEP_ALIVE_MS = 12_000;
/** No honest operation message comes near this. */
const MAX_MESSAGE_BYTES = 64 * 1024;
/** setTimeout's longest delay; a later expiry is waited for in steps of this. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** graphql-ws's Forbidden: the close code of a refused or expired caller. */
const FORBIDDEN = 4403;
const EXPIRED = 'The credentials of this connection have expired.';

type Params = { authorization?: unknown; apikey?: unknown };
type Extra = { caller: Caller; fetchRequest: Request };
type Enveloped = ReturnType<Servable['getEnveloped']>;
type EnvelopedRoot = { execute: Enveloped['execute']; subscribe: Enveloped['subscribe'] };

/** The WebSocket transport, attached to a listening server; `close` ends it within a bound. */
export interface WebSocketTransport {
  /** Closes every socket with 1001 ("going away"); a peer that has not finished closing within `boundMs` is cut. */
  close(boundMs: number): Promise<void>;
}

/**
 * `graphql-transport-ws` on `/graphql`, beside HTTP and SSE. Credentials come once, in `connection_init`
 * (`authorization`, or `apikey` in `forward` mode: browsers cannot set headers on a WebSocket), checked by HTTP's
 * authenticator; a refusal or their expiry (a JWT's `exp`) closes the socket with 4403. Bad upgrades are refused in
 * upgrade.ts. Operations run through Yoga's envelop, but not its HTTP-only hooks, so what those do is done here:
 * trusted documents, scrubbed errors, the per-connection subscription limit.
 */
export function attachWebSocket(server: Server, gateway: Servable, config: GatewayConfig): WebSocketTransport {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    if (new URL(req.url ?? '/', 'http://gateway').pathname !== gateway.graphqlEndpoint) return socket.destroy();
    const refusal = upgradeRefusal(req, config.corsOrigins);
    if (refusal) return refuseUpgrade(socket, refusal);
    wss.handleUpgrade(req, socket, head, (ws) => {
      coalesceWrites(ws, socket);
      wss.emit('connection', ws, req);
    });
  });
  const { maxPerConnection } = config.events;
  const { trustedDocuments } = config;

  const disposable = useServer<Params, Extra>(
    {
      isProd: true,
      execute: (args: ExecutionArgs) => (args.rootValue as EnvelopedRoot).execute(args),
      subscribe: (args: ExecutionArgs) => (args.rootValue as EnvelopedRoot).subscribe(args),
      onConnect: async (ctx) => {
        const request = requestOf(ctx.extra.request, ctx.connectionParams);
        try {
          ctx.extra.caller = await gateway.authenticate(request);
          ctx.extra.fetchRequest = request;
          closeAtExpiry(ctx.extra.socket, ctx.extra.caller.expiresAt);
          return true;
        } catch (error) {
          const reason = error instanceof GraphQLError ? error.message : 'Forbidden';
          // An identity provider that cannot be reached is no verdict on the caller: 1013 asks it to try again.
          const code = errorCode(error) === ErrorCode.AUTH_UNAVAILABLE ? 1013 : FORBIDDEN;
          // A close reason is at most 123 bytes.
          ctx.extra.socket.close(
            code,
            Buffer.from(reason)
              .subarray(0, 123)
              .toString('utf8')
              .replace(/\uFFFD$/, ''),
          );
          return false;
        }
      },
      onSubscribe: async (ctx, _id, params: SubscribePayload) => {
        // A message read after expiry (before the timer's close, or while closing) runs nothing.
        if (expired(ctx.extra.caller?.expiresAt)) {
          ctx.extra.socket.close(FORBIDDEN, EXPIRED);
          return [gatewayError(ErrorCode.UNAUTHENTICATED, EXPIRED)];
        }
        // graphql-ws has already counted this one.
        if (Object.keys(ctx.subscriptions).length > maxPerConnection) {
          return [
            gatewayError(
              ErrorCode.TOO_MANY_SUBSCRIPTIONS,
              `A connection may hold at most ${maxPerConnection} operations at once.`,
              { limit: 'maxSubscriptionsPerConnection', max: maxPerConnection },
            ),
          ];
        }
        if (nestedDeeperThan(params.variables, MAX_NESTING) || nestedDeeperThan(params.extensions, MAX_NESTING)) {
          const message = `An operation's variables and extensions may nest at most ${MAX_NESTING} levels deep.`;
          return [gatewayError(ErrorCode.BAD_REQUEST, message)];
        }
        try {
          const query = trustedDocuments ? trusted(params, trustedDocuments) : params.query;
          const enveloped = gateway.getEnveloped({
            request: ctx.extra.fetchRequest,
            req: ctx.extra.request,
            socket: ctx.extra.socket,
            params: { ...params, query },
            caller: ctx.extra.caller,
          });
          const document = enveloped.parse(query);
          const errors = enveloped.validate(enveloped.schema, document);
          // Scrubbed once, where every error leaves (onError below).
          if (errors.length) return errors;
          return {
            schema: enveloped.schema,
            operationName: params.operationName,
            document,
            variableValues: params.variables,
            contextValue: await enveloped.contextFactory(),
            rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe } satisfies EnvelopedRoot,
          };
        } catch (error) {
          // Anything thrown here would close the whole socket; a client's mistake ends only its operation.
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
      },
      onNext: (_ctx, _id, _payload, _args, result: ExecutionResult) =>
        result.errors ? { ...result, errors: result.errors.map((e) => scrub(e).toJSON()) } : undefined,
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => scrub(e).toJSON()),
    },
    wss,
    KEEP_ALIVE_MS,
  );

  return {
    async close(boundMs) {
      const timer = setTimeout(() => {
        for (const socket of wss.clients) socket.terminate();
      }, boundMs);
      try {
        await disposable.dispose();
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

const expired = (expiresAt: number | undefined): boolean => expiresAt !== undefined && Date.now() >= expiresAt;

/** Closes the socket with 4403 when its caller's credentials expire: one unref'd timer, cleared on close. */
function closeAtExpiry(socket: WebSocket, expiresAt: number | undefined): void {
  // A socket closed while its caller was checked needs no timer, and would never clear one.
  if (expiresAt === undefined || socket.readyState !== socket.OPEN) return;
  let timer: NodeJS.Timeout;
  const check = () => {
    const left = expiresAt - Date.now();
    if (left <= 0) return socket.close(FORBIDDEN, EXPIRED);
    timer = setTimeout(check, Math.min(left, MAX_TIMER_MS)).unref();
  };
  check();
  socket.once('close', () => clearTimeout(timer));
}

/**
 * Messages a connection sends in one turn of the event loop leave in one write. A live event reaches every
 * subscription of a connection in the same turn; a system call per message made the last subscriber of a busy
 * instance wait for every write before its own. The socket is corked at a turn's first message and uncorked once
 * the turn's work is done (`setImmediate`), so no message waits longer than that.
 */
function coalesceWrites(ws: WebSocket, socket: Duplex): void {
  const send = ws.send.bind(ws);
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  ws.send = ((...args: Parameters<WebSocket['send']>) => {
    if (!corked && socket.writable) {
      corked = true;
      socket.cork();
      setImmediate(uncork);
    }
    return send(...args);
  }) as WebSocket['send'];
}

/**
 * A Fetch Request carrying the connection's credentials, for the authenticator and the context. A POST: Yoga
 * refuses mutations in GET requests (a link a browser follows must not write), which an operation on a socket
 * the client opened is not.
 */
function requestOf(req: IncomingMessage, params: Readonly<Params> | undefined): Request {
  // The upgrade was refused unless its Host is a valid host, and a path cannot move it.
  const { pathname, search } = new URL(req.url ?? '/', 'http://gateway');
  const headers = new Headers();
  for (const name of ['x-request-id', 'traceparent', 'user-agent']) {
    const value = req.headers[name];
    if (typeof value === 'string') headers.set(name, value);
  }
  for (const name of ['authorization', 'apikey'] as const) {
    const value = params?.[name];
    if (typeof value === 'string' && value.length <= 8192) headers.set(name, value);
  }
  return new Request(`http://${hostOf(req)}${pathname}${search}`, { method: 'POST', headers });
}

/** The trusted document a message names, by `documentId` or `extensions.persistedQuery.sha256Hash`. */
function trusted(params: SubscribePayload, manifest: ReadonlyMap<string, string>): string {
  const id = trustedDocumentId(params, manifest);
  const refused = (code: keyof typeof TRUSTED_REFUSALS) => gatewayError(code, TRUSTED_REFUSALS[code]);
  if (id === undefined) throw refused(ErrorCode.PERSISTED_QUERY_ONLY);
  const query = manifest.get(id);
  if (query === undefined) throw refused(ErrorCode.PERSISTED_QUERY_NOT_FOUND);
  return query;
}
