import type { YogaServerOptions } from 'graphql-yoga';

/** What a browser page may send: the credential headers of every auth mode, JSON, and tracing. */
const ALLOWED_HEADERS = ['authorization', 'apikey', 'content-type', 'accept', 'x-request-id', 'traceparent'];

/**
 * Cross-origin access, or none. Without `origins` the gateway sends no CORS header at all, so a browser keeps
 * every other site's pages from reading its answers. With `origins`, a request whose `Origin` is exactly one
 * of them gets that origin back, and any other origin gets nothing. Credentials (cookies, TLS client
 * certificates) are never allowed: callers authenticate with headers a page sets itself, which CORS already
 * lets through by `Access-Control-Allow-Headers`, so no site can ride on what a browser holds for another.
 */
export function corsOptions(origins: readonly string[]): Pick<YogaServerOptions<object, object>, 'cors'> {
  if (origins.length === 0) return { cors: false };
  const allowed = new Set(origins);
  return {
    cors: (request) => {
      const origin = request.headers.get('origin');
      if (origin === null || !allowed.has(origin)) return false;
      return {
        origin: [origin],
        credentials: false,
        methods: ['GET', 'POST'],
        allowedHeaders: ALLOWED_HEADERS,
        exposedHeaders: ['x-request-id', 'retry-after'],
        maxAge: 600,
      };
    },
  };
}
