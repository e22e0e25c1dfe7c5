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
