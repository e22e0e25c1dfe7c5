import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Config } from '../config/index.ts';
import { limitConnections } from './connections.ts';
import { drainEarlyAnswer } from './drain.ts';
import type { Servable } from './servable.ts';
import { attachWebSocket } from './websocket.ts';

/** A gateway listening on a socket, and how to stop it gracefully. */
export interface Serving {
  server: Server;
  port: number;
  /**
   * Drains, then stops: `/ready` answers 503 at once and for `delayMs` (SHUTDOWN_DELAY_MS by default) the
   * instance still accepts and serves, each answer with `connection: close`, while load balancers stop routing to
   * it; then it stops accepting, ends subscriptions (SSE streams with `complete`, WebSockets with 1001), lets
   * in-flight operations finish within the shutdown bound, and closes the pool.
   */
  stop(delayMs?: number): Promise<void>;
}

/** Serves a gateway on the process's host and port: HTTP, SSE and WebSocket on one socket. */
export async function serve(config: Config, gateway: Servable, logger: Logger): Promise<Serving> {
  const { host, port: wantedPort, shutdownTimeoutMs, shutdownDelayMs } = config.process;
  let draining = false;
  const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs, maxConnections } = config.process;
  const server = createServer(
    {
      // Slow clients (headers or body trickling in) are answered 408 and cut, each on its own socket.
      headersTimeout: headersTimeoutMs,
      requestTimeout: requestTimeoutMs,
      // Node looks for them every 30 s by default, which would let a slow client overstay its bound by as much.
      connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(headersTimeoutMs / 4))),
    },
    (req, res) => {
      if (limit.refused(req.socket)) return res.destroy();
      // While draining, a keep-alive client is told to go: its next request opens a connection elsewhere.
      if (draining) res.setHeader('connection', 'close');
      // A refusal sent before the body was read (413) is read by the client before the connection closes.
      drainEarlyAnswer(req, res);
      gateway(req, res);
    },
  );
  server.keepAliveTimeout = keepAliveTimeoutMs;
  const limit = limitConnections(server, maxConnections);
  const webSocket = attachWebSocket(server, gateway, config.gateway);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(wantedPort, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let stopping: Promise<void> | undefined;
  const close = () =>
    new Promise<void>((resolve) => {
      let forced = false;
      const force = setTimeout(() => {
        logger.warn({ shutdownTimeoutMs }, 'shutdown bound reached; closing remaining connections');
        forced = true;
        server.closeAllConnections();
      }, shutdownTimeoutMs);
      // Keep-alive connections would hold `close` open: each is closed as soon as its last request is answered.
      const reap = setInterval(() => server.closeIdleConnections(), 25);
      // Upgraded sockets are not HTTP connections: server.close waits for them until they are closed.
      const sockets = webSocket.close(shutdownTimeoutMs);
      server.close(async () => {
        await sockets;
        clearTimeout(force);
        clearInterval(reap);
        // After the bound, nCore calls still under way are cut too: nobody is left to answer.
        gateway.close(forced).finally(resolve);
      });
      server.closeIdleConnections();
      // Each SSE subscription sends `complete` and ends its response, which then counts as idle.
      gateway.events.close();
    });
  const stop = (delayMs = shutdownDelayMs) =>
    (stopping ??= (async () => {
      gateway.drain();
      draining = true;
      if (delayMs > 0) {
        logger.info({ delayMs }, 'draining: serving on while load balancers stop routing here');
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
      await close();
    })());
  return { server, port, stop };
}
