import type { Server } from 'node:http';
import type { Socket } from 'node:net';

const REFUSAL_BODY = JSON.stringify({ status: 'unavailable', reason: 'too many connections' });
const REFUSAL = [
  'HTTP/1.1 503 Service Unavailable',
  'content-type: application/json',
  `content-length: ${Buffer.byteLength(REFUSAL_BODY)}`,
  'retry-after: 1',
  'connection: close',
  '',
  REFUSAL_BODY,
].join('\r\n');
/** A refused client has this long to read its answer before the socket is destroyed. */
const REFUSED_LINGER_MS = 1_000;

/** Whether a socket was turned away by the connection limit. */
export interface ConnectionLimit {
  /** Whether `socket` arrived beyond the limit: nothing it sends may reach the gateway. */
  refused(socket: Socket): boolean;
}

/**
 * Bounds the client connections `server` holds at `max`. A connection beyond it is answered at once with a
 * 503 (`retry-after: 1`, `connection: close`) and closed, so a client or load balancer learns why and tries
 * elsewhere, instead of the process running out of memory or file descriptors under a flood of sockets.
 */
export function limitConnections(server: Server, max: number): ConnectionLimit {
  let open = 0;
  const refused = new WeakSet<Socket>();
  // Before the HTTP server's own listener, so a refused socket never counts as served.
  server.prependListener('connection', (socket: Socket) => {
    if (open >= max) {
      refused.add(socket);
      socket.end(REFUSAL);
      setTimeout(() => socket.destroy(), REFUSED_LINGER_MS).unref();
      return;
    }
    open += 1;
    socket.once('close', () => {
      open -= 1;
    });
  });
  return { refused: (socket) => refused.has(socket) };
}
