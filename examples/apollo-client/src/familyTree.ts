import type { ApolloClient } from '@apollo/client';
import { filter, map, type Observable, takeWhile } from 'rxjs';
import type { FamilyEventsSubscription as FamilyEvents, PersonFieldsFragment } from './gql/graphql.ts';
import { graphql } from './gql/index.ts';

// The user, every generation above it and three below, in one request: the gateway fetches each level in one
// concurrent round, so this costs nCore one call per person at most.
export const FamilyTreeQuery = graphql(`
  query FamilyTree($id: ID!) {
    user(id: $id) {
      ...PersonFields
      ancestors { ...PersonFields }
      children(first: 10) {
        nodes {
          ...PersonFields
          children(first: 10) {
            nodes {
              ...PersonFields
              children(first: 10) { nodes { ...PersonFields } }
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

// The same family in parts: the user and its children first; each child's children, and theirs, follow in
// parts of their own (@defer) as nCore answers, so a screen can show the first generations at once.
export const FamilyTreeInPartsQuery = graphql(`
  query FamilyTreeInParts($id: ID!) {
    user(id: $id) {
      ...PersonFields
      children(first: 10) {
        nodes {
          ...PersonFields
          ... @defer(label: "grandchildren") {
            children(first: 10) {
              nodes {
                ...PersonFields
                ... @defer(label: "greatGrandchildren") {
                  children(first: 10) { nodes { ...PersonFields } }
                }
              }
            }
          }
        }
      }
    }
  }
`);

// Live events of everyone below a user. The event's `user` lands in Apollo's cache under its id, so a
// watched tree that holds that person shows its new status without being fetched again.
export const FamilyEventsSubscription = graphql(`
  subscription FamilyEvents($root: ID!) {
    userEvents(descendantsOf: $root) {
      id
      type
      userId
      previousStatus
      status
      user { ...PersonFields }
    }
  }
`);

/** One person of a family tree. */
export interface FamilyMember extends PersonFieldsFragment {
  /**
   * The children fetched; `undefined` below the deepest level asked for, or while a deferred part is still
   * on its way; `null` when nCore could not return them.
   */
  children?: FamilyMember[] | null;
}

// The query's levels are distinct generated types; they all hold PersonFields and, above the deepest, a
// children page (absent until its deferred part arrived, null when nCore failed it).
type Level = PersonFieldsFragment & { children?: { nodes: Level[] } | null };
const toMember = ({ children, ...person }: Level): FamilyMember =>
  children === undefined ? person : { ...person, children: children === null ? null : children.nodes.map(toMember) };

/** A user's family: the user with three generations of descendants, and its ancestors, nearest first. */
export interface FamilyTree {
  root: FamilyMember;
  ancestors: PersonFieldsFragment[] | null;
}

/**
 * Fetches a user's family tree; `null` when the gateway knows no such user. Rejects on any GraphQL error
 * (Apollo's default `errorPolicy: 'none'`), with the gateway's `extensions.code` in `error.errors`.
 */
export async function fetchFamilyTree(client: ApolloClient, id: string): Promise<FamilyTree | null> {
  const { data } = await client.query({ query: FamilyTreeQuery, variables: { id }, fetchPolicy: 'network-only' });
  if (!data?.user) return null;
  const { ancestors, ...root } = data.user;
  return { root: toMember(root), ancestors };
}

/**
 * The family tree as it arrives: first the user and its children, then again each time deferred parts have
 * been merged in, the last time complete (then the observable completes). `null` for an unknown user.
 */
export function watchFamilyTreeInParts(
  client: ApolloClient,
  id: string,
): Observable<{ tree: FamilyMember | null; complete: boolean }> {
  return client.watchQuery({ query: FamilyTreeInPartsQuery, variables: { id }, fetchPolicy: 'network-only' }).pipe(
    filter((result) => result.dataState === 'streaming' || result.dataState === 'complete'),
    map((result) => ({
      tree: result.data.user ? toMember(result.data.user) : null,
      complete: result.dataState === 'complete',
    })),
    takeWhile((part) => !part.complete, true),
  );
}

/** Events of everyone below `root`, as they happen; unsubscribe to stop. */
export function watchFamilyEvents(client: ApolloClient, root: string): Observable<FamilyEvents['userEvents']> {
  return client.subscribe({ query: FamilyEventsSubscription, variables: { root } }).pipe(
    map((result) => {
      if (result.error) throw result.error;
      return result.data!.userEvents;
    }),
  );
}

/** The tree as indented lines, one person each: `Omar Al Mansouri (SON) ACTIVE`. */
export function formatFamilyTree(tree: FamilyTree): string[] {
  const name = (p: PersonFieldsFragment) => [p.firstName, p.lastName].filter(Boolean).join(' ');
  const lines = tree.ancestors?.length ? [`ancestors: ${tree.ancestors.map(name).join(' <- ')}`] : [];
  const walk = (member: FamilyMember, depth: number): void => {
    const relation = member.relationshipWithParent && depth > 0 ? ` (${member.relationshipWithParent})` : '';
    lines.push(`${'  '.repeat(depth)}${name(member)}${relation}`);
    if (member.children === null) lines.push(`${'  '.repeat(depth + 1)}(children unavailable)`);
    for (const child of member.children ?? []) walk(child, depth + 1);
  };
  walk(tree.root, 0);
  return lines;
}
