import type { Readers } from './readers.ts';
import type { AuthMode, EventsConfig } from './types.ts';

/** Live user events: the webhook's credentials, the bus shared by instances, and the subscriptions' limits. */
export function eventsConfig({ text, int, bool, problems }: Readers, mode: AuthMode): EventsConfig {
  const username = text('NCORE_WEBHOOK_USERNAME');
  const password = text('NCORE_WEBHOOK_PASSWORD');
  if ((username === undefined) !== (password === undefined))
    problems.push('NCORE_WEBHOOK_USERNAME and NCORE_WEBHOOK_PASSWORD must be set together (or neither)');
  if (username?.includes(':'))
    problems.push('NCORE_WEBHOOK_USERNAME must not contain ":" (Basic Auth separates with it)');
  if (password !== undefined && !unguessable(password))
    problems.push(
      'NCORE_WEBHOOK_PASSWORD must be at least 16 characters mixing 3 of lower case, upper case, digits and symbols, or at least 32 characters (a generated one: openssl rand -base64 24), with at least 8 different characters',
    );
  const rawHops = text('WEBHOOK_PROXY_HOPS');
  const proxyHops = int('WEBHOOK_PROXY_HOPS', 0, 0, 10);
  if (rawHops !== undefined && username === undefined)
    problems.push('WEBHOOK_PROXY_HOPS applies only with NCORE_WEBHOOK_USERNAME and NCORE_WEBHOOK_PASSWORD');
  const redisUrl = text('REDIS_URL');
  // The value is not echoed: it may carry a password.
  if (redisUrl !== undefined && !/^rediss?:\/\/[^\s]+$/.test(redisUrl))
    problems.push('REDIS_URL must be a redis:// or rediss:// URL');
  const singleTenant = bool('FORWARD_SINGLE_TENANT', false);
  if (singleTenant && mode !== 'forward') problems.push('FORWARD_SINGLE_TENANT only applies with GATEWAY_AUTH=forward');
  return {
    webhook: username !== undefined && password !== undefined ? { username, password, proxyHops } : undefined,
    redisUrl,
    dedupTtlMs: int('WEBHOOK_DEDUP_TTL_MS', 86_400_000, 1_000, 30 * 86_400_000),
    maxPerConnection: int('MAX_SUBSCRIPTIONS_PER_CONNECTION', 20, 1, 1_000),
    maxSubscriptions: int('MAX_SUBSCRIPTIONS', 10_000, 1, 1_000_000),
    bufferSize: int('SUBSCRIPTION_BUFFER', 100, 1, 10_000),
    singleTenant,
  };
}

/**
 * A password a guesser cannot reach: 16+ characters from 3 of the 4 classes, or 32+ of any (a generated one), with
 * at least 8 different characters either way, so a short pattern repeated (`Aa1!Aa1!...`) is refused too.
 */
function unguessable(password: string): boolean {
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((c) => c.test(password)).length;
  const varied = new Set(password).size >= 8;
  return varied && (password.length >= 32 || (password.length >= 16 && classes >= 3));
}
