import type { Plugin } from 'graphql-yoga';
import { ErrorCode, errorCode } from '../errors.ts';
import type { Upstream } from '../ncore/http.ts';

/** A readiness check must answer well within a load balancer's probe timeout. */
const READY_TIMEOUT_MS = 2_000;
/** How long one check's answer stands: probes are anonymous, so they must not be a way to spend nCore calls. */
const READY_CACHE_MS = 2_000;

/** What `/ready` says: the instance's own state decides the status; its dependencies are reported beside it. */
interface Readiness {
  status: 200 | 503;
  body: { status: 'ready' | 'draining'; ncore?: string } & Record<string, string>;
}

/** Something else the gateway uses (Redis): named in the answer as `up` or `down`. */
export interface Dependency {
  readonly name: string;
  check(): Promise<boolean>;
}

/** Whether the instance is draining: set once on SIGTERM, so a load balancer stops sending it new work. */
export interface Drain {
  draining: boolean;
}

/**
 * `/ready` answers whether this instance can take traffic: 200, or 503 while it drains (from SIGTERM on). nCore
 * and Redis are shared by every instance, so their health is reported (`ncore: up | down: CODE | circuit open`,
 * `redis: up | down`) but never decides: were every instance to go unready when nCore fails, the load balancer
 * would answer for them with its own 503s, where the gateway answers each operation with a precise
 * UPSTREAM_UNAVAILABLE, serves what needs no nCore call and takes traffic again the moment nCore is back.
 * However many probes arrive, nCore sees at most one check per READY_CACHE_MS. (`/health`, alive, is Yoga's own.)
 */
export function useReadiness(upstream: Upstream, apiKey: string | undefined, drain: Drain, also?: Dependency): Plugin {
  let last: { at: number; answer: Promise<Readiness> } | undefined;

  const check = async (): Promise<Readiness> => {
    const timeout = new Promise<boolean>((resolve) => setTimeout(resolve, READY_TIMEOUT_MS, false).unref());
    const [ncore, up] = await Promise.all([checkUpstream(), also && Promise.race([also.check(), timeout])]);
    return { status: 200, body: { status: 'ready', ncore, ...(also && { [also.name]: up ? 'up' : 'down' }) } };
  };

  const checkUpstream = async (): Promise<string> => {
    if (upstream.breakers.for(apiKey ?? '').state === 'open') return 'circuit open';
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
      return 'up';
    } catch (error) {
      const code = errorCode(error);
      // In forward mode the gateway holds no key: any answer, even 401, shows nCore is up.
      if (apiKey === undefined && code === ErrorCode.UPSTREAM_UNAUTHORIZED) return 'up';
      return `down: ${code ?? 'unknown error'}`;
    }
  };

  const answer = (fetchAPI: { Response: typeof Response }, { status, body }: Readiness) =>
    new fetchAPI.Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    });

  return {
    // Not async: every request passes this hook, and only /ready should pay for a promise.
    onRequest({ url, fetchAPI, endResponse }) {
      if (url.pathname !== '/ready') return;
      if (drain.draining) return endResponse(answer(fetchAPI, { status: 503, body: { status: 'draining' } }));
      if (!last || Date.now() - last.at > READY_CACHE_MS) last = { at: Date.now(), answer: check() };
      return last.answer.then((readiness) => endResponse(answer(fetchAPI, readiness)));
    },
  };
}
