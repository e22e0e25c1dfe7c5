import type { WireUser } from '../contract/types.ts';
import type { Loaders } from './loaders.ts';

/**
 * The ancestors of `user`, nearest first, through `userById` (so each costs at most one call per request).
 * It stops at the top, at a parent nCore does not have, or at an id it has already seen: a cycle that the
 * upstream let through can never make it loop.
 */
export async function ancestorsOf(user: WireUser, loaders: Loaders): Promise<WireUser[]> {
  const seen = new Set([user.id]);
  const ancestors: WireUser[] = [];
  let parentId = user.parent_user_id;
  // nCore leaves an unset parent out, but a null must not be taken for an id either.
  while (typeof parentId === 'string' && !seen.has(parentId)) {
    seen.add(parentId);
    const parent = await loaders.userById.load(parentId);
    if (!parent) break;
    ancestors.push(parent);
    parentId = parent.parent_user_id;
  }
  return ancestors;
}

/**
 * Whether making `parent` the parent of the user `id` would make that user its own ancestor: `parent` is the
 * user itself or one of its descendants. nCore may not check this, and a cycle would corrupt every hierarchy
 * read after it.
 */
export async function wouldBeOwnAncestor(id: string, parent: WireUser, loaders: Loaders): Promise<boolean> {
  if (parent.id === id) return true;
  return (await ancestorsOf(parent, loaders)).some((ancestor) => ancestor.id === id);
}
