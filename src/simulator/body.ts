import type { IncomingMessage } from 'node:http';

/** Largest request body accepted: 1 MB. */
export const MAX_BODY_BYTES = 1024 * 1024;

// Past this a client is abusive rather than mistaken: stop draining and drop the connection.
const MAX_DRAIN_BYTES = 64 * MAX_BODY_BYTES;

/** How reading a request body ended. */
export type BodyRead = { kind: 'ok'; text: string } | { kind: 'too-large'; destroy: boolean } | { kind: 'aborted' };

/**
 * Reads the whole body as UTF-8. An oversized body is still drained (not kept) up to a hard cap, so
 * the client finishes sending and reads the 413 instead of a reset connection.
 */
export function readBody(req: IncomingMessage): Promise<BodyRead> {
  // Most requests are bodiless GETs: skip the stream machinery for them (the hot path of benchmarks).
  if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) {
    req.resume();
    return Promise.resolve({ kind: 'ok', text: '' });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyRead) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else chunks.length = 0;
      if (size > MAX_DRAIN_BYTES) {
        req.pause();
        settle({ kind: 'too-large', destroy: true });
      }
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) settle({ kind: 'too-large', destroy: false });
      else settle({ kind: 'ok', text: Buffer.concat(chunks).toString('utf8') });
    });
    req.on('error', () => settle({ kind: 'aborted' }));
    req.on('close', () => settle({ kind: 'aborted' }));
  });
}

/** Parses JSON, or `undefined` when the text is empty or not JSON. */
export function tryParseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** True for `application/json` and `application/<anything>+json`, with or without parameters. */
export function isJsonContentType(value: string | undefined): boolean {
  if (!value) return false;
  const type = value.split(';', 1)[0]!.trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}
