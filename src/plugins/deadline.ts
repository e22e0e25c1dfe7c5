import { setMaxListeners } from 'node:events';
import type { Plugin } from 'graphql-yoga';
import type { Deadline } from '../context.ts';

interface Timed extends Deadline {
  readonly timer: NodeJS.Timeout;
}

/**
 * The operation deadline: starts one timer when an operation's context is built and clears it when the
 * operation is done. A timer left to run would hold the operation's calls in memory until it fired, so the
 * plugin that starts it is the one that clears it. Subscriptions carry no deadline of their own: each event
 * delivery is bounded where it is resolved.
 */
export function useDeadline(timeoutMs: number): Plugin<{ deadline?: Deadline }> {
  const release = (context: { deadline?: Deadline }) => clearTimeout((context.deadline as Timed | undefined)?.timer);
  return {
    onContextBuilding({ extendContext }) {
      const controller = new AbortController();
      const timer = setTimeout(
        () => controller.abort(new DOMException('operation deadline', 'TimeoutError')),
        timeoutMs,
      );
      timer.unref();
      // Every call of a wide tree listens on the signal at once; each listener goes when its call ends.
      setMaxListeners(0, controller.signal);
      const deadline: Timed = { at: Date.now() + timeoutMs, signal: controller.signal, timer };
      extendContext({ deadline });
    },
    onExecute({ args }) {
      return { onExecuteDone: () => release(args.contextValue) };
    },
    onSubscribe({ args }) {
      release(args.contextValue);
    },
  };
}
