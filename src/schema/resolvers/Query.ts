import type { WireUser } from '../../contract/types.ts';
import { MAX_STRING_LENGTH as MAX_CRITERION } from '../../contract/validation.ts';
import { badUserInput } from '../../errors.ts';
import { checkedId, isUserId } from '../../ncore/client.ts';
import { MAX_PAGE_SIZE, pageArgs } from '../connection.ts';
import type { QueryResolvers } from '../generated.ts';

/** Most ids one `nodes` takes: nCore's largest page, so a `nodes` never costs more than a page of `getUser`s. */
const MAX_NODE_IDS = MAX_PAGE_SIZE;

export const Query: QueryResolvers = {
  user: (_, { id }, { loaders }) => {
    return loaders.userById.load(checkedId(id));
  },

  users: async (_, { first, after }, { ncore, loaders }) => {
    const page = await ncore.listUsers(pageArgs(first, after));
    loaders.prime(page.data);
    return page;
  },

  searchUsers: async (_, { filter, first, after }, { ncore, loaders }) => {
    const criteria = Object.fromEntries(
      Object.entries(filter).filter(([, v]) => typeof v === 'string' && v.trim() !== ''),
    );
    if (Object.keys(criteria).length === 0) {
      throw badUserInput('filter needs at least one of name, email and mobile.', [
        { field: 'filter', message: 'is empty' },
      ]);
    }
    const tooLong = Object.keys(criteria).filter((k) => (criteria[k] as string).length > MAX_CRITERION);
    if (tooLong.length) {
      throw badUserInput(
        'A search criterion is too long.',
        tooLong.map((k) => ({ field: `filter.${k}`, message: `must be at most ${MAX_CRITERION} characters` })),
      );
    }
    const page = await ncore.searchUsers(criteria, pageArgs(first, after));
    loaders.prime(page.data);
    return page;
  },

  // Node ids are opaque to clients, so an id that is not a user id is no node of this graph: null, as for a
  // user nCore does not have, rather than the BAD_USER_INPUT `user` answers.
  node: (_, { id }, { loaders }) => (isUserId(id) ? loaders.userById.load(id) : null),

  nodes: (_, { ids }, { loaders }) => {
    // Checked here, not in validation, so inline lists and variables are bounded alike.
    if (ids.length > MAX_NODE_IDS) {
      throw badUserInput(`nodes takes at most ${MAX_NODE_IDS} ids, got ${ids.length}.`, [
        { field: 'ids', message: `must hold at most ${MAX_NODE_IDS} ids` },
      ]);
    }
    // All loaded in the same tick: one batch, one call per distinct id not in hand, all at once. Each item is
    // its own promise, so a call nCore fails costs its own items only (null, with an error at its index);
    // codegen's item type has no room for a promise of null, which graphql-js takes as it takes null.
    return ids.map((id) => (isUserId(id) ? (loaders.userById.load(id) as Promise<WireUser>) : null));
  },
};
