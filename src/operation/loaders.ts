import DataLoader from 'dataloader';
import type { Lookup, OperationCache, Written } from '../cache/index.ts';
import type { WirePage, WireUser } from '../contract/types.ts';
import { canonicalUserId } from '../contract/validation.ts';
import type { NcoreClient } from '../ncore/client.ts';

/** One page of one user's children. `limit` is always explicit so that equal pages share a key. */
export interface ChildrenKey {
  parentId: string;
  limit: number;
  after?: string;
}

/**
 * Request-scoped loaders: never shared between callers. With the process's cache (cache/), a batch takes what it
 * holds for the operation's tenant first and sends only the rest to nCore; within the operation nothing changes.
 */
export interface Loaders {
  /** One user by id; null when nCore has none. The same id asked for any number of times costs one call. */
  readonly userById: DataLoader<string, WireUser | null, string>;
  /** One page of a user's direct children; each distinct (parent, page) costs one call. */
  readonly childrenByParent: DataLoader<ChildrenKey, WirePage<WireUser>, string>;
  /** Records users that arrived from any call, so the graph never asks for a user it already holds. */
  prime(users: readonly WireUser[]): void;
  /**
   * After a write: the written user's new state wins and child pages (which a re-parent changes) are forgotten
   * here; the cache forgets the user and the `parents`' children pages on every instance before this resolves.
   */
  afterWrite(user: WireUser, parents: Written['parents']): Promise<void>;
  /** After a write that failed: nCore may have applied it all the same, so the cache forgets what it may have changed. */
  forget(written: Written): Promise<void>;
  /** From now on this operation reads nCore itself and refreshes the cache (a mutation's checks and answer). */
  readThrough(): void;
  /** Reads answered without an nCore call of this operation's own: from the cache, or another's call in flight. */
  readonly cacheHits: number;
}

/** An id asked for in capitals is still the user already in hand. (Module-level: no closure per request.) */
const pageKey = ({ parentId, limit, after }: ChildrenKey): string => `${parentId}\u0000${limit}\u0000${after ?? ''}`;

/** Fresh loaders for one request, fanning out with at most `concurrency` calls at once per batch. */
export function createLoaders(client: NcoreClient, concurrency: number, cache?: OperationCache): Loaders {
  const getUser = (id: string) => client.getUser(id);
  const listChildren = ({ parentId, limit, after }: ChildrenKey) => client.listChildren(parentId, { limit, after });
  const primed = (page: WirePage<WireUser>) => {
    loaders.prime(page.data);
    return page;
  };
  const userById = new DataLoader<string, WireUser | null, string>(
    (ids) => {
      const canonical = ids.map(canonicalUserId);
      if (!cache) return mapSettled(canonical, concurrency, getUser);
      return throughCache(cache.users(canonical), canonical, concurrency, getUser);
    },
    { cacheKeyFn: canonicalUserId },
  );
  const loaders: Loaders = {
    userById,
    childrenByParent: new DataLoader<ChildrenKey, WirePage<WireUser>, string>(
      (keys) => {
        if (!cache) return mapSettled(keys, concurrency, async (key) => primed(await listChildren(key)));
        return throughCache(cache.pages(keys), keys, concurrency, listChildren, primed);
      },
      { cacheKeyFn: pageKey },
    ),
    prime(users) {
      for (const user of users) userById.prime(user.id, user);
    },
    afterWrite(user, parents) {
      userById.clear(user.id).prime(user.id, user);
      loaders.childrenByParent.clearAll();
      return cache ? cache.written({ userId: user.id, parents }) : Promise.resolve();
    },
    forget(written) {
      return cache ? cache.written(written) : Promise.resolve();
    },
    readThrough() {
      cache?.readThrough();
    },
    get cacheHits() {
      return cache?.hits ?? 0;
    },
  };
  return loaders;
}

/** Each key as the cache holds it, or from `call` through the cache (shared with other operations, then stored). */
async function throughCache<K, V>(
  lookup: Promise<Lookup<V>>,
  keys: readonly K[],
  concurrency: number,
  call: (key: K) => Promise<V>,
  then: (value: V) => V = (value) => value,
): Promise<(V | Error)[]> {
  const { held, load } = await lookup;
  return mapSettled(
    keys.map((_, index) => index),
    concurrency,
    async (index) => then(held[index] ?? (await load(index, () => call(keys[index] as K)))),
  );
}

/**
 * Maps `items` through `fn` with at most `limit` calls in flight, results in input order. Rejections are
 * returned as `Error` values in place, so one failure never costs the others (DataLoader's batch contract).
 */
export async function mapSettled<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<(R | Error)[]> {
  const results = new Array<R | Error>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        try {
          results[index] = await fn(items[index] as T);
        } catch (error) {
          results[index] = error instanceof Error ? error : new Error(String(error));
        }
      }
    }),
  );
  return results;
}
