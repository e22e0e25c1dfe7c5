/* eslint-disable */
import * as types from './graphql.ts';



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
    "\n  query FamilyTree($id: ID!) {\n    user(id: $id) {\n      ...PersonFields\n      ancestors { ...PersonFields }\n      children(first: 5) {\n        pageInfo { hasNextPage }\n        nodes {\n          ...PersonFields\n          children(first: 4) {\n            pageInfo { hasNextPage }\n            nodes {\n              ...PersonFields\n              children(first: 2) {\n                pageInfo { hasNextPage }\n                nodes { ...PersonFields }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n\n  fragment PersonFields on User {\n    id\n    firstName\n    lastName\n    relationshipWithParent\n    status\n  }\n": typeof types.FamilyTreeDocument,
};
const documents: Documents = {
    "\n  query FamilyTree($id: ID!) {\n    user(id: $id) {\n      ...PersonFields\n      ancestors { ...PersonFields }\n      children(first: 5) {\n        pageInfo { hasNextPage }\n        nodes {\n          ...PersonFields\n          children(first: 4) {\n            pageInfo { hasNextPage }\n            nodes {\n              ...PersonFields\n              children(first: 2) {\n                pageInfo { hasNextPage }\n                nodes { ...PersonFields }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n\n  fragment PersonFields on User {\n    id\n    firstName\n    lastName\n    relationshipWithParent\n    status\n  }\n": types.FamilyTreeDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FamilyTree($id: ID!) {\n    user(id: $id) {\n      ...PersonFields\n      ancestors { ...PersonFields }\n      children(first: 5) {\n        pageInfo { hasNextPage }\n        nodes {\n          ...PersonFields\n          children(first: 4) {\n            pageInfo { hasNextPage }\n            nodes {\n              ...PersonFields\n              children(first: 2) {\n                pageInfo { hasNextPage }\n                nodes { ...PersonFields }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n\n  fragment PersonFields on User {\n    id\n    firstName\n    lastName\n    relationshipWithParent\n    status\n  }\n"): typeof import('./graphql.ts').FamilyTreeDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
