import type { UserConnectionResolvers } from '../generated.ts';

/** nCore's `{data, has_more, after}` envelope as a Relay-style connection; the cursor is passed through opaque. */
export const UserConnection: UserConnectionResolvers = {
  nodes: (page) => page.data,
  edges: (page) =>
    page.data.map((node, i) => ({ node, cursor: i === page.data.length - 1 ? (page.after ?? null) : null })),
  pageInfo: (page) => ({ hasNextPage: page.has_more, endCursor: page.after ?? null }),
};
