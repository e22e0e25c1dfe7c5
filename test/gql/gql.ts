/* eslint-disable */
import * as types from './graphql.ts';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query LinkPost($id: ID!) { user(id: $id) { id lastName } }": typeof types.LinkPostDocument,
    "query LinkGet($id: ID!) { user(id: $id) { id email } }": typeof types.LinkGetDocument,
    "\n  query Newest {\n    users(first: 1) { nodes { id } }\n  }\n": typeof types.NewestDocument,
    "\n  query UsersWithParents($first: Int) {\n    users(first: $first) {\n      nodes { id parent { id firstName } }\n    }\n  }\n": typeof types.UsersWithParentsDocument,
    "\n  query UsersWithParentIds {\n    users(first: 50) {\n      nodes { id parentUserId parent { id __typename ...ParentRef } }\n    }\n  }\n  fragment ParentRef on User { id }\n": typeof types.UsersWithParentIdsDocument,
    "\n  query SameUserTenTimes($id: ID!) {\n    a: user(id: $id) { id }\n    b: user(id: $id) { firstName }\n    c: user(id: $id) { id firstName }\n    d: user(id: $id) { parentUserId }\n    e: user(id: $id) { id }\n    f: user(id: $id) { id }\n    g: user(id: $id) { id }\n    h: user(id: $id) { id }\n    i: user(id: $id) { id }\n    j: user(id: $id) { id }\n  }\n": typeof types.SameUserTenTimesDocument,
    "\n  query SameUserThreePaths($root: ID!, $child: ID!) {\n    user(id: $child) {\n      parent { id firstName }\n      ancestors { id }\n    }\n    root: user(id: $root) { id children { nodes { id parent { firstName } } } }\n  }\n": typeof types.SameUserThreePathsDocument,
    "\n  query Tree($id: ID!) {\n    user(id: $id) {\n      id\n      children { nodes { id children { nodes { id children { nodes { id } } } } } }\n      again: children { nodes { id } }\n    }\n  }\n": typeof types.TreeDocument,
    "\n  query BreakerPerson($id: ID!) {\n    user(id: $id) { id firstName }\n  }\n": typeof types.BreakerPersonDocument,
    "\n  query BudgetParents {\n    users(first: 20) { nodes { id parent { firstName } } }\n  }\n": typeof types.BudgetParentsDocument,
    "\n  mutation BudgetAdopt($id: ID!, $parent: ID!) {\n    updateUser(id: $id, input: { parentUserId: $parent }) {\n      id\n      firstName\n      ancestors { firstName }\n      parent { firstName children { nodes { id } } }\n    }\n  }\n": typeof types.BudgetAdoptDocument,
    "\n  query OneUser($id: ID!) {\n    user(id: $id) { id firstName }\n  }\n": typeof types.OneUserDocument,
    "\n  query Parents {\n    users(first: 50) { nodes { id firstName parent { id firstName } } }\n  }\n": typeof types.ParentsDocument,
    "\n  query Ancestry($id: ID!) {\n    user(id: $id) { id ancestors { id } parent { parent { parent { id } } } }\n  }\n": typeof types.AncestryDocument,
    "\n  mutation Create($input: CreateUserInput!) {\n    createUser(input: $input) { id firstName }\n  }\n": typeof types.CreateDocument,
    "\n  mutation Rename($id: ID!, $name: String!) {\n    updateUser(id: $id, input: { lastName: $name }) { id lastName }\n  }\n": typeof types.RenameDocument,
    "\n  query Families {\n    users(first: 10) { nodes { id firstName children { nodes { id } } ancestors { id } } }\n  }\n": typeof types.FamiliesDocument,
    "\n  mutation CreateUser($input: CreateUserInput!, $key: String) {\n    createUser(input: $input, idempotencyKey: $key) {\n      id\n      firstName\n      lastName\n      status\n      parentUserId\n      address { city country }\n      parent { id firstName children { nodes { id } } }\n    }\n  }\n": typeof types.CreateUserDocument,
    "\n  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) {\n      id\n      firstName\n      lastName\n      email\n      modified\n      parent { id firstName }\n      ancestors { id }\n    }\n  }\n": typeof types.UpdateUserDocument,
    "\n  mutation RenameThenAdopt($parent: ID!, $child: ID!) {\n    rename: updateUser(id: $parent, input: { firstName: \"Renamed\" }) { id }\n    adopt: updateUser(id: $child, input: { parentUserId: $parent }) { parent { firstName } }\n  }\n": typeof types.RenameThenAdoptDocument,
    "\n  query Children($id: ID!) {\n    user(id: $id) { children { nodes { id } } }\n  }\n": typeof types.ChildrenDocument,
    "\n  query OperationsLookup($id: ID!) {\n    user(id: $id) { id firstName }\n  }\n": typeof types.OperationsLookupDocument,
    "\n  query UserById($id: ID!) {\n    user(id: $id) {\n      id\n      firstName\n      lastName\n      dateOfBirth\n      email\n      mobile\n      userType\n      status\n      gender\n      created\n      modified\n      nationality\n      defaultUser\n      directorList\n      parentUserId\n      relationshipWithParent\n      monthlySalary\n      address { addressLine1 city postalCode country }\n    }\n  }\n": typeof types.UserByIdDocument,
    "\n  query UsersPage($first: Int, $after: String) {\n    users(first: $first, after: $after) {\n      nodes { id firstName }\n      edges { cursor node { id } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.UsersPageDocument,
    "\n  query SearchPage($filter: UserSearchFilter!, $first: Int, $after: String) {\n    searchUsers(filter: $filter, first: $first, after: $after) {\n      nodes { id firstName lastName }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.SearchPageDocument,
    "\n  query ChildrenPage($id: ID!, $first: Int, $after: String) {\n    user(id: $id) {\n      children(first: $first, after: $after) {\n        nodes { id firstName parentUserId }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": typeof types.ChildrenPageDocument,
    "\n  query FiveLevels($id: ID!) {\n    user(id: $id) {\n      id\n      children { nodes { id children { nodes { id children { nodes { id children { nodes { id children { nodes { id ancestors { id } } } } } } } } } } }\n    }\n  }\n": typeof types.FiveLevelsDocument,
    "\n  query Status($id: ID!) {\n    user(id: $id) { id firstName status userType }\n  }\n": typeof types.StatusDocument,
    "\n  mutation RedactionCreate($input: CreateUserInput!) {\n    createUser(input: $input) { id firstName email }\n  }\n": typeof types.RedactionCreateDocument,
    "\n  query RedactionLookup($id: ID!) {\n    user(id: $id) { id firstName lastName email mobile dateOfBirth parent { firstName } }\n  }\n": typeof types.RedactionLookupDocument,
    "\n  query NodeById($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on User { firstName lastName parent { firstName } }\n    }\n  }\n": typeof types.NodeByIdDocument,
    "\n  query NodesByIds($ids: [ID!]!) {\n    nodes(ids: $ids) { __typename id ... on User { firstName } }\n  }\n": typeof types.NodesByIdsDocument,
    "\n  query RelayPage { users(first: 5) { nodes { id } } }\n": typeof types.RelayPageDocument,
    "\n  query EveryWay($id: ID!) {\n    user(id: $id) { firstName }\n    node(id: $id) { id }\n    nodes(ids: [$id, $id]) { id ... on User { firstName } }\n  }\n": typeof types.EveryWayDocument,
    "\n  query Refetch($id: ID!) {\n    node(id: $id) { id ... on User { firstName } }\n  }\n": typeof types.RefetchDocument,
    "\n  query TrustedNewest {\n    users(first: 2) { nodes { id firstName } }\n  }\n": typeof types.TrustedNewestDocument,
    "\n  query AdaptiveWide($ids: [ID!]!) {\n    nodes(ids: $ids) { id }\n  }\n": typeof types.AdaptiveWideDocument,
    "\n  query GovernedWide($ids: [ID!]!) {\n    nodes(ids: $ids) { id }\n  }\n": typeof types.GovernedWideDocument,
    "\n  query GovernedSmall($id: ID!) {\n    user(id: $id) { id firstName }\n  }\n": typeof types.GovernedSmallDocument,
    "\n  query GovernedBoth($id: ID!, $ids: [ID!]!) {\n    user(id: $id) { id firstName }\n    nodes(ids: $ids) { id }\n  }\n": typeof types.GovernedBothDocument,
};
const documents: Documents = {
    "query LinkPost($id: ID!) { user(id: $id) { id lastName } }": types.LinkPostDocument,
    "query LinkGet($id: ID!) { user(id: $id) { id email } }": types.LinkGetDocument,
    "\n  query Newest {\n    users(first: 1) { nodes { id } }\n  }\n": types.NewestDocument,
    "\n  query UsersWithParents($first: Int) {\n    users(first: $first) {\n      nodes { id parent { id firstName } }\n    }\n  }\n": types.UsersWithParentsDocument,
    "\n  query UsersWithParentIds {\n    users(first: 50) {\n      nodes { id parentUserId parent { id __typename ...ParentRef } }\n    }\n  }\n  fragment ParentRef on User { id }\n": types.UsersWithParentIdsDocument,
    "\n  query SameUserTenTimes($id: ID!) {\n    a: user(id: $id) { id }\n    b: user(id: $id) { firstName }\n    c: user(id: $id) { id firstName }\n    d: user(id: $id) { parentUserId }\n    e: user(id: $id) { id }\n    f: user(id: $id) { id }\n    g: user(id: $id) { id }\n    h: user(id: $id) { id }\n    i: user(id: $id) { id }\n    j: user(id: $id) { id }\n  }\n": types.SameUserTenTimesDocument,
    "\n  query SameUserThreePaths($root: ID!, $child: ID!) {\n    user(id: $child) {\n      parent { id firstName }\n      ancestors { id }\n    }\n    root: user(id: $root) { id children { nodes { id parent { firstName } } } }\n  }\n": types.SameUserThreePathsDocument,
    "\n  query Tree($id: ID!) {\n    user(id: $id) {\n      id\n      children { nodes { id children { nodes { id children { nodes { id } } } } } }\n      again: children { nodes { id } }\n    }\n  }\n": types.TreeDocument,
    "\n  query BreakerPerson($id: ID!) {\n    user(id: $id) { id firstName }\n  }\n": types.BreakerPersonDocument,
    "\n  query BudgetParents {\n    users(first: 20) { nodes { id parent { firstName } } }\n  }\n": types.BudgetParentsDocument,
    "\n  mutation BudgetAdopt($id: ID!, $parent: ID!) {\n    updateUser(id: $id, input: { parentUserId: $parent }) {\n      id\n      firstName\n      ancestors { firstName }\n      parent { firstName children { nodes { id } } }\n    }\n  }\n": types.BudgetAdoptDocument,
    "\n  query OneUser($id: ID!) {\n    user(id: $id) { id firstName }\n  }\n": types.OneUserDocument,
    "\n  query Parents {\n    users(first: 50) { nodes { id firstName parent { id firstName } } }\n  }\n": types.ParentsDocument,
    "\n  query Ancestry($id: ID!) {\n    user(id: $id) { id ancestors { id } parent { parent { parent { id } } } }\n  }\n": types.AncestryDocument,
    "\n  mutation Create($input: CreateUserInput!) {\n    createUser(input: $input) { id firstName }\n  }\n": types.CreateDocument,
    "\n  mutation Rename($id: ID!, $name: String!) {\n    updateUser(id: $id, input: { lastName: $name }) { id lastName }\n  }\n": types.RenameDocument,
    "\n  query Families {\n    users(first: 10) { nodes { id firstName children { nodes { id } } ancestors { id } } }\n  }\n": types.FamiliesDocument,
    "\n  mutation CreateUser($input: CreateUserInput!, $key: String) {\n    createUser(input: $input, idempotencyKey: $key) {\n      id\n      firstName\n      lastName\n      status\n      parentUserId\n      address { city country }\n      parent { id firstName children { nodes { id } } }\n    }\n  }\n": types.CreateUserDocument,
    "\n  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) {\n      id\n      firstName\n      lastName\n      email\n      modified\n      parent { id firstName }\n      ancestors { id }\n    }\n  }\n": types.UpdateUserDocument,
    "\n  mutation RenameThenAdopt($parent: ID!, $child: ID!) {\n    rename: updateUser(id: $parent, input: { firstName: \"Renamed\" }) { id }\n    adopt: updateUser(id: $child, input: { parentUserId: $parent }) { parent { firstName } }\n  }\n": types.RenameThenAdoptDocument,
    "\n  query Children($id: ID!) {\n    user(id: $id) { children { nodes { id } } }\n  }\n": types.ChildrenDocument,
    "\n  query OperationsLookup($id: ID!) {\n    user(id: $id) { id firstName }\n  }\n": types.OperationsLookupDocument,
    "\n  query UserById($id: ID!) {\n    user(id: $id) {\n      id\n      firstName\n      lastName\n      dateOfBirth\n      email\n      mobile\n      userType\n      status\n      gender\n      created\n      modified\n      nationality\n      defaultUser\n      directorList\n      parentUserId\n      relationshipWithParent\n      monthlySalary\n      address { addressLine1 city postalCode country }\n    }\n  }\n": types.UserByIdDocument,
    "\n  query UsersPage($first: Int, $after: String) {\n    users(first: $first, after: $after) {\n      nodes { id firstName }\n      edges { cursor node { id } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.UsersPageDocument,
    "\n  query SearchPage($filter: UserSearchFilter!, $first: Int, $after: String) {\n    searchUsers(filter: $filter, first: $first, after: $after) {\n      nodes { id firstName lastName }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.SearchPageDocument,
    "\n  query ChildrenPage($id: ID!, $first: Int, $after: String) {\n    user(id: $id) {\n      children(first: $first, after: $after) {\n        nodes { id firstName parentUserId }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": types.ChildrenPageDocument,
    "\n  query FiveLevels($id: ID!) {\n    user(id: $id) {\n      id\n      children { nodes { id children { nodes { id children { nodes { id children { nodes { id children { nodes { id ancestors { id } } } } } } } } } } }\n    }\n  }\n": types.FiveLevelsDocument,
    "\n  query Status($id: ID!) {\n    user(id: $id) { id firstName status userType }\n  }\n": types.StatusDocument,
    "\n  mutation RedactionCreate($input: CreateUserInput!) {\n    createUser(input: $input) { id firstName email }\n  }\n": types.RedactionCreateDocument,
    "\n  query RedactionLookup($id: ID!) {\n    user(id: $id) { id firstName lastName email mobile dateOfBirth parent { firstName } }\n  }\n": types.RedactionLookupDocument,
    "\n  query NodeById($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on User { firstName lastName parent { firstName } }\n    }\n  }\n": types.NodeByIdDocument,
    "\n  query NodesByIds($ids: [ID!]!) {\n    nodes(ids: $ids) { __typename id ... on User { firstName } }\n  }\n": types.NodesByIdsDocument,
    "\n  query RelayPage { users(first: 5) { nodes { id } } }\n": types.RelayPageDocument,
    "\n  query EveryWay($id: ID!) {\n    user(id: $id) { firstName }\n    node(id: $id) { id }\n    nodes(ids: [$id, $id]) { id ... on User { firstName } }\n  }\n": types.EveryWayDocument,
    "\n  query Refetch($id: ID!) {\n    node(id: $id) { id ... on User { firstName } }\n  }\n": types.RefetchDocument,
    "\n  query TrustedNewest {\n    users(first: 2) { nodes { id firstName } }\n  }\n": types.TrustedNewestDocument,
    "\n  query AdaptiveWide($ids: [ID!]!) {\n    nodes(ids: $ids) { id }\n  }\n": types.AdaptiveWideDocument,
    "\n  query GovernedWide($ids: [ID!]!) {\n    nodes(ids: $ids) { id }\n  }\n": types.GovernedWideDocument,
    "\n  query GovernedSmall($id: ID!) {\n    user(id: $id) { id firstName }\n  }\n": types.GovernedSmallDocument,
    "\n  query GovernedBoth($id: ID!, $ids: [ID!]!) {\n    user(id: $id) { id firstName }\n    nodes(ids: $ids) { id }\n  }\n": types.GovernedBothDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query LinkPost($id: ID!) { user(id: $id) { id lastName } }"): (typeof documents)["query LinkPost($id: ID!) { user(id: $id) { id lastName } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query LinkGet($id: ID!) { user(id: $id) { id email } }"): (typeof documents)["query LinkGet($id: ID!) { user(id: $id) { id email } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Newest {\n    users(first: 1) { nodes { id } }\n  }\n"): (typeof documents)["\n  query Newest {\n    users(first: 1) { nodes { id } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UsersWithParents($first: Int) {\n    users(first: $first) {\n      nodes { id parent { id firstName } }\n    }\n  }\n"): (typeof documents)["\n  query UsersWithParents($first: Int) {\n    users(first: $first) {\n      nodes { id parent { id firstName } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UsersWithParentIds {\n    users(first: 50) {\n      nodes { id parentUserId parent { id __typename ...ParentRef } }\n    }\n  }\n  fragment ParentRef on User { id }\n"): (typeof documents)["\n  query UsersWithParentIds {\n    users(first: 50) {\n      nodes { id parentUserId parent { id __typename ...ParentRef } }\n    }\n  }\n  fragment ParentRef on User { id }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SameUserTenTimes($id: ID!) {\n    a: user(id: $id) { id }\n    b: user(id: $id) { firstName }\n    c: user(id: $id) { id firstName }\n    d: user(id: $id) { parentUserId }\n    e: user(id: $id) { id }\n    f: user(id: $id) { id }\n    g: user(id: $id) { id }\n    h: user(id: $id) { id }\n    i: user(id: $id) { id }\n    j: user(id: $id) { id }\n  }\n"): (typeof documents)["\n  query SameUserTenTimes($id: ID!) {\n    a: user(id: $id) { id }\n    b: user(id: $id) { firstName }\n    c: user(id: $id) { id firstName }\n    d: user(id: $id) { parentUserId }\n    e: user(id: $id) { id }\n    f: user(id: $id) { id }\n    g: user(id: $id) { id }\n    h: user(id: $id) { id }\n    i: user(id: $id) { id }\n    j: user(id: $id) { id }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SameUserThreePaths($root: ID!, $child: ID!) {\n    user(id: $child) {\n      parent { id firstName }\n      ancestors { id }\n    }\n    root: user(id: $root) { id children { nodes { id parent { firstName } } } }\n  }\n"): (typeof documents)["\n  query SameUserThreePaths($root: ID!, $child: ID!) {\n    user(id: $child) {\n      parent { id firstName }\n      ancestors { id }\n    }\n    root: user(id: $root) { id children { nodes { id parent { firstName } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Tree($id: ID!) {\n    user(id: $id) {\n      id\n      children { nodes { id children { nodes { id children { nodes { id } } } } } }\n      again: children { nodes { id } }\n    }\n  }\n"): (typeof documents)["\n  query Tree($id: ID!) {\n    user(id: $id) {\n      id\n      children { nodes { id children { nodes { id children { nodes { id } } } } } }\n      again: children { nodes { id } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BreakerPerson($id: ID!) {\n    user(id: $id) { id firstName }\n  }\n"): (typeof documents)["\n  query BreakerPerson($id: ID!) {\n    user(id: $id) { id firstName }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BudgetParents {\n    users(first: 20) { nodes { id parent { firstName } } }\n  }\n"): (typeof documents)["\n  query BudgetParents {\n    users(first: 20) { nodes { id parent { firstName } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BudgetAdopt($id: ID!, $parent: ID!) {\n    updateUser(id: $id, input: { parentUserId: $parent }) {\n      id\n      firstName\n      ancestors { firstName }\n      parent { firstName children { nodes { id } } }\n    }\n  }\n"): (typeof documents)["\n  mutation BudgetAdopt($id: ID!, $parent: ID!) {\n    updateUser(id: $id, input: { parentUserId: $parent }) {\n      id\n      firstName\n      ancestors { firstName }\n      parent { firstName children { nodes { id } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OneUser($id: ID!) {\n    user(id: $id) { id firstName }\n  }\n"): (typeof documents)["\n  query OneUser($id: ID!) {\n    user(id: $id) { id firstName }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Parents {\n    users(first: 50) { nodes { id firstName parent { id firstName } } }\n  }\n"): (typeof documents)["\n  query Parents {\n    users(first: 50) { nodes { id firstName parent { id firstName } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Ancestry($id: ID!) {\n    user(id: $id) { id ancestors { id } parent { parent { parent { id } } } }\n  }\n"): (typeof documents)["\n  query Ancestry($id: ID!) {\n    user(id: $id) { id ancestors { id } parent { parent { parent { id } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Create($input: CreateUserInput!) {\n    createUser(input: $input) { id firstName }\n  }\n"): (typeof documents)["\n  mutation Create($input: CreateUserInput!) {\n    createUser(input: $input) { id firstName }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Rename($id: ID!, $name: String!) {\n    updateUser(id: $id, input: { lastName: $name }) { id lastName }\n  }\n"): (typeof documents)["\n  mutation Rename($id: ID!, $name: String!) {\n    updateUser(id: $id, input: { lastName: $name }) { id lastName }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Families {\n    users(first: 10) { nodes { id firstName children { nodes { id } } ancestors { id } } }\n  }\n"): (typeof documents)["\n  query Families {\n    users(first: 10) { nodes { id firstName children { nodes { id } } ancestors { id } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateUser($input: CreateUserInput!, $key: String) {\n    createUser(input: $input, idempotencyKey: $key) {\n      id\n      firstName\n      lastName\n      status\n      parentUserId\n      address { city country }\n      parent { id firstName children { nodes { id } } }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateUser($input: CreateUserInput!, $key: String) {\n    createUser(input: $input, idempotencyKey: $key) {\n      id\n      firstName\n      lastName\n      status\n      parentUserId\n      address { city country }\n      parent { id firstName children { nodes { id } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) {\n      id\n      firstName\n      lastName\n      email\n      modified\n      parent { id firstName }\n      ancestors { id }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) {\n      id\n      firstName\n      lastName\n      email\n      modified\n      parent { id firstName }\n      ancestors { id }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RenameThenAdopt($parent: ID!, $child: ID!) {\n    rename: updateUser(id: $parent, input: { firstName: \"Renamed\" }) { id }\n    adopt: updateUser(id: $child, input: { parentUserId: $parent }) { parent { firstName } }\n  }\n"): (typeof documents)["\n  mutation RenameThenAdopt($parent: ID!, $child: ID!) {\n    rename: updateUser(id: $parent, input: { firstName: \"Renamed\" }) { id }\n    adopt: updateUser(id: $child, input: { parentUserId: $parent }) { parent { firstName } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Children($id: ID!) {\n    user(id: $id) { children { nodes { id } } }\n  }\n"): (typeof documents)["\n  query Children($id: ID!) {\n    user(id: $id) { children { nodes { id } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OperationsLookup($id: ID!) {\n    user(id: $id) { id firstName }\n  }\n"): (typeof documents)["\n  query OperationsLookup($id: ID!) {\n    user(id: $id) { id firstName }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UserById($id: ID!) {\n    user(id: $id) {\n      id\n      firstName\n      lastName\n      dateOfBirth\n      email\n      mobile\n      userType\n      status\n      gender\n      created\n      modified\n      nationality\n      defaultUser\n      directorList\n      parentUserId\n      relationshipWithParent\n      monthlySalary\n      address { addressLine1 city postalCode country }\n    }\n  }\n"): (typeof documents)["\n  query UserById($id: ID!) {\n    user(id: $id) {\n      id\n      firstName\n      lastName\n      dateOfBirth\n      email\n      mobile\n      userType\n      status\n      gender\n      created\n      modified\n      nationality\n      defaultUser\n      directorList\n      parentUserId\n      relationshipWithParent\n      monthlySalary\n      address { addressLine1 city postalCode country }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UsersPage($first: Int, $after: String) {\n    users(first: $first, after: $after) {\n      nodes { id firstName }\n      edges { cursor node { id } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query UsersPage($first: Int, $after: String) {\n    users(first: $first, after: $after) {\n      nodes { id firstName }\n      edges { cursor node { id } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SearchPage($filter: UserSearchFilter!, $first: Int, $after: String) {\n    searchUsers(filter: $filter, first: $first, after: $after) {\n      nodes { id firstName lastName }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query SearchPage($filter: UserSearchFilter!, $first: Int, $after: String) {\n    searchUsers(filter: $filter, first: $first, after: $after) {\n      nodes { id firstName lastName }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChildrenPage($id: ID!, $first: Int, $after: String) {\n    user(id: $id) {\n      children(first: $first, after: $after) {\n        nodes { id firstName parentUserId }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ChildrenPage($id: ID!, $first: Int, $after: String) {\n    user(id: $id) {\n      children(first: $first, after: $after) {\n        nodes { id firstName parentUserId }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FiveLevels($id: ID!) {\n    user(id: $id) {\n      id\n      children { nodes { id children { nodes { id children { nodes { id children { nodes { id children { nodes { id ancestors { id } } } } } } } } } } }\n    }\n  }\n"): (typeof documents)["\n  query FiveLevels($id: ID!) {\n    user(id: $id) {\n      id\n      children { nodes { id children { nodes { id children { nodes { id children { nodes { id children { nodes { id ancestors { id } } } } } } } } } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Status($id: ID!) {\n    user(id: $id) { id firstName status userType }\n  }\n"): (typeof documents)["\n  query Status($id: ID!) {\n    user(id: $id) { id firstName status userType }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RedactionCreate($input: CreateUserInput!) {\n    createUser(input: $input) { id firstName email }\n  }\n"): (typeof documents)["\n  mutation RedactionCreate($input: CreateUserInput!) {\n    createUser(input: $input) { id firstName email }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RedactionLookup($id: ID!) {\n    user(id: $id) { id firstName lastName email mobile dateOfBirth parent { firstName } }\n  }\n"): (typeof documents)["\n  query RedactionLookup($id: ID!) {\n    user(id: $id) { id firstName lastName email mobile dateOfBirth parent { firstName } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NodeById($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on User { firstName lastName parent { firstName } }\n    }\n  }\n"): (typeof documents)["\n  query NodeById($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on User { firstName lastName parent { firstName } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NodesByIds($ids: [ID!]!) {\n    nodes(ids: $ids) { __typename id ... on User { firstName } }\n  }\n"): (typeof documents)["\n  query NodesByIds($ids: [ID!]!) {\n    nodes(ids: $ids) { __typename id ... on User { firstName } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RelayPage { users(first: 5) { nodes { id } } }\n"): (typeof documents)["\n  query RelayPage { users(first: 5) { nodes { id } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EveryWay($id: ID!) {\n    user(id: $id) { firstName }\n    node(id: $id) { id }\n    nodes(ids: [$id, $id]) { id ... on User { firstName } }\n  }\n"): (typeof documents)["\n  query EveryWay($id: ID!) {\n    user(id: $id) { firstName }\n    node(id: $id) { id }\n    nodes(ids: [$id, $id]) { id ... on User { firstName } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Refetch($id: ID!) {\n    node(id: $id) { id ... on User { firstName } }\n  }\n"): (typeof documents)["\n  query Refetch($id: ID!) {\n    node(id: $id) { id ... on User { firstName } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TrustedNewest {\n    users(first: 2) { nodes { id firstName } }\n  }\n"): (typeof documents)["\n  query TrustedNewest {\n    users(first: 2) { nodes { id firstName } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdaptiveWide($ids: [ID!]!) {\n    nodes(ids: $ids) { id }\n  }\n"): (typeof documents)["\n  query AdaptiveWide($ids: [ID!]!) {\n    nodes(ids: $ids) { id }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GovernedWide($ids: [ID!]!) {\n    nodes(ids: $ids) { id }\n  }\n"): (typeof documents)["\n  query GovernedWide($ids: [ID!]!) {\n    nodes(ids: $ids) { id }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GovernedSmall($id: ID!) {\n    user(id: $id) { id firstName }\n  }\n"): (typeof documents)["\n  query GovernedSmall($id: ID!) {\n    user(id: $id) { id firstName }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GovernedBoth($id: ID!, $ids: [ID!]!) {\n    user(id: $id) { id firstName }\n    nodes(ids: $ids) { id }\n  }\n"): (typeof documents)["\n  query GovernedBoth($id: ID!, $ids: [ID!]!) {\n    user(id: $id) { id firstName }\n    nodes(ids: $ids) { id }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;