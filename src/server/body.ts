import { DRAIN_MAX_BYTES, DRAIN_MAX_MS } from './drain.ts';

/**
 * A request's whole body as text ('' when there is none), or undefined as soon as it passes `maxBytes`, declared
 * or streamed. For GraphQL requests sent without a length (plugins/requestGuard.ts) and nCore's webhooks
 * (events/receiver.ts). A declared length over the limit is never read: Node and drain.ts read the rest after the
 * answer. A streamed body that passes it is read on and thrown away (discard), so the client can finish sending.
 */
export async function readCapped(request: Request, maxBytes: number): Promise<string | undefined> {
  if (Number(request.headers.get('content-length') ?? 0) > maxBytes) return undefined;
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks, size).toString('utf8');
    size += value.byteLength;
    if (size > maxBytes) {
      void discard(reader);
      return undefined;
    }
    chunks.push(value);
  }
}

/**
 * Reads what is left of a refused body and throws it away, at most DRAIN_MAX_BYTES and DRAIN_MAX_MS, then cancels:
 * cancelling at once would leave the bytes still coming unread, and the client a reset instead of its 413.
 */
async function discard(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  // A read may wait forever on a client that stopped sending: the bound does not wait for it.
  const expired = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), DRAIN_MAX_MS);
  });
  try {
    for (let left = DRAIN_MAX_BYTES; left >= 0; ) {
      const read = await Promise.race([reader.read(), expired]);
      if (!read) break;
      if (read.done) return;
      left -= read.value.byteLength;
    }
    // Not awaited: a cancel waits behind a read still pending.
    reader.cancel().catch(() => {});
  } catch {
    // The client went away, or its connection was cut at the bound: nothing more to read.
  } finally {
    clearTimeout(timer);
  }
}
