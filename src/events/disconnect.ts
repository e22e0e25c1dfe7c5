import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';

/** A peer that does not complete the close handshake within this is cut. */
const CLOSE_GRACE_MS = 2_000;

/**
 * How to cut a subscriber off, from its operation's context: a WebSocket is closed with 1013 ("try again
 * later", so a client that was only briefly slow reconnects), an SSE response's socket is destroyed.
 */
export function disconnector(context: object): () => void {
  const { socket, req } = context as { socket?: WebSocket; req?: IncomingMessage };
  if (socket && typeof socket.terminate === 'function') {
    return () => {
      socket.close(1013, 'slow consumer');
      setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
    };
  }
  return () => req?.socket?.destroy();
}
