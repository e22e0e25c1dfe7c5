import type { GraphQLError } from 'graphql';
import { ErrorCode, gatewayError } from '../errors.ts';
import type { Grant } from './rate.ts';

/** Where a tenant's turns come from: a bucket in this process, or the one every instance shares through Redis. */
export interface TurnSource {
  /** Whether `take` answers at once (a bucket in this process), so a lone call needs no round of the queue. */
  readonly local: boolean;
  /** Up to `want` turns now, and how long until the next when fewer; never fails (a shared source falls back). */
  take(want: number): Grant | Promise<Grant>;
  /** The soonest `n` turns could be had (ms from now), if no one else asked: a lower bound. */
  soonest(n: number): number;
}

/** A tenant's source as the governor holds it: also the rate in force, and what a 429 does to it. */
export interface RateSource extends TurnSource {
  /** Calls per second in force for the tenant across every instance. */
  readonly rate: number;
  /** nCore answered 429 (`retryAfterMs` when it said): slow down, and send nothing before then. */
  throttled(retryAfterMs?: number): void;
}

/** One operation's calls as the queue sees them: how many wait now, and how long at least one of them waited. */
export interface OperationTurns {
  waiting: number;
  /** When `waiting` last rose from 0. */
  since: number;
  /** Wall-clock time during which at least one of the operation's calls waited for a turn (the log line's field). */
  waitedMs: number;
}

/** What the queue tells the metrics: a turn and how long its call waited, or a call refused one. */
export interface TurnObserver {
  waited(ms: number): void;
  refused(): void;
}

interface Waiter {
  readonly op: OperationTurns;
  readonly enqueued: number;
  readonly resolve: () => void;
  readonly reject: (error: GraphQLError) => void;
  timer?: NodeJS.Timeout;
}

/** The shortest pause between two asks while calls wait: a batch of turns per ask rather than one round trip each. */
const MIN_PAUSE_MS = 5;

/**
 * One tenant's calls waiting for their turns, shared between operations round-robin rather than first come, first
 * served: a query for one user waits for one turn of each operation ahead of it, never behind the hundred calls of a
 * wide tree. A call whose turn cannot come before it gives up (its deadline less the time an answer takes) is
 * refused with RATE_LIMITED: at once when even the whole rate could not serve it in time, else when that time comes.
 * Calls waiting at once are asked for at once: a DataLoader round of a hundred calls is one ask (one Redis round
 * trip when shared), then one per refill of the bucket.
 */
export class TenantTurns {
  /** The waiting calls of each operation, operations in turn order: the first is served next, then goes last. */
  readonly #queues = new Map<OperationTurns, Waiter[]>();
  #waiting = 0;
  #pumping = false;

  constructor(
    private readonly source: TurnSource,
    private readonly observer: TurnObserver,
    private readonly now: () => number = Date.now,
  ) {}

  /** Calls waiting for a turn now. */
  get queued(): number {
    return this.#waiting;
  }

  /**
   * A turn for one call of `op`: undefined when it has one at once, else a promise that resolves with the turn or
   * rejects with RATE_LIMITED once the call could no longer be answered by `giveUpAt` (epoch ms).
   */
  turn(op: OperationTurns, giveUpAt: number): Promise<void> | undefined {
    if (this.#waiting === 0 && !this.#pumping && this.source.local) {
      const { granted } = this.source.take(1) as Grant;
      if (granted === 1) {
        this.observer.waited(0);
        return undefined;
      }
    }
    const now = this.now();
    // Even the tenant's whole rate could not serve this call in time behind its own operation's earlier ones.
    const soonest = this.source.soonest((this.#queues.get(op)?.length ?? 0) + 1);
    if (now + soonest > giveUpAt) {
      this.observer.refused();
      return Promise.reject(refusal(soonest));
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { op, enqueued: now, resolve, reject };
      waiter.timer = setTimeout(() => this.#giveUp(waiter), giveUpAt - now);
      waiter.timer.unref();
      const queue = this.#queues.get(op);
      if (queue) queue.push(waiter);
      else this.#queues.set(op, [waiter]);
      if (op.waiting++ === 0) op.since = now;
      this.#waiting += 1;
      this.#pump();
    });
  }

  /** Asks the source for as many turns as calls wait, hands them out, and pauses until the next while any wait. */
  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    // After this turn of the event loop, so that every call of a round is asked for in one go.
    setImmediate(async () => {
      try {
        while (this.#waiting > 0) {
          const want = this.#waiting;
          // A source never fails (a shared one falls back to its local share); were it to, the calls give up in time.
          const grant = await Promise.resolve(want)
            .then((n) => this.source.take(n))
            .catch(() => ({ granted: 0, waitMs: 1000 }));
          this.#handOut(grant.granted);
          if (this.#waiting > 0 && grant.granted < want)
            await new Promise((resolve) => setTimeout(resolve, Math.max(MIN_PAUSE_MS, grant.waitMs)).unref());
        }
      } finally {
        this.#pumping = false;
      }
    });
  }

  /** `n` turns, one per operation in turn order; turns beyond the calls still waiting are not used. */
  #handOut(n: number): void {
    const now = this.now();
    for (let left = n; left > 0 && this.#waiting > 0; left--) {
      const [op, queue] = this.#queues.entries().next().value as [OperationTurns, Waiter[]];
      const waiter = queue.shift()!;
      this.#queues.delete(op);
      if (queue.length) this.#queues.set(op, queue);
      this.#leave(waiter, now);
      this.observer.waited(now - waiter.enqueued);
      waiter.resolve();
    }
  }

  #giveUp(waiter: Waiter): void {
    const queue = this.#queues.get(waiter.op);
    const index = queue?.indexOf(waiter) ?? -1;
    if (!queue || index === -1) return;
    queue.splice(index, 1);
    if (!queue.length) this.#queues.delete(waiter.op);
    this.#leave(waiter, this.now());
    this.observer.refused();
    waiter.reject(refusal(this.source.soonest(1)));
  }

  #leave(waiter: Waiter, now: number): void {
    clearTimeout(waiter.timer);
    this.#waiting -= 1;
    const { op } = waiter;
    if (--op.waiting === 0) op.waitedMs += now - op.since;
  }
}

/** The refusals made here, so that one operation's can be told from nCore's own 429 (`refusedTurn`). */
const refusals = new WeakSet<object>();

/**
 * Whether `error` is a call refused a turn for want of time: its operation's own limit, like its call budget, not
 * an answer of nCore's (another operation waiting on the same read asks for its own turn, within its own deadline).
 */
export function refusedTurn(error: unknown): boolean {
  return typeof error === 'object' && error !== null && refusals.has(error);
}

/** A call the tenant's rate had no turn for in time; `waitMs` is when one may come, for `retryAfterSeconds`. */
function refusal(waitMs: number): GraphQLError {
  const error = gatewayError(
    ErrorCode.RATE_LIMITED,
    "nCore's call rate for this tenant had no turn for this call before the operation's deadline.",
    { retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) },
  );
  refusals.add(error);
  return error;
}
