import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.ts';
import { ErrorCode } from '../errors.ts';

/** Armor's cost model weights; the limit is generous for real trees and stops pathological shapes. */
const MAX_COST = 20_000;

/**
 * Static query limits (depth, aliases, tokens, cost, directives), checked before execution, so a rejected
 * operation costs no nCore call. Each rejection carries QUERY_TOO_COMPLEX and names its limit. Field
 * suggestions are hidden in production, where they would map the schema for a prober.
 */
export function useLimits(config: Config): Plugin {
  const tag = (limit: string, max: number) => [
    (_: unknown, error: GraphQLError) => {
      Object.assign(error.extensions as Record<string, unknown>, { code: ErrorCode.QUERY_TOO_COMPLEX, limit, max });
    },
  ];
  return EnvelopArmorPlugin({
    maxDepth: { n: config.limits.maxDepth, onReject: tag('maxDepth', config.limits.maxDepth), propagateOnRejection: true },
    maxAliases: { n: config.limits.maxAliases, onReject: tag('maxAliases', config.limits.maxAliases), propagateOnRejection: true },
    maxTokens: { n: config.limits.maxTokens, onReject: tag('maxTokens', config.limits.maxTokens), propagateOnRejection: true },
    maxDirectives: { n: 20, onReject: tag('maxDirectives', 20), propagateOnRejection: true },
    costLimit: { maxCost: MAX_COST, onReject: tag('maxCost', MAX_COST), propagateOnRejection: true },
    blockFieldSuggestion: { enabled: config.production },
  }) as Plugin;
}
