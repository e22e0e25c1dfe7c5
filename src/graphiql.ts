import type { YogaServerOptions } from 'graphql-yoga';

/**
 * GraphiQL, served by the gateway itself so it works offline, or nothing when `enabled` is false. Its bundle
 * (scripts and styles) is 9 MB of source: it is loaded on the first page view, so a production gateway
 * with GraphiQL off never holds it.
 */
export function graphiqlOptions(
  enabled: boolean,
  exampleUserId: string | undefined,
): Pick<YogaServerOptions<object, object>, 'graphiql' | 'renderGraphiQL'> {
  if (!enabled) return { graphiql: false };
  return {
    graphiql: { title: 'nCore users', defaultQuery: exampleQuery(exampleUserId) },
    renderGraphiQL: async (options) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options),
  };
}

/**
 * The query GraphiQL opens on: a three-level tree, so a first look shows what the graph is for.
 * With a known user it starts there (and walks up too); otherwise from the newest users.
 */
export function exampleQuery(userId?: string): string {
  const tree = `firstName
    lastName
    userType
    children(first: 5) {
      nodes {
        id
        firstName
        relationshipWithParent
        children(first: 5) {
          nodes { id firstName relationshipWithParent }
        }
      }
    }`;
  if (userId) {
    return `# A user, its ancestors and two levels of descendants, in one request.
query Family {
  user(id: "${userId}") {
    id
    ${tree}
    ancestors { id firstName }
  }
}
`;
  }
  return `# The newest users with their parents and two levels of descendants, in one request.
query Families {
  users(first: 5) {
    nodes {
      id
      ${tree}
      parent { id firstName }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`;
}
