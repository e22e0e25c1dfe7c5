import { type ClientOptions, execute, type GatewayError, GatewayRequestError } from './client.ts';
import type { PersonFieldsFragment } from './gql/graphql.ts';
import { graphql } from './gql/index.ts';

// The user, every generation above it and three below, in one request. The gateway fetches each level in
// one concurrent round, so this costs nCore one call per person at most. The page sizes (5, 4, 2) keep the
// operation inside the gateway's static cost limit, which multiplies nested `first`s (worst case here:
// 5 + 20 + 40 people); `hasNextPage` says where a level has more than was fetched.
export const FamilyTreeQuery = graphql(`
  query FamilyTree($id: ID!) {
    user(id: $id) {
      ...PersonFields
      ancestors { ...PersonFields }
      children(first: 5) {
        pageInfo { hasNextPage }
        nodes {
          ...PersonFields
          children(first: 4) {
            pageInfo { hasNextPage }
            nodes {
              ...PersonFields
              children(first: 2) {
                pageInfo { hasNextPage }
                nodes { ...PersonFields }
              }
            }
          }
        }
      }
    }
  }

  fragment PersonFields on User {
    id
    firstName
    lastName
    relationshipWithParent
    status
  }
`);

/** One person of a family tree with the descendants fetched. */
export interface FamilyMember extends PersonFieldsFragment {
  /** The children fetched (none below the deepest level asked for); null when nCore could not return them. */
  children: FamilyMember[] | null;
  /** More children exist than were fetched. */
  moreChildren: boolean;
}

/** A user's family: the user with three generations of descendants, and its ancestors, nearest first. */
export interface FamilyTree {
  root: FamilyMember;
  /** Null when nCore could not return them. */
  ancestors: PersonFieldsFragment[] | null;
  /** Field errors the gateway reported alongside the data, e.g. a branch nCore could not return. */
  errors: GatewayError[];
}

/** Fetches a user's family tree; `null` when the gateway knows no such user, a GatewayRequestError when it fails. */
export async function fetchFamilyTree(options: ClientOptions, id: string): Promise<FamilyTree | null> {
  const { data, errors, status } = await execute(options, FamilyTreeQuery, { id });
  const user = data.user;
  // `user` is null both for an unknown id (no error) and for a refused or failed lookup (with its error).
  if (!user && errors.length) throw new GatewayRequestError(status, errors);
  if (!user) return null;
  // The query's levels are distinct generated types; they all hold PersonFields and, above the deepest,
  // a children page that is null (with an error) when nCore could not return it.
  type Level = PersonFieldsFragment & { children?: { nodes: Level[]; pageInfo: { hasNextPage: boolean } } | null };
  const toMember = ({ children, ...person }: Level): FamilyMember => ({
    ...person,
    children: children === null ? null : (children?.nodes ?? []).map(toMember),
    moreChildren: children?.pageInfo.hasNextPage ?? false,
  });
  const { ancestors, ...root } = user;
  return { root: toMember(root), ancestors, errors };
}

/** The tree as indented lines, one person each: `Omar Al Mansouri (SON)`. */
export function formatFamilyTree(tree: FamilyTree): string[] {
  const name = (p: PersonFieldsFragment) => [p.firstName, p.lastName].filter(Boolean).join(' ') || p.id;
  const lines =
    tree.ancestors === null
      ? ['ancestors: unavailable']
      : tree.ancestors.length
        ? [`ancestors: ${tree.ancestors.map(name).join(' <- ')}`]
        : [];
  const walk = (member: FamilyMember, depth: number): void => {
    const relation = member.relationshipWithParent && depth > 0 ? ` (${member.relationshipWithParent})` : '';
    lines.push(`${'  '.repeat(depth)}${name(member)}${relation}`);
    const indent = '  '.repeat(depth + 1);
    if (member.children === null) lines.push(`${indent}(children unavailable)`);
    for (const child of member.children ?? []) walk(child, depth + 1);
    if (member.moreChildren) lines.push(`${indent}…`);
  };
  walk(tree.root, 0);
  return lines;
}
