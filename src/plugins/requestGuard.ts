import type { Plugin } from 'graphql-yoga';
import { ErrorCode, refusalBody } from '../errors.ts';

/** Largest request body accepted; the largest honest operation (a full create with variables) is a few KB. */
export const MAX_REQUEST_BYTES = 256 * 1024;

/** JSON is the only body GraphQL over HTTP needs; refusing forms and plain text also closes the CSRF door. */
export const JSON_TYPES = /^application\/(json|graphql-response\+json|graphql\+json)\s*(;|$)/i;

/**
 * Refuses, before the body is read or parsed: a declared length over the limit (413), a chunked body of
 * unknown length (411, since its size could only be learnt by reading it all) and a POST that is not JSON
 * (415). Each answer is a GraphQL-shaped JSON error, so every client can read it.
 */
export function useRequestGuard(maxBytes = MAX_REQUEST_BYTES): Plugin {
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      const refuse = (status: number, code: ErrorCode, message: string) =>
        endResponse(
          new fetchAPI.Response(refusalBody(code, message), {
            status,
            headers: { 'content-type': 'application/json; charset=utf-8' },
          }),
        );
      if (Number(request.headers.get('content-length') ?? 0) > maxBytes) {
        return refuse(413, ErrorCode.PAYLOAD_TOO_LARGE, `The request body is larger than ${maxBytes} bytes.`);
      }
      if (/chunked/i.test(request.headers.get('transfer-encoding') ?? '')) {
        return refuse(411, ErrorCode.LENGTH_REQUIRED, 'The request body must declare its length (Content-Length).');
      }
      if (request.method === 'POST' && !JSON_TYPES.test(request.headers.get('content-type') ?? '')) {
        return refuse(
          415,
          ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          'POST bodies must be JSON (Content-Type: application/json).',
        );
      }
    },
  };
}
