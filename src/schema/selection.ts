import { type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';

/** Fields a reference already answers, without loading what it points to. */
const REFERENCE_FIELDS = new Set(['id', '__typename']);

/**
 * Whether the field being resolved selects nothing but `id` (and `__typename`), through fragments too.
 * Then a parent known by id needs no nCore call at all.
 */
export function selectsOnlyId(info: GraphQLResolveInfo): boolean {
  return info.fieldNodes.every((node) => node.selectionSet === undefined || onlyId(node.selectionSet, info, new Set()));
}

function onlyId(set: SelectionSetNode, info: GraphQLResolveInfo, visited: Set<string>): boolean {
  return set.selections.every((selection) => {
    switch (selection.kind) {
      case Kind.FIELD:
        return REFERENCE_FIELDS.has(selection.name.value);
      case Kind.INLINE_FRAGMENT:
        return onlyId(selection.selectionSet, info, visited);
      default: {
        const name = selection.name.value;
        if (visited.has(name)) return true;
        visited.add(name);
        const fragment = info.fragments[name];
        return fragment !== undefined && onlyId(fragment.selectionSet, info, visited);
      }
    }
  });
}
