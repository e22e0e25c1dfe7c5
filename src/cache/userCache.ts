import { LRUCache } from 'lru-cache';
import type { WirePage, WireUser } from '../contract/types.ts';
import { canonicalUserId } from '../contract/validation.ts';
import type { Channel, SharedRead } from './channel.ts';
import { InFlight, type Owner } from './inflight.ts';
import { type Invalidation, type ItemKey, localName, pageKey, type Tenant, tenantOf, userKey } from './keys.ts';
import type { LocalStore } from './local.ts';
import type { CacheMetrics, InvalidationOrigin, ReadKind } from './metrics.ts';

/** How long a `forward` key nCore accepted is trusted with cached entries before nCore is asked again. */
const KEY_PROOF_MS = 60_000;

export interface UserCacheParts {
  readonly local: LocalStore;
  readonly channel: Channel;
  readonly metrics: CacheMetrics;
  /** `forward` mode: a caller's key is served cached entries only once nCore has accepted it lately. */
  readonly callerKeys: boolean;
  /** Whose entries nCore's webhooks speak for: the gateway key's tenant, every tenant, or none (undefined). */
  readonly eventsTenant: Tenant | undefined;
  /** How long a proven `forward` key stands; a minute unless a test says otherwise. */
  readonly keyProofMs?: number;
}

/** What one operation's cache needs besides its key: its limits, and how its nCore calls fail. */
export interface OperationOptions {
  readonly apiKey: string;
  readonly owner: Owner;
  /** Ask nCore for everything, and refresh the cache with it (`cache-control: no-cache`, a mutation). */
  readonly readThrough: boolean;
  /** A failure that is the operation's own (its call budget), not nCore's answer. */
  ownFailure(error: unknown): boolean;
  /** What a passed deadline rejects with. */
  timeout(): Error;
}

/** What one lookup found, and how to read the rest. */
export interface Lookup<V> {
  /** What the cache held for each key, in order; undefined where nothing valid is held or it may not be served. */
  readonly held: readonly (V | undefined)[];
  /** Reads key `index` with `call` (or joins the same read in flight elsewhere in the process) and fills the cache. */
  load(index: number, call: () => Promise<V>): Promise<V>;
}

/** One page of a parent's children as the loaders ask for it. */
export interface PageRequest {
  readonly parentId: string;
  readonly limit: number;
  readonly after?: string;
}

/** What a write may have changed: the user it wrote, and whose children pages (`'all'` when a parent is unknown). */
export interface Written {
  readonly userId?: string;
  readonly parents: readonly (string | null | undefined)[] | 'all';
}

/**
 * The process's cache of users and children pages, per tenant (cache/README.md): a local store in front, the
 * shared entries and the invalidation channel behind it (Redis, the cluster primary, or nothing), the calls in
 * flight, and in `forward` mode the keys nCore accepted lately. Operations reach it through `forOperation`.
 */
export class UserCache {
  readonly inflight = new InFlight();
  readonly #proven: LRUCache<Tenant, true>;

  constructor(readonly parts: UserCacheParts) {
    this.#proven = new LRUCache({ max: 10_000, ttl: parts.keyProofMs ?? KEY_PROOF_MS });
  }

  forOperation(options: OperationOptions): OperationCache {
    return new OperationCache(this, tenantOf(options.apiKey), options);
  }

  /** Whether cached entries may be served to `tenant`: always, but for a `forward` key nCore has not accepted lately. */
  proven(tenant: Tenant): boolean {
    return !this.parts.callerKeys || this.#proven.has(tenant);
  }

  /** nCore answered a call under the tenant's key. */
  prove(tenant: Tenant): void {
    if (this.parts.callerKeys && !this.#proven.has(tenant)) this.#proven.set(tenant, true);
  }

  /** Applies here at once, then tells every instance; resolves when they have been told (never rejects). */
  invalidate(invalidation: Invalidation, origin: InvalidationOrigin, heardEverywhere = false): Promise<void> {
    this.parts.local.invalidate(invalidation);
    this.parts.metrics.invalidated(origin);
    return this.parts.channel.broadcast(invalidation, heardEverywhere);
  }

  /**
   * An nCore event from the bus (every instance hears it once): the user it names and its parent's children pages,
   * or every page when the event does not say who the parent is.
   */
  heard(event: { readonly userId: string; readonly user: WireUser | null }): void {
    const { eventsTenant } = this.parts;
    if (eventsTenant === undefined) return;
    const parent = event.user?.parent_user_id;
    void this.invalidate(
      {
        tenant: eventsTenant,
        users: [canonicalUserId(event.userId)],
        parents: typeof parent === 'string' ? [canonicalUserId(parent)] : [],
        allPages: event.user === null,
      },
      'webhook',
      true,
    );
  }

  close(): void {
    this.parts.channel.close();
  }
}

/** Where and when a lookup began, so that what it reads is stored only if nothing was invalidated since. */
interface Began {
  readonly seq: number;
  readonly since: number;
  readonly session: number;
  readonly shared: SharedRead | undefined;
  /** Whether cached entries could be served to this lookup. */
  readonly served: boolean;
  /** Whether it must reach nCore itself: then it joins no other operation's call either. */
  readonly readThrough: boolean;
}

/** One operation's view of the cache: its tenant, limits and counts. Made by `UserCache.forOperation`. */
export class OperationCache {
  /** Reads answered without an nCore call of this operation's own: from the cache, or by another's call in flight. */
  hits = 0;
  #readThrough: boolean;

