import { setMaxListeners } from 'node:events';
import type { Plugin } from 'graphql-yoga';
import type { Deadline } from '../context.ts';

/** Operations whose deadlines fall within the same this-many milliseconds share one signal. */
const SHARED_WITHIN_MS = 10;

/**
 * The operation deadline: `at` is exact, and every nCore call takes the time left of it as its own timeout
 * (ncore/http.ts), so a call on a socket stops on time. The signal covers what no call timer does, a call still
 * queued for a socket or a retry waiting out its backoff; it fires at most 10 ms after `at`.
 *
 * Operations starting within the same 10 ms share one AbortController and one timer, which then runs out on its
 * own: a controller and a timer per operation (and clearing it) were a measurable part of a flat query's cost,
 * and a shared signal holds nothing of an operation once its calls have ended, as each call removes its listener
 * when it settles. Subscriptions carry no deadline of their own: each event delivery is bounded where it is
 * resolved.
 */
export function useDeadline(timeoutMs: number): Plugin<{ deadline?: Deadline }> {
  const signals = new Map<number, AbortSignal>();
  const signalFor = (at: number): AbortSignal => {
    const fires = Math.ceil(at / SHARED_WITHIN_MS) * SHARED_WITHIN_MS;
    let signal = signals.get(fires);
    if (!signal) {
      const controller = new AbortController();
      signal = controller.signal;
      // Every call of a wide tree listens on the signal at once; each listener goes when its call ends.
      setMaxListeners(0, signal);
      signals.set(fires, signal);
      setTimeout(() => {
        signals.delete(fires);
        controller.abort(new DOMException('operation deadline', 'TimeoutError'));
      }, fires - Date.now()).unref();
    }
    return signal;
  };
  return {
    onContextBuilding({ extendContext }) {
      const at = Date.now() + timeoutMs;
      extendContext({ deadline: { at, signal: signalFor(at) } });
    },
  };
}
