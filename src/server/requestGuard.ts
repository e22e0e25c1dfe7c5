import type { Plugin } from 'graphql-yoga';
import { ErrorCode, refusal } from '../errors.ts';
import { readCapped } from './body.ts';

/** Largest request body accepted; the largest honest operation (a full create with variables) is a few KB. */
export const MAX_REQUEST_BYTES = 256 * 1024;

/** JSON is the only body GraphQL over HTTP needs; refusing forms and plain text also closes the CSRF door. */
export const JSON_TYPES = /^application\/(json|graphql-response\+json|graphql\+json)\s*(;|$)/i;

/**
 * The gateway's one body-size guard. Refuses before parsing a declared length over the limit (413) and a POST that
 * is not JSON (415); a body of undeclared length (chunked) is counted as it is read and refused with 413 once it
 * passes the limit. Each answer is a GraphQL-shaped JSON error, so every client can read it.
 * Yoga's limiter piped every body through a stream of its own: 30 % of a flat query's CPU (bench/RESULTS.md).
 */
export function useRequestGuard(maxBytes = MAX_REQUEST_BYTES): Plugin {
  // The connection is not reused: served by serve.ts, the rest of the body is read and thrown away within bounds
  // (drain.ts, body.ts) before it closes, so a client still sending reads the 413 instead of a reset.
  const tooLarge = (fetchAPI: { Response: typeof Response }) =>
    refusal(fetchAPI, 413, ErrorCode.PAYLOAD_TOO_LARGE, `The request body is larger than ${maxBytes} bytes.`, {
      connection: 'close',
    });
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      if (Number(request.headers.get('content-length') ?? 0) > maxBytes) return endResponse(tooLarge(fetchAPI));
      if (request.method === 'POST' && !JSON_TYPES.test(request.headers.get('content-type') ?? '')) {
        return endResponse(
          refusal(
            fetchAPI,
            415,
            ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            'POST bodies must be JSON (Content-Type: application/json).',
          ),
        );
      }
    },
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      // A declared length is enforced by Node's HTTP parser; only a body without one needs counting.
      // `request.body` builds a stream on each read: looked at only when no length was declared.
      if (!requestParser || request.headers.has('content-length') || !request.body) return;
      setRequestParser(async (req) => {
        const body = await readCapped(req, maxBytes);
        if (!body) return tooLarge(fetchAPI);
        return requestParser(new fetchAPI.Request(req.url, { method: req.method, headers: req.headers, body }));
      });
    },
  };
}
