import type { WirePage, WireUser } from '../contract/types.ts';
import { badUserInput } from '../errors.ts';
import type { PageArgs } from '../ncore/client.ts';

/** A page of users as resolvers pass it around: nCore's own list envelope. */
export type UserPage = WirePage<WireUser>;

/** A `UserEdge` before resolution. */
export interface Edge {
  node: WireUser;
  cursor: string | null;
}

/** nCore's default and largest page sizes. */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** GraphQL paging arguments as nCore paging, refused before any call when out of range. */
export function pageArgs(
  first: number | null | undefined,
  after: string | null | undefined,
): Required<Pick<PageArgs, 'limit'>> & PageArgs {
  const limit = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw badUserInput(`first must be from 1 to ${MAX_PAGE_SIZE}.`, [
      { field: 'first', message: `must be from 1 to ${MAX_PAGE_SIZE}` },
    ]);
  }
  if (after === null || after === undefined) return { limit };
  if (after === '' || after.length > 512) {
    throw badUserInput('after must be a cursor from pageInfo.endCursor.', [
      { field: 'after', message: 'is not a cursor' },
    ]);
  }
  return { limit, after };
}
