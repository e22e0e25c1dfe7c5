import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { UserEventRecord, UserEventType } from '../contract/types.ts';
import { canonicalUserId } from '../contract/validation.ts';
import { ErrorCode, errorCode, gatewayError } from '../errors.ts';
import type { Upstream } from '../ncore/http.ts';
import { ancestorsOf } from '../operation/hierarchy.ts';
import { createOperationScope } from '../operation/scope.ts';
import type { EventBus } from './bus.ts';
import { Delivery, type DeliveryScope, Ending } from './delivery.ts';
import type { EventMetrics } from './metrics.ts';
import { SubscriptionStream } from './stream.ts';

/** A subscriber that has not read even its Ending this long after overflowing is disconnected. */
const SLOW_CONSUMER_GRACE_MS = 5_000;
/** How long a key nCore accepted stands without asking again, in `forward` mode. */
const KEY_PROOF_MS = 60_000;

/** Which events a subscription keeps; each given criterion must hold. Ids are lower case. */
export interface EventFilter {
  readonly userId?: string;
  readonly descendantsOf?: string;
  readonly types?: ReadonlySet<UserEventType>;
}

/** Who subscribes: the key its deliveries read nCore with, and how to cut its connection. */
export interface Subscriber {
  readonly apiKey: string;
  readonly requestId: string;
  /** Closes the subscriber's connection; for one that stopped reading altogether. */
  disconnect(): void;
}

export interface HubOptions {
  readonly bus: EventBus;
  readonly upstream: Upstream;
  readonly metrics: EventMetrics;
  readonly logger: Logger;
  readonly callBudget: number;
  readonly concurrency: number;
  /** Bound of one delivery's nCore reads, and of the ancestor walk of one event. */
  readonly timeoutMs: number;
  readonly maxSubscriptions: number;
  readonly bufferSize: number;
  /** Why subscriptions are refused here, when they are (no receiver; `forward` mode with several tenants). */
  readonly unavailable: string | undefined;
  /**
   * `forward` mode: callers bring keys the gateway cannot judge, so a subscriber's key must be accepted by nCore
   * before it hears anything, and what its events deliver is read under that key.
   */
  readonly callerKeys: boolean;
}

interface Entry {
  readonly filter: EventFilter;
  readonly subscriber: Subscriber;
  readonly stream: SubscriptionStream<Delivery>;
  /** What each of its deliveries reads nCore with: fixed when it opens. */
  readonly scope: DeliveryScope;
}

/**
 * The process's subscriptions and the one listener on the bus that feeds them. Each event is matched
 * against every subscription's filter; `descendantsOf` needs the event user's ancestors, walked once per
 * event (not per subscriber) and only when some subscription asks. Deliveries to those subscriptions keep
 * the order in which events arrived.
 */
export class EventHub {
  readonly #entries = new Set<Entry>();
  readonly #stopListening: () => void;
  #ordered: Promise<void> = Promise.resolve();
  #closed = false;
  /** Keys nCore accepted lately (`forward` mode), so a thousand subscribers with one key cost one call. */
  readonly #proven = new LRUCache<string, true>({ max: 10_000, ttl: KEY_PROOF_MS });

  constructor(private readonly options: HubOptions) {
    this.#stopListening = options.bus.listen((event) => this.#dispatch(event));
  }

  /** Open subscriptions. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * A new subscription's event stream; throws SUBSCRIPTIONS_UNAVAILABLE or TOO_MANY_SUBSCRIPTIONS, and in
   * `forward` mode the error nCore's refusal of the subscriber's key maps to (UPSTREAM_UNAUTHORIZED).
   */
  async open(filter: EventFilter, subscriber: Subscriber): Promise<AsyncIterableIterator<Delivery | Ending>> {
    this.#admit();
    if (this.options.callerKeys) await this.#prove(subscriber);
    this.#admit();
    return this.#open(filter, subscriber);
  }

