import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { type Channel, type ChannelHandlers, localChannel } from './channel.ts';
import { clusterChannel } from './cluster.ts';
import { EVERY_TENANT, type Tenant, tenantOf } from './keys.ts';
import { LocalStore } from './local.ts';
import { createCacheMetrics, NO_CACHE_METRICS } from './metrics.ts';
import { redisChannel } from './redis.ts';
import { UserCache } from './userCache.ts';

export type { Lookup, OperationCache, OperationOptions, PageRequest, UserCache, Written } from './userCache.ts';

/** What the cache is made from: its settings, and where the process's other pieces are. */
export interface CacheSettings {
  /** `CACHE_TTL_MS`; 0 makes no cache at all. */
  readonly ttlMs: number;
  readonly maxEntries: number;
  readonly maxBytes: number;
  /** The longest an operation may run: a read in flight may store what it found until then. */
  readonly operationTimeoutMs: number;
  /** Shared entries and invalidations through this Redis. */
  readonly redisUrl: string | undefined;
  /** A node:cluster worker without Redis: invalidations go through the primary (cluster.ts). */
  readonly clusterWorker: boolean;
  /** The gateway's own nCore key, the one tenant outside `forward` mode. */
  readonly apiKey: string | undefined;
  /** `forward` mode: each caller's key is a tenant of its own, served cached entries once nCore accepted it. */
  readonly forward: boolean;
  /** `forward` mode with `FORWARD_SINGLE_TENANT`: nCore's webhooks speak for every caller's key. */
  readonly singleTenant: boolean;
}

/** Builds the process's cache, or none when `CACHE_TTL_MS` is 0 (every read then goes to nCore, as without it). */
export function createUserCache(
  settings: CacheSettings,
  deps: { readonly logger: Logger; readonly registry: Registry | undefined },
): UserCache | undefined {
  const { ttlMs, maxEntries, maxBytes, operationTimeoutMs, apiKey } = settings;
  if (ttlMs === 0) return undefined;
  // Marks outlive every entry they could make stale and every read still in flight, with a margin for Redis.
  const keepMs = Math.max(ttlMs, operationTimeoutMs) + 2_000;
  const local = new LocalStore({ maxEntries, maxBytes, ttlMs, keepMs });
  let cache: UserCache | undefined;
  const metrics = deps.registry
    ? createCacheMetrics(deps.registry, () => ({
        coherent: cache?.parts.channel.coherent ?? false,
        entries: local.entries,
        bytes: local.bytes,
      }))
    : NO_CACHE_METRICS;
  const handlers: ChannelHandlers = {
    peer(invalidation) {
      local.invalidate(invalidation);
      metrics.invalidated('peer');
    },
    flush(reason) {
      local.flush();
      metrics.flushed(reason);
    },
  };
  const channel: Channel = settings.redisUrl
    ? redisChannel(settings.redisUrl, deps.logger, handlers, { ttlMs, keepMs })
    : settings.clusterWorker
      ? clusterChannel(handlers)
      : localChannel();
  const { forward } = settings;
  // Outside `forward` mode, webhooks speak for the gateway's one key; in it, for every key or for none.
  const eventsTenant: Tenant | undefined = forward
    ? settings.singleTenant
      ? EVERY_TENANT
      : undefined
    : apiKey === undefined
      ? undefined
      : tenantOf(apiKey);
  cache = new UserCache({ local, channel, metrics, callerKeys: forward, eventsTenant });
  return cache;
}
