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
    graphiql: {
      title: 'nCore users',
      defaultQuery: exampleQuery(exampleUserId),
      // Tabs a first look needs: the graph, its live events, and a write that makes one happen.
      defaultTabs: [
        { query: exampleQuery(exampleUserId) },
        { query: subscriptionExample(exampleUserId) },
        ...(exampleUserId ? [{ query: createExample(exampleUserId) }] : []),
      ],
    },
    renderGraphiQL: async (options) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options),
  };
}

/**
 * The query GraphiQL opens on: a three-level tree, so a first look shows what the graph is for.
 * With a known user it starts there (and walks up too); otherwise from the newest users.
 */
function exampleQuery(userId?: string): string {
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

/** The live-events tab: started, it waits for events (over SSE) until stopped. */
function subscriptionExample(userId?: string): string {
  const filter = userId ? `(descendantsOf: "${userId}")` : '';
  return `# Live user events${userId ? ' below this user' : ''}: run it, then create a user (next tab) and watch it arrive.
subscription LiveEvents {
  userEvents${filter} {
    id
    type
    occurredAt
    previousStatus
    status
    user {
      id
      firstName
      parent { firstName }
    }
  }
}
`;
}

/** A write that produces an event the subscription tab shows. */
function createExample(parentId: string): string {
  return `# Creates a child user: the live-events tab shows it as USER_CREATED.
mutation NewChild {
  createUser(input: { firstName: "Sara", parentUserId: "${parentId}" }) {
    id
    firstName
  }
}
`;
}