  constructor(
    private readonly cache: UserCache,
    private readonly tenant: Tenant,
    private readonly options: OperationOptions,
  ) {
    this.#readThrough = options.readThrough;
  }

  /** From now on this operation asks nCore for everything (and refreshes the cache): a mutation's checks and answer. */
  readThrough(): void {
    this.#readThrough = true;
  }

  users(ids: readonly string[]): Promise<Lookup<WireUser | null>> {
    return this.#lookup('user', 'u', ids.map(userKey));
  }

  pages(requests: readonly PageRequest[]): Promise<Lookup<WirePage<WireUser>>> {
    return this.#lookup(
      'page',
      'c',
      requests.map(({ parentId, limit, after }) => pageKey(parentId, limit, after)),
    );
  }

  /** Forgets what a write of this operation may have changed, everywhere, before its answer is sent. */
  written({ userId, parents }: Written): Promise<void> {
    return this.cache.invalidate(
      {
        tenant: this.tenant,
        users: userId === undefined ? [] : [canonicalUserId(userId)],
        parents: parents === 'all' ? [] : parents.filter((id): id is string => !!id).map(canonicalUserId),
        allPages: parents === 'all',
      },
      'write',
    );
  }

  async #lookup<V>(kind: ReadKind, item: ItemKey['kind'], keys: readonly ItemKey[]): Promise<Lookup<V>> {
    const { local, channel, metrics } = this.cache.parts;
    const held = new Array<V | undefined>(keys.length);
    const served = !this.#readThrough && this.cache.proven(this.tenant);
    // Whatever other instances sent that arrived with this request is applied before anything held is served.
    if (channel.settle) await channel.settle();
    if (!channel.coherent) {
      // It may have missed an invalidation: nothing held, joined or stored until the channel is back.
      const load = (_: number, call: () => Promise<V>) => {
        metrics.read(kind, 'bypass');
        return call();
      };
      return { held, load };
    }
    const seq = local.seq;
    const since = local.now();
    const session = channel.session;
    const missing: number[] = [];
    for (const [i, key] of keys.entries()) {
      if (served) held[i] = local.get(this.tenant, key) as V | undefined;
      if (held[i] === undefined) missing.push(i);
    }
    // Asked even when nothing may be served: what it reads is stored by when this read began on Redis's clock.
    const asked = served ? missing : [];
    // Everything held here: no call will load, so Redis has nothing to add (a round trip saved per level).
    const shared =
      missing.length === 0
        ? undefined
        : await channel.shared?.read(
            this.tenant,
            item,
            asked.map((i) => keys[i]!),
          );
    if (shared) {
      for (const [j, i] of asked.entries()) {
        const text = shared.values[j];
        const value = text === undefined ? undefined : parse<V>(text);
        if (value === undefined) continue;
        held[i] = value;
        local.set(this.tenant, keys[i]!, value, text!.length, seq, since);
      }
    }
    const hits = keys.length - held.filter((value) => value === undefined).length;
    this.hits += hits;
    metrics.read(kind, 'hit', hits);
    const began: Began = { seq, since, session, shared, served, readThrough: this.#readThrough };
    return { held, load: (i, call) => this.#load(kind, keys[i]!, call, began) };
  }

  async #load<V>(kind: ReadKind, key: ItemKey, call: () => Promise<V>, began: Began): Promise<V> {
    const { local, channel, metrics } = this.cache.parts;
    const { tenant, options } = this;
    const { value, shared } = await this.cache.inflight.run(localName(tenant, key), options.owner, {
      // A read that must reach nCore itself never takes another's answer (though others may take its own).
      join: !began.readThrough,
      joinable: (seq) => channel.coherent && local.valid(tenant, key, seq),
      seq: began.seq,
      start: async () => {
        const value = await call();
        if (value !== null && channel.coherent && channel.session === began.session) {
          const json = JSON.stringify(value);
          local.set(tenant, key, value, json.length, began.seq, began.since);
          if (began.shared) channel.shared?.fill(tenant, key, began.shared, json);
        }
        return value;
      },
      ownFailure: options.ownFailure,
      timeout: options.timeout,
    });
    this.cache.prove(tenant);
    if (shared) this.hits += 1;
    metrics.read(kind, shared ? 'shared' : began.served ? 'miss' : 'bypass');
    return value;
  }
}

function parse<V>(text: string): V | undefined {
  try {
    return JSON.parse(text) as V;
  } catch {
    return undefined;
  }
}
