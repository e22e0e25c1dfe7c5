import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { MAX_REQUEST_BYTES } from '../../src/server/requestGuard.ts';
import { DEMO_ROOT_ID } from '../../src/simulator/seed.ts';
import { useStack } from '../support/stack.ts';

/** What came back on a raw socket: the status line's code, the body, and how many body bytes were sent. */
interface RawAnswer {
  status: number;
  body: string;
  sent: number;
}

/**
 * POSTs `body` with `Transfer-Encoding: chunked` over a raw socket, one 16 KB chunk per turn, and stops
 * sending as soon as an answer starts: so a refusal that waits for the whole body shows as `sent` = all.
 */
function postChunked(url: string, body: string): Promise<RawAnswer> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve) => {
    const socket: Socket = connect(Number(port), hostname);
    let received = '';
    let sent = 0;
    let answered = false;
    let settled = false;
    const done = () => {
      if (settled) return;
      settled = true;
      const [head = '', ...rest] = received.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
      const text = rest.join('\r\n\r\n');
      // The answer may itself be chunked: keep the JSON between the first { and the last }.
      resolve({ status, body: text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1), sent });
    };
    socket.on('data', (chunk) => {
      answered = true;
      received += chunk.toString();
    });
    socket.on('close', done);
    // The gateway may close the socket while the rest is still being sent (EPIPE): what it answered counts.
    socket.on('error', () => {});
    socket.once('connect', async () => {
      socket.write(
        `POST ${pathname} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`,
      );
      const bytes = Buffer.from(body);
      for (let at = 0; at < bytes.length && !answered && !socket.destroyed; at += 16 * 1024) {
        const piece = bytes.subarray(at, at + 16 * 1024);
        socket.write(`${piece.length.toString(16)}\r\n`);
        socket.write(piece);
        socket.write('\r\n');
        sent += piece.length;
        await new Promise((r) => setTimeout(r, 5));
      }
      if (!answered && !socket.destroyed) socket.write('0\r\n\r\n');
    });
  });
}

describe('a request body of undeclared length (chunked)', () => {
  const stack = useStack();

  it('is answered when it stays under the limit', async () => {
    const url = await stack.listen();
    stack.sim.clearRequests();
    const query = `{ user(id: "${DEMO_ROOT_ID}") { id } } # ${'x'.repeat(40_000)}`;
    const answer = await postChunked(url, JSON.stringify({ query }));
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ data: { user: { id: DEMO_ROOT_ID } } });
    expect(stack.calls('getUser')).toBe(1);
  });

  it('gets 413 PAYLOAD_TOO_LARGE when it passes the limit, read no further than the limit, and costs no nCore call', async () => {
    const url = await stack.listen();
    stack.sim.clearRequests();
    const body = JSON.stringify({
      query: `{ user(id: "${DEMO_ROOT_ID}") { id } } # ${'x'.repeat(4 * MAX_REQUEST_BYTES)}`,
    });
    // A streamed body has no declared length: fetch sends it chunked.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(body));
        controller.close();
      },
    });
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect((await response.json()).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(stack.calls()).toBe(0);
  });
});
