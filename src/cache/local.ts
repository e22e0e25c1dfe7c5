import { LRUCache } from 'lru-cache';
import { EVERY_TENANT, type Invalidation, type ItemKey, localName, type Tenant } from './keys.ts';

/** How much one process holds, and for how long. */
export interface LocalBounds {
  readonly maxEntries: number;
  readonly maxBytes: number;
  /** An entry is served at most this long after its read began. */
  readonly ttlMs: number;
  /** How long an invalidation is remembered: longer than an entry lives and than any read in flight may take. */
  readonly keepMs: number;
  /** The clock entries expire by (a test's fake one, or Date.now). */
  readonly now?: () => number;
}

interface Entry {
  readonly value: unknown;
  /** Bytes of the JSON it was read as. */
  readonly size: number;
  /** The invalidation count when its read began: any invalidation after that makes it stale. */
  readonly seq: number;
  readonly expires: number;
}

/**
 * This process's entries, bounded in number and bytes (least recently used first out), each expiring `ttlMs` after
 * its read began. Each invalidation records the count it raised on what it touches; an entry or a read in flight is
 * valid only if it began at or after every count recorded for it, so a read older than a write never stores what it
 * found. Pages are judged by their parent's or tenant's mark on read; a mark pushed out raises the floor for all.
 */
export class LocalStore {
  #seq = 0;
  #floor = 0;
  readonly #now: () => number;
  readonly #ttlMs: number;
  readonly #entries: LRUCache<string, Entry>;
  readonly #marks: LRUCache<string, number>;

  constructor({ maxEntries, maxBytes, ttlMs, keepMs, now = Date.now }: LocalBounds) {
    this.#now = now;
    this.#ttlMs = ttlMs;
    this.#entries = new LRUCache({ max: maxEntries, maxSize: maxBytes, sizeCalculation: (entry) => entry.size });
    this.#marks = new LRUCache({
      max: Math.max(10_000, Math.min(100_000, maxEntries)),
      ttl: keepMs,
      dispose: (mark, _, reason) => {
        if (reason === 'evict') this.#floor = Math.max(this.#floor, mark);
      },
    });
  }

  /** The invalidation count now: what a read beginning now records, to be judged by when it ends. */
  get seq(): number {
    return this.#seq;
  }

  get entries(): number {
    return this.#entries.size;
  }

  get bytes(): number {
    return this.#entries.calculatedSize;
  }

  /** The value held for `key`, if it is still valid. */
  get(tenant: Tenant, key: ItemKey): unknown {
    const name = localName(tenant, key);
    const entry = this.#entries.get(name);
    if (!entry) return undefined;
    if (entry.expires <= this.#now() || !this.valid(tenant, key, entry.seq)) {
      this.#entries.delete(name);
      return undefined;
    }
    return entry.value;
  }

  /** Keeps what a read that began at `seq` (and `since`, on this store's clock) found, unless it is stale already. */
  set(tenant: Tenant, key: ItemKey, value: unknown, size: number, seq: number, since: number): void {
    if (!this.valid(tenant, key, seq)) return;
    const expires = since + this.#ttlMs;
    if (expires <= this.#now()) return;
    this.#entries.set(localName(tenant, key), { value, size: Math.max(1, size), seq, expires });
  }

  /** Whether nothing that touches `key` was invalidated since a read began at `seq`. */
  valid(tenant: Tenant, key: ItemKey, seq: number): boolean {
    if (seq < this.#floor) return false;
    const group = `${key.kind}\u0000${key.id}`;
    for (const owner of tenant === EVERY_TENANT ? [tenant] : [tenant, EVERY_TENANT]) {
      if ((this.#marks.get(`${owner}\u0000${group}`) ?? 0) > seq) return false;
      if (key.kind === 'c' && (this.#marks.get(`${owner}\u0000c*`) ?? 0) > seq) return false;
    }
    return true;
  }

  invalidate({ tenant, users, parents, allPages }: Invalidation): void {
    const mark = ++this.#seq;
    for (const id of users) {
      this.#marks.set(`${tenant}\u0000u\u0000${id}`, mark);
      this.#entries.delete(localName(tenant, { kind: 'u', id, field: '' }));
    }
    for (const id of parents) this.#marks.set(`${tenant}\u0000c\u0000${id}`, mark);
    if (allPages) this.#marks.set(`${tenant}\u0000c*`, mark);
  }

  /** Forgets everything: what this process held may have missed an invalidation. */
  flush(): void {
    this.#floor = ++this.#seq;
    this.#entries.clear();
  }

  /** The clock entries expire by. */
  now(): number {
    return this.#now();
  }
}
