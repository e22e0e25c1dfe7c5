import { setMaxListeners } from 'node:events';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Deadline } from '../operation/context.ts';

/** Operations whose deadlines fall within the same this-many milliseconds share one signal. */
const SHARED_WITHIN_MS = 10;

/** One signal and its timer, and how many operations still hold it. */
interface Shared {
  readonly key: number;
  readonly controller: AbortController;
  readonly timer: NodeJS.Timeout;
  holders: number;
}

type Held = Deadline & { readonly shared: Shared };

/**
 * The operation deadline: `at` is exact, and every nCore call takes the time left of it as its own timeout
 * (ncore/http.ts). The signal covers what no call timer does (a call queued for a socket, a retry's backoff); it
 * fires at most 10 ms after `at`. Operations starting within the same 10 ms share one controller and one timer,
 * released by the last of them, so none outlives its operations into the old generation. An incremental answer
 * (`@defer`, `@stream`) is one operation until its last part is sent or its client goes away: its later parts
 * resolve under the same deadline and signal, so it is released then, not when the first part is ready.
 * Subscriptions carry no deadline: each event delivery is bounded where it is resolved.
 */
export function useDeadline(timeoutMs: number): Plugin<{ deadline?: Deadline }> {
  const signals = new Map<number, Shared>();
  const hold = (at: number): Shared => {
    const key = Math.ceil(at / SHARED_WITHIN_MS) * SHARED_WITHIN_MS;
    let shared = signals.get(key);
    if (!shared) {
      const controller = new AbortController();
      // Every call of a wide tree listens on the signal at once; each listener goes when its call ends.
      setMaxListeners(0, controller.signal);
      const timer = setTimeout(() => {
        signals.delete(key);
        controller.abort(new DOMException('operation deadline', 'TimeoutError'));
      }, key - Date.now());
      timer.unref();
      shared = { key, controller, timer, holders: 0 };
      signals.set(key, shared);
    }
    shared.holders++;
    return shared;
  };
  const release = (context: { deadline?: Deadline }) => {
    const shared = (context.deadline as Held | undefined)?.shared;
    if (!shared || --shared.holders > 0) return;
    clearTimeout(shared.timer);
    if (signals.get(shared.key) === shared) signals.delete(shared.key);
  };
  return {
    onContextBuilding({ extendContext }) {
      const at = Date.now() + timeoutMs;
      const shared = hold(at);
      const deadline: Held = { at, signal: shared.controller.signal, shared };
      extendContext({ deadline });
    },
    onExecute({ args }) {
      return {
        onExecuteDone({ result }) {
          // Envelop calls onEnd once, when the parts run out or the response stream is cancelled.
          if (isAsyncIterable(result)) return { onEnd: () => release(args.contextValue) };
          release(args.contextValue);
        },
      };
    },
    onSubscribe({ args }) {
      release(args.contextValue);
    },
  };
}
