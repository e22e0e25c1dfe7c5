import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { UserEventRecord } from '../contract/types.ts';
import { commandConnection, subscriberConnection } from '../redis/connection.ts';
import type { EventBus } from './bus.ts';

const CHANNEL = 'ncore-gateway:user-events';
const DEDUP_PREFIX = 'ncore-gateway:event-token:';

/**
 * Events and de-duplication through Redis, shared by every instance: PUBLISH on one channel (heard on a
 * connection of its own in subscriber mode) and `SET key NX PX ttl` per token. The publishing connection
 * fails fast (no offline queue), so an unavailable Redis shows as a 503 to nCore, which retries; the
 * subscribing one waits and re-subscribes by itself after Redis comes back. Every command's promise is
 * handled here: Yoga's Redis event target leaves its PUBLISH and SUBSCRIBE unawaited, and one rejection
 * while Redis is away would end the process.
 */
export function createRedisBus(url: string, dedupTtlMs: number, logger: Logger): EventBus {
  const publisher = commandConnection(url, logger, 'events: publish');
  const subscriber = subscriberConnection(url, logger, 'events: subscribe');
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
