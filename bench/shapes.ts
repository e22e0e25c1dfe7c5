/**
 * The upstream-call suite: query shapes over a seeded hierarchy, each with its floor, the fewest nCore calls
 * any gateway could make for it. nCore has no bulk read, so the floor is one call per distinct user not yet
 * in hand (a user is in hand once any earlier answer of the same operation carried it) plus one per distinct
 * list or children page; a write is one call. Floors are computed from the seed data alone.
 */
import type { WireUser } from '../src/contract/types.ts';
import type { Hierarchy } from './data.ts';

/** Runs one GraphQL operation; resolves with `data`, rejects when the answer has errors. */
export type Exec = (query: string, variables?: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** Reads the data source directly (for a search page, which only nCore's matching defines). */
export interface Source {
  search(name: string, limit: number): Promise<WireUser[]>;
}

export interface Shape {
  readonly name: string;
  /** Whether two correct executors give equal data (false where a write creates a fresh id). */
  readonly comparable: boolean;
  run(exec: Exec, data: Hierarchy): Promise<unknown>;
  floor(data: Hierarchy, source: Source): Promise<number>;
}

/** Users in `needed` (distinct) that are not already in `inHand`. */
function missing(needed: Iterable<string>, inHand: Iterable<string>): number {
  const have = new Set(inHand);
  return new Set([...needed].filter((id) => !have.has(id))).size;
}

const PAGE = 50;
const CHILD_PAGE = 20;
/** Pages nested three deep multiply in the gateway's cost limit (20^3 is refused), so the tree asks for 5 a level. */
const TREE_PAGE = 5;

export const SHAPES: readonly Shape[] = [
  {
    name: 'a page of users with their parents',
    comparable: true,
    run: (exec) => exec(`{ users(first: ${PAGE}) { nodes { id firstName parent { id firstName lastName } } } }`),
    // The list, then each distinct parent that the page itself did not carry.
    async floor(data) {
      const page = data.users.slice(0, PAGE);
      return (
        1 +
        missing(
          page.flatMap((u) => (u.parent_user_id ? [u.parent_user_id] : [])),
          page.map((u) => u.id),
        )
      );
    },
  },
  {
    name: 'a page of users with parent ids only',
    comparable: true,
    run: (exec) => exec(`{ users(first: ${PAGE}) { nodes { id parent { id } } } }`),
    // `parent { id }` is the reference the user already holds.
    floor: async () => 1,
  },
  {
    name: 'a tree four levels deep',
    comparable: true,
    run: (exec, data) =>
      exec(
        `query($id: ID!) { user(id: $id) { id firstName children(first: ${TREE_PAGE}) { nodes { id firstName
           children(first: ${TREE_PAGE}) { nodes { id firstName children(first: ${TREE_PAGE}) { nodes { id firstName lastName } } } } } } } }`,
        { id: data.find(0).id },
      ),
    // The root, then one children page for every node of the first three levels (the pages carry the nodes).
    async floor(data) {
      const root = data.find(0);
      const level1 = data.childrenPage(root.id, TREE_PAGE);
      const level2 = level1.flatMap((u) => data.childrenPage(u.id, TREE_PAGE));
      return 1 + 1 + level1.length + level2.length;
    },
  },
  {
    name: 'search results with their ancestors',
    comparable: true,
    run: (exec, data) =>
      exec(
        `query($name: String!) { searchUsers(filter: { name: $name }, first: 20) { nodes { id firstName ancestors { id firstName } } } }`,
        {
          name: searchName(data),
        },
      ),
    // The search, then every distinct ancestor of the results that is not itself a result.
    async floor(data, source) {
      const results = await source.search(searchName(data), 20);
      const ancestors = results.flatMap((u) => data.ancestors(u.id).map((a) => a.id));
      return (
        1 +
        missing(
          ancestors,
          results.map((u) => u.id),
        )
      );
    },
  },
  {
    name: 'the same user by three paths',
    comparable: true,
    run: (exec, data) => {
      const child = data.find(2);
      return exec(
        `query($child: ID!, $parent: ID!) {
           user(id: $child) { id parent { id firstName } ancestors { id firstName } }
           parent: user(id: $parent) { id firstName children(first: ${CHILD_PAGE}) { nodes { id parent { id firstName } } } }
         }`,
        { child: child.id, parent: child.parent_user_id! },
      );
    },
    // The parent is reached as a root field, as `parent` and as the first ancestor: one call. The child,
    // the grandparent, and the parent's children page (whose nodes' parent is the parent again).
    async floor(data) {
      const child = data.find(2);
      const needed = [child.id, ...data.ancestors(child.id).map((a) => a.id)];
      return missing(needed, []) + 1;
    },
  },
  {
    name: 'ten aliases of one user',
    comparable: true,
    run: (exec, data) =>
      exec(
        `query($id: ID!) { ${Array.from({ length: 10 }, (_, i) => `a${i}: user(id: $id) { id ${i % 2 ? 'firstName' : 'lastName'} }`).join(' ')} }`,
        { id: data.find(1).id },
      ),
    floor: async () => 1,
  },
  {
    name: 'create a user, then read its parent',
    comparable: false,
    run: (exec, data) =>
      exec(
        `mutation($parent: ID!) { createUser(input: { firstName: "Bench", lastName: "Child", parentUserId: $parent }, idempotencyKey: "bench-create") { id parent { id firstName children(first: 5) { pageInfo { hasNextPage } } } } }`,
        {
          parent: data.find(1).id,
        },
      ),
    // The write, the parent (the create's answer carries only its id) and the parent's children page.
    floor: async () => 3,
  },
  {
    name: 'paging through children, 1 per page',
    comparable: true,
    async run(exec, data) {
      const parent = data.find(1, 2);
      const pages: unknown[] = [];
      let after: string | null = null;
      do {
        const result = (await exec(
          `query($id: ID!, $after: String) { user(id: $id) { children(first: 1, after: $after) { nodes { id firstName } pageInfo { hasNextPage endCursor } } } }`,
          { id: parent.id, after },
        )) as { user: { children: { pageInfo: { hasNextPage: boolean; endCursor: string | null } } } };
        pages.push(result);
        const info = result.user.children.pageInfo;
        after = info.hasNextPage ? info.endCursor : null;
      } while (after !== null && pages.length < 50);
      return pages;
    },
    // One operation per page; each needs the user (nothing survives between operations) and its page.
    async floor(data) {
      return 2 * data.children(data.find(1, 2).id).length;
    },
  },
  {
    name: "children and each child's parent",
    comparable: true,
    run: (exec, data) =>
      exec(
        `query($id: ID!) { user(id: $id) { id children(first: ${CHILD_PAGE}) { nodes { id parent { id firstName lastName } } } } }`,
        {
          id: data.find(1).id,
        },
      ),
    // Every child's parent is the user already in hand.
    floor: async () => 2,
  },
  {
    name: "a leaf's ancestors with their children",
    comparable: true,
    run: (exec, data) =>
      exec(
        `query($id: ID!) { user(id: $id) { id parent { firstName } ancestors { id firstName children(first: ${CHILD_PAGE}) { nodes { id firstName } } } } }`,
        {
          id: deepestLeaf(data).id,
        },
      ),
    // The leaf, each ancestor (each id is learnt from the one below), and one children page per ancestor.
    async floor(data) {
      const leaf = deepestLeaf(data);
      const ancestors = data.ancestors(leaf.id);
      return 1 + ancestors.length + ancestors.length;
    },
  },
  {
    name: 'update a user, then read its ancestors and children',
    comparable: true,
    run: (exec, data) =>
      exec(
        `mutation($id: ID!) { updateUser(id: $id, input: { lastName: "Renamed" }) { id lastName ancestors { id firstName } children(first: ${CHILD_PAGE}) { nodes { id } } } }`,
        {
          id: data.find(2).id,
        },
      ),
    // The write (its answer is the user), each ancestor, and the children page.
    async floor(data) {
      return 1 + data.ancestors(data.find(2).id).length + 1;
    },
  },
];

/** A last name shared by users at several levels, so the results have ancestors in and out of the page. */
function searchName(data: Hierarchy): string {
  return data.find(3).last_name ?? data.find(3).first_name;
}

function deepestLeaf(data: Hierarchy): WireUser {
  let deepest = data.users[0]!;
  for (const user of data.users) if (data.level(user.id) > data.level(deepest.id)) deepest = user;
  return deepest;
}
