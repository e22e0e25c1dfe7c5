import {
  type ASTVisitor,
  type DirectiveNode,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

/**
 * A validation rule: at most `max` directives in one operation, counting every place a directive can stand,
 * fragment spreads included, and a fragment's own directives once per spread of it (each spread is run).
 * graphql-armor's rule forgets a spread's directives when the fragment was seen before, so a hundred spreads
 * of one fragment, each with its own `@skip`, count as none.
 */
export function directiveLimitRule(max: number, onReject: (error: GraphQLError) => void) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, number>();
    const inFragment = (fragment: FragmentDefinitionNode): number => {
      const name = fragment.name.value;
      const known = fragments.get(name);
      if (known !== undefined) return known;
      // A cycle is refused by graphql-js's own rule; counting it as nothing keeps this one finite.
      fragments.set(name, 0);
      const count = length(fragment.directives) + inSelections(fragment.selectionSet);
      fragments.set(name, count);
      return count;
    };
    const inSelections = (set: SelectionSetNode | undefined): number => {
      let count = 0;
      for (const selection of set?.selections ?? []) {
        count += length(selection.directives);
        if (selection.kind === Kind.FRAGMENT_SPREAD) {
          const fragment = context.getFragment(selection.name.value);
          if (fragment) count += inFragment(fragment);
        } else {
          count += inSelections(selection.selectionSet);
        }
      }
      return count;
    };
    return {
      OperationDefinition(operation) {
        const count =
          length(operation.directives) +
          (operation.variableDefinitions ?? []).reduce((sum, v) => sum + length(v.directives), 0) +
          inSelections(operation.selectionSet);
        if (count <= max) return;
        const error = new GraphQLError(`Directives limit of ${max} exceeded, found ${count}.`);
        onReject(error);
        // Thrown, not reported, as armor's limits are: validation stops here, before the other rules spend
        // time on a hostile document (a field repeating one directive 200 times would add 199 errors more).
        throw error;
      },
    };
  };
}

function length(directives: readonly DirectiveNode[] | undefined): number {
  return directives?.length ?? 0;
}
