import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { UserEventRecord } from '../contract/types.ts';
import type { EventBus } from './bus.ts';

const CHANNEL = 'ncore-gateway:user-events';
const DEDUP_PREFIX = 'ncore-gateway:event-token:';
/** A Redis that does not answer within this fails the command, so a webhook gets a 503 rather than a hang. */
const COMMAND_TIMEOUT_MS = 1_000;

/**
 * Events and de-duplication through Redis, shared by every instance: PUBLISH on one channel (heard on a
 * connection of its own in subscriber mode) and `SET key NX PX ttl` per token. The publishing connection
 * fails fast (no offline queue), so an unavailable Redis shows as a 503 to nCore, which retries; the
 * subscribing one waits and re-subscribes by itself after Redis comes back. Every command's promise is
 * handled here: Yoga's Redis event target leaves its PUBLISH and SUBSCRIBE unawaited, and one rejection
 * while Redis is away would end the process.
 */
export function createRedisBus(url: string, dedupTtlMs: number, logger: Logger): EventBus {
  const publisher = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: COMMAND_TIMEOUT_MS,
  });
  const subscriber = new Redis(url, { maxRetriesPerRequest: null });
  // Without listeners ioredis prints every reconnection attempt; errors carry no credentials, only a code.
  let lastError = '';
  const onError = (role: string) => (error: Error & { code?: string }) => {
    const code = error.code ?? error.name;
    if (code !== lastError) logger.warn({ role, code }, 'redis connection problem');
    lastError = code;
  };
  publisher.on('error', onError('publish'));
  subscriber.on('error', onError('subscribe'));
  publisher.on('ready', () => (lastError = ''));
  publisher.connect().catch(() => {});
  const listeners = new Set<(event: UserEventRecord) => void>();
  subscriber.subscribe(CHANNEL).catch(() => {});
  subscriber.on('message', (channel: string, message: string) => {
    if (channel !== CHANNEL) return;
    let event: UserEventRecord;
    try {
      event = JSON.parse(message) as UserEventRecord;
    } catch {
      return logger.warn('unreadable message on the events channel; ignored');
    }
    for (const listener of listeners) listener(event);
  });
  const key = (token: string) => DEDUP_PREFIX + createHash('sha256').update(token).digest('base64url');

  return {
    dedup: {
      async claim(token) {
        return (await publisher.set(key(token), '1', 'PX', dedupTtlMs, 'NX')) === 'OK';
      },
      async release(token) {
        await publisher.del(key(token));
      },
    },
    async publish(event) {
      await publisher.publish(CHANNEL, JSON.stringify(event));
    },
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    health: {
      name: 'redis',
      check: () =>
        publisher.ping().then(
          (answer) => answer === 'PONG',
          () => false,
        ),
    },
    async close() {
      listeners.clear();
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
