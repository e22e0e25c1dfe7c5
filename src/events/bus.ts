import type { UserEventRecord } from '../contract/types.ts';
import { type Deduplicator, MemoryDeduplicator } from './dedup.ts';

/**
 * Where accepted events go and where subscriptions hear them: this process alone, the cluster's primary
 * (cluster.ts) or Redis (redis.ts). Whatever instance receives a webhook publishes it; every instance's
 * listener, the publisher's own included, hears it once.
 */
export interface EventBus {
  /** The token store shared by the same instances as the events. */
  readonly dedup: Deduplicator;
  /** Resolves once the event is handed over (not delivered); rejects when it could not be. */
  publish(event: UserEventRecord): Promise<void>;
  /** Hears every event published by any instance; returns the way to stop. */
  listen(listener: (event: UserEventRecord) => void): () => void;
  /** What `/ready` reports about the bus, when it depends on something outside the process. */
  readonly health?: { readonly name: string; check(): Promise<boolean> };
  close(): Promise<void>;
}

/** One process on its own: events go from its receiver to its own subscribers. */
export function createLocalBus(dedupTtlMs: number): EventBus {
  const listeners = new Set<(event: UserEventRecord) => void>();
  return {
    dedup: new MemoryDeduplicator(dedupTtlMs),
    async publish(event) {
      // Fan-out happens after the webhook's answer, as it does through Redis or the primary.
      setImmediate(() => {
        for (const listener of listeners) listener(event);
      });
    },
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
    },
  };
}
