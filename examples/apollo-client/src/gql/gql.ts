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
    "\n  query FamilyTree($id: ID!) {\n    user(id: $id) {\n      ...PersonFields\n      ancestors { ...PersonFields }\n      children(first: 10) {\n        nodes {\n          ...PersonFields\n          children(first: 10) {\n            nodes {\n              ...PersonFields\n              children(first: 10) { nodes { ...PersonFields } }\n            }\n          }\n        }\n      }\n    }\n  }\n\n  fragment PersonFields on User {\n    id\n    firstName\n    lastName\n    relationshipWithParent\n    status\n  }\n": typeof types.FamilyTreeDocument,
    "\n  query FamilyTreeInParts($id: ID!) {\n    user(id: $id) {\n      ...PersonFields\n      children(first: 10) {\n        nodes {\n          ...PersonFields\n          ... @defer(label: \"grandchildren\") {\n            children(first: 10) {\n              nodes {\n                ...PersonFields\n                ... @defer(label: \"greatGrandchildren\") {\n                  children(first: 10) { nodes { ...PersonFields } }\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.FamilyTreeInPartsDocument,
    "\n  subscription FamilyEvents($root: ID!) {\n    userEvents(descendantsOf: $root) {\n      id\n      type\n      userId\n      previousStatus\n      status\n      user { ...PersonFields }\n    }\n  }\n": typeof types.FamilyEventsDocument,
};
const documents: Documents = {
    "\n  query FamilyTree($id: ID!) {\n    user(id: $id) {\n      ...PersonFields\n      ancestors { ...PersonFields }\n      children(first: 10) {\n        nodes {\n          ...PersonFields\n          children(first: 10) {\n            nodes {\n              ...PersonFields\n              children(first: 10) { nodes { ...PersonFields } }\n            }\n          }\n        }\n      }\n    }\n  }\n\n  fragment PersonFields on User {\n    id\n    firstName\n    lastName\n    relationshipWithParent\n    status\n  }\n": types.FamilyTreeDocument,
    "\n  query FamilyTreeInParts($id: ID!) {\n    user(id: $id) {\n      ...PersonFields\n      children(first: 10) {\n        nodes {\n          ...PersonFields\n          ... @defer(label: \"grandchildren\") {\n            children(first: 10) {\n              nodes {\n                ...PersonFields\n                ... @defer(label: \"greatGrandchildren\") {\n                  children(first: 10) { nodes { ...PersonFields } }\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": types.FamilyTreeInPartsDocument,
    "\n  subscription FamilyEvents($root: ID!) {\n    userEvents(descendantsOf: $root) {\n      id\n      type\n      userId\n      previousStatus\n      status\n      user { ...PersonFields }\n    }\n  }\n": types.FamilyEventsDocument,
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
export function graphql(source: "\n  query FamilyTree($id: ID!) {\n    user(id: $id) {\n      ...PersonFields\n      ancestors { ...PersonFields }\n      children(first: 10) {\n        nodes {\n          ...PersonFields\n          children(first: 10) {\n            nodes {\n              ...PersonFields\n              children(first: 10) { nodes { ...PersonFields } }\n            }\n          }\n        }\n      }\n    }\n  }\n\n  fragment PersonFields on User {\n    id\n    firstName\n    lastName\n    relationshipWithParent\n    status\n  }\n"): (typeof documents)["\n  query FamilyTree($id: ID!) {\n    user(id: $id) {\n      ...PersonFields\n      ancestors { ...PersonFields }\n      children(first: 10) {\n        nodes {\n          ...PersonFields\n          children(first: 10) {\n            nodes {\n              ...PersonFields\n              children(first: 10) { nodes { ...PersonFields } }\n            }\n          }\n        }\n      }\n    }\n  }\n\n  fragment PersonFields on User {\n    id\n    firstName\n    lastName\n    relationshipWithParent\n    status\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FamilyTreeInParts($id: ID!) {\n    user(id: $id) {\n      ...PersonFields\n      children(first: 10) {\n        nodes {\n          ...PersonFields\n          ... @defer(label: \"grandchildren\") {\n            children(first: 10) {\n              nodes {\n                ...PersonFields\n                ... @defer(label: \"greatGrandchildren\") {\n                  children(first: 10) { nodes { ...PersonFields } }\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query FamilyTreeInParts($id: ID!) {\n    user(id: $id) {\n      ...PersonFields\n      children(first: 10) {\n        nodes {\n          ...PersonFields\n          ... @defer(label: \"grandchildren\") {\n            children(first: 10) {\n              nodes {\n                ...PersonFields\n                ... @defer(label: \"greatGrandchildren\") {\n                  children(first: 10) { nodes { ...PersonFields } }\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription FamilyEvents($root: ID!) {\n    userEvents(descendantsOf: $root) {\n      id\n      type\n      userId\n      previousStatus\n      status\n      user { ...PersonFields }\n    }\n  }\n"): (typeof documents)["\n  subscription FamilyEvents($root: ID!) {\n    userEvents(descendantsOf: $root) {\n      id\n      type\n      userId\n      previousStatus\n      status\n      user { ...PersonFields }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;