import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';

/** Where persisted queries are kept: by hash, so an entry never changes once written. */
export interface PersistedQueryStore {
  get(hash: string): string | undefined | Promise<string | undefined>;
  /** Registers a query; never throws (a failed write costs the next instance one round trip of the protocol). */
  set(hash: string, query: string): void;
}

/** Bounds of the in-process store, in entries and in characters of query text. */
export interface StoreBounds {
  readonly maxEntries: number;
  readonly maxChars: number;
}

const PREFIX = 'ncore-gateway:apq:';

/** This process's persisted queries, the least recently used giving way first. */
export function memoryStore({ maxEntries, maxChars }: StoreBounds): PersistedQueryStore {
  const queries = new LRUCache<string, string>({
    max: maxEntries,
    maxSize: maxChars,
    sizeCalculation: (query) => Math.max(1, query.length),
  });
  return { get: (hash) => queries.get(hash), set: (hash, query) => void queries.set(hash, query) };
}

/**
 * Persisted queries shared by every instance through Redis (`SET key query PX ttl`), with this process's own store
 * in front: an entry never changes, so what is held here is never stale. While Redis is away, registrations stay
 * in this process and a hash registered elsewhere reads as unknown, which the client answers by sending its query:
 * an outage costs a round trip, never an answer.
 */
export function redisStore(redis: Redis, ttlMs: number, bounds: StoreBounds, logger: Logger): PersistedQueryStore {
  const local = memoryStore(bounds);
  // Registrations made while Redis is away, written once it is back (the newest few hundred).
  const unsent = new LRUCache<string, string>({ max: 500 });
  let failing = false;
  const failed = () => {
    if (!failing) logger.warn('persisted queries: Redis unreachable, registrations kept in this process');
    failing = true;
    return undefined;
  };
  const write = (hash: string, query: string) => {
    if (redis.status !== 'ready') return void unsent.set(hash, query);
    redis.set(PREFIX + hash, query, 'PX', ttlMs).then(() => (failing = false), failed);
  };
  redis.on('ready', () => {
    for (const [hash, query] of unsent.entries()) write(hash, query);
    unsent.clear();
  });
  return {
    async get(hash) {
      const held = local.get(hash) as string | undefined;
      if (held !== undefined || redis.status !== 'ready') return held;
      const query = await redis.get(PREFIX + hash).then((value) => {
        failing = false;
        return value ?? undefined;
      }, failed);
      if (query !== undefined) local.set(hash, query);
      return query;
    },
    set(hash, query) {
      local.set(hash, query);
      write(hash, query);
    },
  };
}
