import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { GraphQLError } from 'graphql';
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
 * Every alias counts, `__typename` too (armor exempts it by default, and 600 of them are 600 answers), and
 * directives are counted by a rule of the gateway's own (see directiveLimit.ts).
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
  const armor = EnvelopArmorPlugin({
    maxDepth: { n: maxDepth, onReject: tag('maxDepth', maxDepth), propagateOnRejection: true },
    maxAliases: { n: maxAliases, allowList: [], onReject: tag('maxAliases', maxAliases), propagateOnRejection: true },
    maxTokens: { n: maxTokens, onReject: tag('maxTokens', maxTokens), propagateOnRejection: true },
    maxDirectives: { enabled: false },
    costLimit: { maxCost, onReject: tag('maxCost', maxCost), propagateOnRejection: true },
    blockFieldSuggestion: { enabled: config.production },
  }) as Plugin;
  const [tagDirectives] = tag('maxDirectives', MAX_DIRECTIVES);
  const directives = directiveLimitRule(MAX_DIRECTIVES, (error) => tagDirectives!(undefined, error));
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(armor);
      addPlugin({ onValidate: ({ addValidationRule }) => addValidationRule(directives) });
    },
  };
}
