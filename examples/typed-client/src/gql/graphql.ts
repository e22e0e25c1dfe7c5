/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Where a user stands with nCore. */
export type UserStatus =
  | 'ACTIVE'
  | 'INACTIVE'
  | 'PENDINGIDVERIFICATION'
  | 'PENDINGKYC'
  | 'SUSPENDED'
  | 'TERMINATED';

export type FamilyTreeQueryVariables = Exact<{
  id: string | number;
}>;


export type FamilyTreeQuery = { user: { id: string, firstName: string, lastName: string | null, relationshipWithParent: string | null, status: UserStatus | null, ancestors: Array<{ id: string, firstName: string, lastName: string | null, relationshipWithParent: string | null, status: UserStatus | null }> | null, children: { pageInfo: { hasNextPage: boolean }, nodes: Array<{ id: string, firstName: string, lastName: string | null, relationshipWithParent: string | null, status: UserStatus | null, children: { pageInfo: { hasNextPage: boolean }, nodes: Array<{ id: string, firstName: string, lastName: string | null, relationshipWithParent: string | null, status: UserStatus | null, children: { pageInfo: { hasNextPage: boolean }, nodes: Array<{ id: string, firstName: string, lastName: string | null, relationshipWithParent: string | null, status: UserStatus | null }> } | null }> } | null }> } | null } | null };

export type PersonFieldsFragment = { id: string, firstName: string, lastName: string | null, relationshipWithParent: string | null, status: UserStatus | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const PersonFieldsFragmentDoc = new TypedDocumentString(`
    fragment PersonFields on User {
  id
  firstName
  lastName
  relationshipWithParent
  status
}
    `, {"fragmentName":"PersonFields"}) as unknown as TypedDocumentString<PersonFieldsFragment, unknown>;
export const FamilyTreeDocument = new TypedDocumentString(`
    query FamilyTree($id: ID!) {
  user(id: $id) {
    ...PersonFields
    ancestors {
      ...PersonFields
    }
    children(first: 5) {
      pageInfo {
        hasNextPage
      }
      nodes {
        ...PersonFields
        children(first: 4) {
          pageInfo {
            hasNextPage
          }
          nodes {
            ...PersonFields
            children(first: 2) {
              pageInfo {
                hasNextPage
              }
              nodes {
                ...PersonFields
              }
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
}`, {"hash":"sha256:5a8563aaab4ec09273ea75c7a2d96da656ca3da77f954b41e73c6e6a3030a336"}) as unknown as TypedDocumentString<FamilyTreeQuery, FamilyTreeQueryVariables>;