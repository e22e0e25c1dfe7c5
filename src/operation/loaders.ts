import DataLoader from 'dataloader';
import type { WirePage, WireUser } from '../contract/types.ts';
import { canonicalUserId } from '../contract/validation.ts';
import type { NcoreClient } from '../ncore/client.ts';

/** One page of one user's children. `limit` is always explicit so that equal pages share a key. */
export interface ChildrenKey {
  parentId: string;
  limit: number;
  after?: string;
}

/** Request-scoped loaders: never shared between callers, so nothing cached crosses from one to another. */
export interface Loaders {
  /** One user by id; null when nCore has none. The same id asked for any number of times costs one call. */
  readonly userById: DataLoader<string, WireUser | null, string>;
  /** One page of a user's direct children; each distinct (parent, page) costs one call. */
  readonly childrenByParent: DataLoader<ChildrenKey, WirePage<WireUser>, string>;
  /** Records users that arrived from any call, so the graph never asks for a user it already holds. */
  prime(users: readonly WireUser[]): void;
  /** After a write: the written user's new state wins, and child pages (which a re-parent changes) are forgotten. */
  afterWrite(user: WireUser): void;
}

/** An id asked for in capitals is still the user already in hand. (Module-level: no closure per request.) */
const pageKey = ({ parentId, limit, after }: ChildrenKey): string => `${parentId}\u0000${limit}\u0000${after ?? ''}`;

/** Fresh loaders for one request, fanning out with at most `concurrency` calls at once per batch. */
export function createLoaders(client: NcoreClient, concurrency: number): Loaders {
  const userById = new DataLoader<string, WireUser | null, string>(
    (ids) => mapSettled(ids, concurrency, (id) => client.getUser(canonicalUserId(id))),
    { cacheKeyFn: canonicalUserId },
  );
  const loaders: Loaders = {
    userById,
    childrenByParent: new DataLoader<ChildrenKey, WirePage<WireUser>, string>(
      (keys) =>
        mapSettled(keys, concurrency, async ({ parentId, limit, after }) => {
          const page = await client.listChildren(parentId, { limit, after });
          loaders.prime(page.data);
          return page;
        }),
      { cacheKeyFn: pageKey },
    ),
    prime(users) {
      for (const user of users) userById.prime(user.id, user);
    },
    afterWrite(user) {
      userById.clear(user.id).prime(user.id, user);
      loaders.childrenByParent.clearAll();
    },
  };
  return loaders;
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
