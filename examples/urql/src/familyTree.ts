import type { Client, CombinedError } from '@urql/core';
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

// Live events of everyone below a user.
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
 * Fetches a user's family tree; `null` when the gateway knows no such user. Rejects with urql's
 * CombinedError (the gateway's `extensions.code` on each of its `graphQLErrors`) when any part failed.
 */
export async function fetchFamilyTree(client: Client, id: string): Promise<FamilyTree | null> {
  const { data, error } = await client.query(FamilyTreeQuery, { id }, { requestPolicy: 'network-only' }).toPromise();
  if (error) throw error;
  if (!data?.user) return null;
  const { ancestors, ...root } = data.user;
  return { root: toMember(root), ancestors };
}

/** One state of a tree arriving in parts. */
export interface TreePart {
  tree: FamilyMember | null;
  /** The last part: every deferred level is in. */
  complete: boolean;
}

/**
 * Calls `onPart` with the family tree as it arrives: first the user and its children, then again as
 * deferred parts are merged in, the last time with `complete: true`; `onError` on a failure.
 * Returns a function that stops it.
 */
export function watchFamilyTreeInParts(
  client: Client,
  id: string,
  onPart: (part: TreePart) => void,
  onError: (error: CombinedError) => void = () => {},
): () => void {
  const { unsubscribe } = client
    .query(FamilyTreeInPartsQuery, { id }, { requestPolicy: 'network-only' })
    .subscribe(({ data, error, hasNext }) => {
      if (error) onError(error);
      else if (data) onPart({ tree: data.user ? toMember(data.user) : null, complete: !hasNext });
    });
  return unsubscribe;
}

/** Calls `onEvent` for each event of everyone below `root` as it happens; returns a function that stops it. */
export function watchFamilyEvents(
  client: Client,
  root: string,
  onEvent: (event: FamilyEvents['userEvents']) => void,
  onError: (error: CombinedError) => void = () => {},
): () => void {
  const { unsubscribe } = client.subscription(FamilyEventsSubscription, { root }).subscribe(({ data, error }) => {
    if (error) onError(error);
    else if (data) onEvent(data.userEvents);
  });
  return unsubscribe;
}

/** The tree as indented lines, one person each: `Omar Al Mansouri (SON)`. */
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
