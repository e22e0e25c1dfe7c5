import { GraphQLError, getOperationAST, OperationTypeNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ErrorCode } from '../errors.ts';

/**
 * The answer to an operation that ran out of its nCore call budget (the budget itself is counted and
 * enforced by NcoreClient, call by call). When a query runs out of its nCore call budget, every field still waiting fails with the same error; the
 * answer becomes that one error instead of a half-filled tree with hundreds of copies. A mutation keeps its
 * data (the write happened and the caller must see it), with the copies folded into one.
 */
export function useOneOverBudgetError(): Plugin {
  return {
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          if (!('errors' in result) || !result.errors) return;
          const overBudget = result.errors.filter((e) => e.extensions?.['code'] === ErrorCode.QUERY_TOO_COMPLEX);
          if (overBudget.length === 0) return;
          const single = new GraphQLError(overBudget[0]!.message, { extensions: overBudget[0]!.extensions });
          const isQuery = getOperationAST(args.document, args.operationName)?.operation === OperationTypeNode.QUERY;
          if (isQuery) return setResult({ data: null, errors: [single] });
          setResult({ ...result, errors: [...result.errors.filter((e) => !overBudget.includes(e)), single] });
        },
      };
    },
  };
}
