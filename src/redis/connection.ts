import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** A Redis that does not answer within this fails the command: a feature falls back, it never waits. */
const COMMAND_TIMEOUT_MS = 1_000;

/**
 * A connection for commands, shared by the features that keep state across instances. It fails fast while Redis
 * is away (no offline queue, one retry, a 1 s command timeout) so that each feature falls back at once, and it
 * reconnects by itself. Problems are logged once per kind, by code only: a URL may carry a password.
 */
export function commandConnection(url: string, logger: Logger, role: string): Redis {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: COMMAND_TIMEOUT_MS,
  });
  logProblems(redis, logger, role);
  redis.connect().catch(() => {});
  return redis;
}

/** A connection in subscriber mode: it waits for Redis and subscribes again by itself after an outage. */
export function subscriberConnection(url: string, logger: Logger, role: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  logProblems(redis, logger, role);
  return redis;
}

/** Without listeners ioredis prints every reconnection attempt; one warning per new kind of problem instead. */
function logProblems(redis: Redis, logger: Logger, role: string): void {
  let last = '';
  redis.on('error', (error: Error & { code?: string }) => {
    const code = error.code ?? error.name;
    if (code !== last) logger.warn({ role, code }, 'redis connection problem');
    last = code;
  });
  redis.on('ready', () => {
    if (last) logger.info({ role }, 'redis connection back');
    last = '';
  });
}
