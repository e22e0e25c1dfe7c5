import { MAX_STRING_LENGTH as MAX_CRITERION } from '../../contract/validation.ts';
import { badUserInput } from '../../errors.ts';
import { checkedId } from '../../ncore/client.ts';
import { pageArgs } from '../connection.ts';
import type { QueryResolvers } from '../generated.ts';

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
};
