import type { Plugin } from 'graphql-yoga';
import { ErrorCode, errorCode } from '../errors.ts';
import type { Upstream } from '../ncore/http.ts';

/** A readiness check must answer well within a load balancer's probe timeout. */
const READY_TIMEOUT_MS = 2_000;
/** How long one check's answer stands: probes are anonymous, so they must not be a way to spend nCore calls. */
const READY_CACHE_MS = 2_000;

interface Readiness {
  status: 200 | 503;
  body: { status: string; reason?: string } & Record<string, string>;
}

/** Something else the gateway depends on (Redis for live events): named in the answer as `up` or `down`. */
export interface Dependency {
  readonly name: string;
  check(): Promise<boolean>;
}

/**
 * `/ready`: the breaker is not open and nCore answers a cheap call (a one-user page), so a load balancer
 * only sends traffic to instances that can serve it; 503 with a reason otherwise. However many probes
 * arrive, nCore sees at most one check per READY_CACHE_MS. In `forward` mode the gateway holds no key, so
 * any answer from nCore, even 401, shows it is up, and one tenant's open breaker leaves the instance ready
 * for the others. `also` (Redis, when configured) must answer too, and is reported by name. (`/health`,
 * alive, is Yoga's own.)
 */
export function useReadiness(upstream: Upstream, apiKey: string | undefined, also?: Dependency): Plugin {
  let last: { at: number; answer: Promise<Readiness> } | undefined;

  const check = async (): Promise<Readiness> => {
    if (!also) return checkUpstream();
    const timeout = new Promise<boolean>((resolve) => setTimeout(resolve, READY_TIMEOUT_MS, false).unref());
    const [upstreamAnswer, up] = await Promise.all([checkUpstream(), Promise.race([also.check(), timeout])]);
    const body = { ...upstreamAnswer.body, [also.name]: up ? 'up' : 'down' };
    if (up || upstreamAnswer.status === 503) return { status: upstreamAnswer.status, body };
    return { status: 503, body: { ...body, status: 'unavailable', reason: `${also.name} does not answer` } };
  };

  const checkUpstream = async (): Promise<Readiness> => {
    if (upstream.breakers.for(apiKey ?? '').state === 'open')
      return { status: 503, body: { status: 'unavailable', reason: 'circuit breaker open' } };
    try {
      const scope = {
        apiKey: apiKey ?? '',
        signal: AbortSignal.timeout(READY_TIMEOUT_MS),
        deadline: Date.now() + READY_TIMEOUT_MS,
      };
      await upstream.call(scope, {
        route: 'ready',
        method: 'GET',
        path: '/users',
        query: { limit: 1 },
        retrySafe: false,
      });
      return { status: 200, body: { status: 'ready' } };
    } catch (error) {
      const code = errorCode(error);
      if (apiKey === undefined && code === ErrorCode.UPSTREAM_UNAUTHORIZED)
        return { status: 200, body: { status: 'ready' } };
      return { status: 503, body: { status: 'unavailable', reason: `nCore check failed: ${code ?? 'unknown error'}` } };
    }
  };

  return {
    // Not async: every request passes this hook, and only /ready should pay for a promise.
    onRequest({ url, fetchAPI, endResponse }) {
      if (url.pathname !== '/ready') return;
      if (!last || Date.now() - last.at > READY_CACHE_MS) last = { at: Date.now(), answer: check() };
      return last.answer.then(({ status, body }) =>
        endResponse(
          new fetchAPI.Response(JSON.stringify(body), {
            status,
            headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
          }),
        ),
      );
    },
  };
}
