import type { IncomingMessage, ServerResponse } from 'node:http';

/** Most of a refused body still read and thrown away: a few MB lets an honest client finish; more is abuse. */
export const DRAIN_MAX_BYTES = 4 * 1024 * 1024;
/** Longest a refused body is still read: long enough for a client to read its answer and stop, short for a trickle. */
export const DRAIN_MAX_MS = 3_000;

/**
 * A lingering close (as nginx and Go's net/http do): an answer sent before the request's body was read whole (a 413
 * above all) and closing the connection is followed by a FIN, and the rest of the body is read and discarded, at most
 * DRAIN_MAX_BYTES and DRAIN_MAX_MS. Node would destroy the socket at once, and the client's unsent bytes would draw a
 * reset that loses it the answer. An answer that keeps the connection reads the rest before the next request, as Node does.
 */
export function drainEarlyAnswer(req: IncomingMessage, res: ServerResponse): void {
  // Node's request stream lets go of its socket when it is destroyed: kept here.
  const { socket } = req;
  // Before Node's own listener, which is the one that decides to close the connection (in the same turn).
  res.prependOnceListener('finish', () => {
    if (req.complete) return;
    let discarded = 0;
    let lingering = false;
    const cut = () => socket.destroy();
    // Node would dump a body nobody reads without a trace; read on through a listener that counts instead.
    req.on('data', (chunk: Buffer) => {
      discarded += chunk.length;
      if (lingering && discarded > DRAIN_MAX_BYTES) cut();
    });
    req.resume();
    const restore = () => Reflect.deleteProperty(socket, 'destroySoon');
    // Called by Node right after this listener, and only when the answer closes the connection.
    socket.destroySoon = () => {
      restore();
      if (socket.destroyed) return;
      lingering = true;
      const timer = setTimeout(cut, DRAIN_MAX_MS);
      socket.once('close', () => clearTimeout(timer));
      // No more comes from the server: the client reads the answer whole, then sees the end.
      socket.end();
      // The client has sent it all: nothing unread is left to turn the close into a reset.
      req.once('end', () => (socket.writableFinished ? cut() : socket.once('finish', cut)));
    };
    // The body was read to its end and the connection lives on: later answers close it as usual.
    req.once('end', restore);
  });
}
