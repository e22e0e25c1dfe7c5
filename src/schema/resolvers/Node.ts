import type { NodeResolvers } from '../generated.ts';

/** `User` is the graph's one kind of node, so every node `node`/`nodes` answer is a user. */
export const Node: NodeResolvers = {
  __resolveType: () => 'User',
};
