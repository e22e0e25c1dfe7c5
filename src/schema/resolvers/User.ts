import type { WireUser } from '../../contract/types.ts';
import { loadersFor } from '../../events/delivery.ts';
import { ancestorsOf } from '../../hierarchy.ts';
import { pageArgs } from '../connection.ts';
import type { UserResolvers } from '../generated.ts';
import { selectsOnlyId } from '../selection.ts';

/**
 * Only the hierarchy; every plain field is read from the wire object (see wireFields.ts). Reads go through
 * the operation's loaders, or a subscription event's own (`loadersFor`).
 */
export const User: UserResolvers = {
  parent: (user, _, context, info) => {
    const parentId = user.parent_user_id;
    if (!parentId) return null;
    // `parent { id }` is answered from the reference itself: no call.
    if (selectsOnlyId(info)) return { id: parentId } as WireUser;
    return loadersFor(context, info).userById.load(parentId);
  },
  children: (user, { first, after }, context, info) =>
    loadersFor(context, info).childrenByParent.load({ parentId: user.id, ...pageArgs(first, after) }),
  ancestors: (user, _, context, info) => ancestorsOf(user, loadersFor(context, info)),
};
