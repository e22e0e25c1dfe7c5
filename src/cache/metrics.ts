import { Counter, Gauge, type Registry } from 'prom-client';
import type { FlushReason } from './channel.ts';

/**
 * How one read was answered: from the cache (`hit`), by another operation's call still in flight (`shared`), by
 * nCore after the cache had nothing (`miss`), or by nCore without asking the cache (`bypass`: `cache-control:
 * no-cache`, a mutation, a `forward` key not yet proven, or the invalidation channel down).
 */
export type ReadResult = 'hit' | 'shared' | 'miss' | 'bypass';
export type ReadKind = 'user' | 'page';
/** Where an invalidation came from: this instance's write, a webhook, or another instance. */
export type InvalidationOrigin = 'write' | 'webhook' | 'peer';

/** Cache metrics; labels are fixed sets, never an id, a tenant or a key. */
export interface CacheMetrics {
  read(kind: ReadKind, result: ReadResult, count?: number): void;
  invalidated(origin: InvalidationOrigin): void;
  flushed(reason: FlushReason): void;
}

export const NO_CACHE_METRICS: CacheMetrics = { read() {}, invalidated() {}, flushed() {} };

/** What the gauges read when scraped. */
export interface CacheState {
  readonly coherent: boolean;
  readonly entries: number;
  readonly bytes: number;
}

export function createCacheMetrics(registry: Registry, state: () => CacheState): CacheMetrics {
  const registers = [registry];
  const reads = new Counter({
    name: 'gateway_cache_reads_total',
    help: 'Reads of a user or a children page, by how they were answered: hit, shared (by a call in flight), miss, bypass.',
    labelNames: ['kind', 'result'],
    registers,
  });
  const invalidations = new Counter({
    name: 'gateway_cache_invalidations_total',
    help: 'Invalidations applied in this process, by origin: write (this instance), webhook, peer (another instance).',
    labelNames: ['origin'],
    registers,
  });
  const flushes = new Counter({
    name: 'gateway_cache_flushes_total',
    help: 'Times this process forgot everything it held: the invalidation channel was lost, came back, or a new shared generation began.',
    labelNames: ['reason'],
    registers,
  });
  new Gauge({
    name: 'gateway_cache_coherent',
    help: '1 while this process hears every invalidation and serves from the cache; 0 while it reads through to nCore.',
    registers,
    collect() {
      this.set(state().coherent ? 1 : 0);
    },
  });
  new Gauge({
    name: 'gateway_cache_entries',
    help: 'Entries held in this process.',
    registers,
    collect() {
      this.set(state().entries);
    },
  });
  new Gauge({
    name: 'gateway_cache_bytes',
    help: 'Bytes of JSON held in this process.',
    registers,
    collect() {
      this.set(state().bytes);
    },
  });
  return {
    read: (kind, result, count = 1) => {
      if (count > 0) reads.inc({ kind, result }, count);
    },
    invalidated: (origin) => invalidations.inc({ origin }),
    flushed: (reason) => flushes.inc({ reason }),
  };
}
