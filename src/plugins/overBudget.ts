import { type ExecutionResult, GraphQLError, getOperationAST, OperationTypeNode } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { ErrorCode } from '../errors.ts';

/** One part of an incremental answer (`@defer`, `@stream`): the first as any result, the later ones as increments. */
type Part = ExecutionResult & {
  hasNext?: boolean;
  incremental?: readonly { errors?: readonly GraphQLError[] }[];
};

const isOverBudget = (error: GraphQLError) => error.extensions?.['code'] === ErrorCode.QUERY_TOO_COMPLEX;

/** The one error that stands for all the copies. */
const single = ([first]: readonly GraphQLError[]) =>
  new GraphQLError(first!.message, { extensions: first!.extensions });

/**
 * The answer to an operation that ran out of its nCore call budget (the budget itself is counted and
 * enforced by NcoreClient, call by call). When a query runs out of its nCore call budget, every field still
 * waiting fails with the same error; the answer becomes that one error instead of a half-filled tree with hundreds
 * of copies. A mutation keeps its data (the write happened and the caller must see it), with the copies folded
 * into one.
 *
 * An incremental answer (`@defer`, `@stream`) shares the operation's client and so its budget: a later part that
 * runs out carries the one error (on its first increment that had one; the increments keep their data), and is
 * the last part (`hasNext: false`), since everything still pending would fail the same way. Its earlier parts are
 * sent already and stand. The first part running out is answered as a whole answer is, and ends the stream too.
 */
export function useOneOverBudgetError(): Plugin {
  return {
    onExecute({ args }) {
      const isQuery = () => getOperationAST(args.document, args.operationName)?.operation === OperationTypeNode.QUERY;
      return {
        onExecuteDone({ result, setResult }) {
          if (isAsyncIterable(result)) return setResult(endingAtBudget(result as AsyncIterable<Part>, isQuery));
          const folded = foldWhole(result, isQuery);
          if (folded) setResult(folded);
        },
      };
    },
  };
}

/** A whole answer (or an incremental answer's first part) with its copies folded; undefined when within budget. */
function foldWhole(result: Part, isQuery: () => boolean): Part | undefined {
  const overBudget = result.errors?.filter(isOverBudget) ?? [];
  if (overBudget.length === 0) return undefined;
  const end = result.hasNext === undefined ? {} : { hasNext: false };
  if (isQuery()) return { data: null, errors: [single(overBudget)], ...end };
  return { ...result, errors: [...result.errors!.filter((e) => !isOverBudget(e)), single(overBudget)], ...end };
}

/** A later part with its copies folded into one and no part after it; undefined when within budget. */
function foldIncrement(part: Part): Part | undefined {
  const overBudget = part.incremental?.flatMap((increment) => increment.errors?.filter(isOverBudget) ?? []) ?? [];
  if (overBudget.length === 0) return undefined;
  let placed = false;
  const incremental = part.incremental!.map((increment) => {
    if (!increment.errors?.some(isOverBudget)) return increment;
    const errors = increment.errors.filter((e) => !isOverBudget(e));
    if (!placed) {
      placed = true;
      errors.push(single(overBudget));
    }
    return { ...increment, errors: errors.length ? errors : undefined };
  });
  return { ...part, incremental, hasNext: false };
}

/**
 * The parts as they come until one runs out of budget: that one folded, then the end, and the rest of the
 * execution returned so nothing more of it is sent. Hand-written rather than an async generator, so a client
 * going away returns the execution at once, not after the part it is waiting for.
 */
function endingAtBudget(parts: AsyncIterable<Part>, isQuery: () => boolean): AsyncIterableIterator<Part> {
  const source = parts[Symbol.asyncIterator]();
  let first = true;
  let ended = false;
  const done = (): IteratorResult<Part> => ({ done: true, value: undefined });
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      if (ended) return done();
      const step = await source.next();
      if (step.done || ended) return step;
      const folded = first ? foldWhole(step.value, isQuery) : foldIncrement(step.value);
      first = false;
      if (!folded) return step;
      ended = true;
      await source.return?.();
      return { done: false, value: folded };
    },
    async return() {
      ended = true;
      await source.return?.();
      return done();
    },
  };
}
