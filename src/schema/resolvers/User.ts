import type { WireUser } from '../../contract/types.ts';
import { ancestorsOf } from '../../operation/hierarchy.ts';
import { pageArgs } from '../connection.ts';
import type { UserResolvers } from '../generated.ts';
import { selectsOnlyId } from '../selection.ts';

/** Only the hierarchy; every plain field is read from the wire object (see wireFields.ts). */
export const User: UserResolvers = {
  parent: (user, _, { loaders }, info) => {
    const parentId = user.parent_user_id;
    if (!parentId) return null;
    // `parent { id }` is answered from the reference itself: no call.
    if (selectsOnlyId(info)) return { id: parentId } as WireUser;
    return loaders.userById.load(parentId);
  },
  children: (user, { first, after }, { loaders }) =>
    loaders.childrenByParent.load({ parentId: user.id, ...pageArgs(first, after) }),
  ancestors: (user, _, { loaders }) => ancestorsOf(user, loaders),
};
