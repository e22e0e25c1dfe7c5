import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import {
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  GraphQLError,
  getOperationAST,
  getVariableValues,
  Kind,
  type ValidationRule,
  validate,
  visit,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayConfig } from '../config/index.ts';
import { ErrorCode } from '../errors.ts';
import { directiveLimitRule } from './directiveLimit.ts';

/** Most directives in one operation: `@include`/`@skip` on a few fields, never dozens. */
const MAX_DIRECTIVES = 20;

/**
 * Static query limits (depth, aliases, tokens, cost, directives), checked before execution, so a rejected
 * operation costs no nCore call. Each rejection carries QUERY_TOO_COMPLEX, names its limit, and is a
 * request error (400 for `application/graphql-response+json` clients, as GraphQL over HTTP requires). Field
 * suggestions are hidden in production, where they would map the schema for a prober.
 *
 * Armor's cost multiplies nested literal `first` values and grows by half at each level, so it measures the
 * worst case, which for a hierarchy is far above the real one: the default only stops absurd shapes, and the
 * call budget (NcoreClient, and plugins/overBudget.ts for the answer) bounds what an operation really costs nCore.
 *
 * Armor reads only literal page sizes, so `first: $n` would count as 1: an operation with a variable `first` or
 * `last` is costed again before it runs, by the same rule, with each such variable replaced by its value.
 *
 * Every alias counts, `__typename` too (armor exempts it by default, and 600 of them are 600 answers), and
 * directives are counted by a rule of the gateway's own (see directiveLimit.ts).
 *
 * Depth is the answer's nesting: fields count, the fragments around them do not (armor would count each as a
 * level), so a `... @defer` or a `...Fields` at every level of a tree neither hides depth nor adds to it. Deferred
 * and streamed selections are validated with the rest of the operation, before any call: they count toward every
 * limit, `@defer` and `@stream` themselves toward the directive limit (one each), and a deferred fragment's fields
 * toward the cost (as any inline fragment's: at a further level's weight, so never for less than inline).
 */
export function useLimits(config: GatewayConfig): Plugin {
  const tag = (limit: string, max: number) => [
    (_: unknown, error: GraphQLError) => {
      // Armor words every rejection as a "Syntax Error", which these are not.
      (error as { message: string }).message = error.message.replace(/^Syntax Error: /, '');
      Object.assign(error.extensions as Record<string, unknown>, {
        code: ErrorCode.QUERY_TOO_COMPLEX,
        limit,
        max,
        http: { status: 400, spec: true },
      });
    },
  ];
  const { maxDepth, maxAliases, maxTokens, maxCost } = config.limits;
  const costLimit = { maxCost, onReject: tag('maxCost', maxCost), propagateOnRejection: true };
  const armor = EnvelopArmorPlugin({
    maxDepth: {
      n: maxDepth,
      flattenFragments: true,
      onReject: tag('maxDepth', maxDepth),
      propagateOnRejection: true,
    },
    maxAliases: { n: maxAliases, allowList: [], onReject: tag('maxAliases', maxAliases), propagateOnRejection: true },
    maxTokens: { n: maxTokens, onReject: tag('maxTokens', maxTokens), propagateOnRejection: true },
    maxDirectives: { enabled: false },
    costLimit,
    blockFieldSuggestion: { enabled: config.production },
  }) as Plugin;
  const [tagDirectives] = tag('maxDirectives', MAX_DIRECTIVES);
  const directives = directiveLimitRule(MAX_DIRECTIVES, (error) => tagDirectives!(undefined, error));
  const costAtValues = variableCost(costLimitRule(costLimit));
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(armor);
      addPlugin({ onValidate: ({ addValidationRule }) => addValidationRule(directives) });
    },
    onExecute({ args, setResultAndStopExecution }) {
      const refused = costAtValues(args);
      if (refused) setResultAndStopExecution(refused);
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const refused = costAtValues(args);
      if (refused) setResultAndStopExecution(refused);
    },
  };
}

const PAGE_SIZES = new Set(['first', 'last']);

/**
 * Armor's cost rule run on the operation about to execute, its variable page sizes replaced by their coerced
 * values; the refusal as an error-only result, or undefined. Documents with no variable page size (known once
 * per document) are not looked at again: validation has costed them already.
 */
function variableCost(rule: ValidationRule) {
  const hasVariablePageSize = new WeakMap<DocumentNode, boolean>();
  return ({ schema, document, operationName, variableValues }: ExecutionArgs): ExecutionResult | undefined => {
    let known = hasVariablePageSize.get(document);
    if (known === undefined) {
      known = false;
      visit(document, {
        Argument(node) {
          if (PAGE_SIZES.has(node.name.value) && node.value.kind === Kind.VARIABLE) known = true;
        },
      });
      hasVariablePageSize.set(document, known);
    }
    if (!known) return undefined;
    const operation = getOperationAST(document, operationName);
    if (!operation) return undefined;
    const values = getVariableValues(schema, operation.variableDefinitions ?? [], variableValues ?? {});
    // Variables that do not coerce are refused by execution itself, naming them.
    if (!values.coerced) return undefined;
    const { coerced } = values;
    const atValues = visit(document, {
      // Only the operation that runs is costed; the others' variables are not these.
      OperationDefinition: (node) => (node === operation ? undefined : null),
      Argument(node) {
        if (!PAGE_SIZES.has(node.name.value) || node.value.kind !== Kind.VARIABLE) return undefined;
        const value = coerced[node.value.name.value];
        if (typeof value !== 'number' || !Number.isInteger(value)) return undefined;
        return { ...node, value: { kind: Kind.INT, value: String(value) } };
      },
    });
    try {
      const errors = validate(schema, atValues, [rule]);
      return errors.length ? { errors } : undefined;
    } catch (error) {
      // The rule throws its refusal (propagateOnRejection), already tagged by onReject.
      if (error instanceof GraphQLError) return { errors: [error] };
      throw error;
    }
  };
}