  #admit(): void {
    const { metrics, maxSubscriptions } = this.options;
    const unavailable = this.#closed ? 'The gateway is shutting down.' : this.options.unavailable;
    if (unavailable) {
      metrics.refused('unavailable');
      throw gatewayError(ErrorCode.SUBSCRIPTIONS_UNAVAILABLE, unavailable);
    }
    if (this.#entries.size >= maxSubscriptions) {
      metrics.refused('limit');
      throw gatewayError(
        ErrorCode.TOO_MANY_SUBSCRIPTIONS,
        `This gateway instance serves at most ${maxSubscriptions} subscriptions; try again later.`,
        { limit: 'maxSubscriptions', max: maxSubscriptions },
      );
    }
  }

  /** Asks nCore for one user under the subscriber's key; a refusal is the subscription's error. */
  async #prove({ apiKey, requestId }: Subscriber): Promise<void> {
    if (this.#proven.has(apiKey)) return;
    const { upstream, callBudget, concurrency, timeoutMs } = this.options;
    const call = { apiKey, requestId, deadline: Date.now() + timeoutMs, signal: AbortSignal.timeout(timeoutMs) };
    await createOperationScope({ upstream, callBudget, concurrency }, call).ncore.listUsers({ limit: 1 });
    this.#proven.set(apiKey, true);
  }

  #open(filter: EventFilter, subscriber: Subscriber): AsyncIterableIterator<Delivery | Ending> {
    const { metrics, bufferSize } = this.options;
    let grace: NodeJS.Timeout | undefined;
    const stream = new SubscriptionStream<Delivery>(
      bufferSize,
      () =>
        new Ending(
          gatewayError(
            ErrorCode.SLOW_CONSUMER,
            `The subscription fell more than ${bufferSize} events behind and was ended; subscribe again.`,
          ),
        ),
      () => {
        metrics.slowConsumer();
        this.options.logger.warn({ requestId: subscriber.requestId }, 'slow consumer: subscription ended');
        grace = setTimeout(() => subscriber.disconnect(), SLOW_CONSUMER_GRACE_MS).unref();
      },
      () => {
        clearTimeout(grace);
        if (this.#entries.delete(entry)) metrics.closed();
      },
    );
    const { upstream, callBudget, concurrency, timeoutMs, callerKeys } = this.options;
    const { apiKey, requestId } = subscriber;
    const scope: DeliveryScope = {
      upstream,
      apiKey,
      requestId,
      callBudget,
      concurrency,
      timeoutMs,
      trustEventUser: !callerKeys,
    };
    const entry: Entry = { filter, subscriber, stream, scope };
    this.#entries.add(entry);
    metrics.opened();
    return stream;
  }

  /** Ends every subscription normally (its transport sends `complete`) and refuses new ones. */
  close(): void {
    this.#closed = true;
    this.#stopListening();
    for (const entry of this.#entries) entry.stream.end();
  }

  #dispatch(event: UserEventRecord): void {
    const waiting: Entry[] = [];
    for (const entry of this.#entries) {
      const { types, userId, descendantsOf } = entry.filter;
      if (types && !types.has(event.type)) continue;
      if (userId && userId !== event.userId) continue;
      if (descendantsOf) waiting.push(entry);
      else this.#deliver(entry, event);
    }
    if (waiting.length === 0) return;
    // Walked under each subscriber key once: what one key may read never decides for another.
    const walks = new Map<string, Promise<ReadonlySet<string>>>();
    for (const { scope } of waiting)
      if (!walks.has(scope.apiKey)) walks.set(scope.apiKey, this.#ancestorIds(event, scope));
    this.#ordered = this.#ordered.then(async () => {
      await Promise.all(walks.values());
      for (const entry of waiting) {
        const ids = await walks.get(entry.scope.apiKey)!;
        if (ids.has(entry.filter.descendantsOf!)) this.#deliver(entry, event);
      }
    });
  }

  #deliver(entry: Entry, event: UserEventRecord): void {
    if (!entry.stream.open) return;
    entry.stream.push(new Delivery(event, entry.scope));
    this.options.metrics.delivered();
  }

  /** The ids of the event user's ancestors; empty when they cannot be read (logged, never thrown). */
  async #ancestorIds(event: UserEventRecord, scope: DeliveryScope): Promise<ReadonlySet<string>> {
    const requestId = `event:${event.id}`.replace(/[^\w.:-]/g, '_').slice(0, 128);
    const { loaders } = new Delivery(event, { ...scope, requestId }).scope;
    try {
      const user = await loaders.userById.load(event.userId);
      if (!user) return new Set();
      return new Set((await ancestorsOf(user, loaders)).map((a) => canonicalUserId(a.id)));
    } catch (error) {
      this.options.logger.warn(
        { code: errorCode(error) ?? 'unknown', type: event.type },
        'ancestors of an event user not read',
      );
      return new Set();
    }
  }
}
