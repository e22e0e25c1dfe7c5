import { type ASTVisitor, GraphQLError, NoSchemaIntrospectionCustomRule, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Refuses `__schema` and `__type` (`__typename` stays), and a subgraph's `_service`, for every transport: one
 * validation rule each, so the answer is cached with the document's validation like any other and a request pays
 * nothing for it.
 */
export function useNoIntrospection(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
      addValidationRule(noServiceRule);
    },
  };
}

const REFUSED = 'GraphQL introspection has been disabled, but the requested query contained the field "_service".';

/**
 * `_service { sdl }` is the whole schema as text, so it is introspection too; worded as graphql-js words
 * `__schema`. Operators compose from `npm run subgraph:sdl` instead.
 */
function noServiceRule(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      if (node.name.value !== '_service' || context.getParentType() !== context.getSchema().getQueryType()) return;
      context.reportError(new GraphQLError(REFUSED, { nodes: node }));
    },
  };
}
