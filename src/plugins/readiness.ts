import type { Plugin } from 'graphql-yoga';
import { errorCode } from '../errors.ts';
import type { Upstream } from '../ncore/http.ts';

/** A readiness check must answer well within a load balancer's probe timeout. */
const READY_TIMEOUT_MS = 2_000;

/**
 * `/ready`: the breaker is closed and nCore answers a cheap call (a
 * one-user page), so a load balancer only sends traffic to instances that can serve it; 503 with a reason
 * otherwise. In `forward` mode the gateway holds no key, so any answer from nCore, even 401, shows it is up.
 * (`/health`, alive, is Yoga's own.)
 */
export function useReadiness(upstream: Upstream, apiKey: string | undefined): Plugin {
  const json = (fetchAPI: { Response: typeof Response }, status: number, body: unknown) =>
    new fetchAPI.Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
  return {
    async onRequest({ url, fetchAPI, endResponse }) {
      if (url.pathname !== '/ready') return;
      if (upstream.breaker.state === 'open') return endResponse(json(fetchAPI, 503, { status: 'unavailable', reason: 'circuit breaker open' }));
      try {
        const signal = AbortSignal.timeout(READY_TIMEOUT_MS);
        const scope = { apiKey: apiKey ?? '', signal, deadline: Date.now() + READY_TIMEOUT_MS };
        await upstream.call(scope, { route: 'ready', method: 'GET', path: '/users', query: { limit: 1 }, retrySafe: false });
        endResponse(json(fetchAPI, 200, { status: 'ready' }));
      } catch (error) {
        const code = errorCode(error);
        if (apiKey === undefined && code === 'UPSTREAM_UNAUTHORIZED') return endResponse(json(fetchAPI, 200, { status: 'ready' }));
        endResponse(json(fetchAPI, 503, { status: 'unavailable', reason: `nCore check failed: ${code ?? 'unknown error'}` }));
      }
    },
  };
}
