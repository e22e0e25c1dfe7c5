import type { Cluster } from 'node:cluster';
import type { UserEventRecord } from '../contract/types.ts';
import type { EventBus } from './bus.ts';
import { MemoryDeduplicator } from './dedup.ts';

/** A claim the primary has not answered within this is refused, so the webhook gets a 503 and is retried. */
const CLAIM_TIMEOUT_MS = 2_000;

type Message =
  | { t: 'gw:events:claim'; id: number; token: string }
  | { t: 'gw:events:release'; token: string }
  | { t: 'gw:events:claimed'; id: number; fresh: boolean }
  | { t: 'gw:events:publish'; event: UserEventRecord }
  | { t: 'gw:events:event'; event: UserEventRecord };

const isMessage = (m: unknown): m is Message =>
  typeof m === 'object' &&
  m !== null &&
  typeof (m as { t?: unknown }).t === 'string' &&
  (m as Message).t.startsWith('gw:events:');

/**
 * The primary's side of the cluster bus, for WORKERS > 1 without Redis: it holds the one token store and
 * relays every published event to every worker, the sender included. A worker started later hears events
 * from then on. Sends always carry a callback: a send to a worker that just died must not end the primary.
 */
export function relayEvents(cluster: Cluster, dedupTtlMs: number): void {
  const dedup = new MemoryDeduplicator(dedupTtlMs);
  cluster.on('message', (worker, message: unknown) => {
    if (!isMessage(message)) return;
    const ignore = () => {};
    if (message.t === 'gw:events:claim') {
      const answer: Message = { t: 'gw:events:claimed', id: message.id, fresh: dedup.claimNow(message.token) };
      if (worker.isConnected()) worker.send(answer, ignore);
    } else if (message.t === 'gw:events:release') {
      void dedup.release(message.token);
    } else if (message.t === 'gw:events:publish') {
      const relayed: Message = { t: 'gw:events:event', event: message.event };
      for (const w of Object.values(cluster.workers ?? {})) if (w?.isConnected()) w.send(relayed, ignore);
    }
  });
}

/** A worker's side of the cluster bus: claims and events go through the primary (see relayEvents). */
export function createClusterBus(): EventBus {
  const listeners = new Set<(event: UserEventRecord) => void>();
  const claims = new Map<number, (fresh: boolean) => void>();
  let next = 0;
  const send = (message: Message) =>
    new Promise<void>((resolve, reject) => {
      if (!process.send || !process.connected) return reject(new Error('no cluster primary'));
      process.send(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
    });
  const onMessage = (message: unknown) => {
    if (!isMessage(message)) return;
    if (message.t === 'gw:events:claimed') claims.get(message.id)?.(message.fresh);
    else if (message.t === 'gw:events:event') for (const listener of listeners) listener(message.event);
  };
  process.on('message', onMessage);

  return {
    dedup: {
      claim(token) {
        const id = next++;
        return new Promise<boolean>((resolve, reject) => {
          const timer = setTimeout(() => {
            claims.delete(id);
            reject(new Error('the cluster primary did not answer'));
          }, CLAIM_TIMEOUT_MS);
          claims.set(id, (fresh) => {
            clearTimeout(timer);
            claims.delete(id);
            resolve(fresh);
          });
          send({ t: 'gw:events:claim', id, token }).catch((error: unknown) => {
            clearTimeout(timer);
            claims.delete(id);
            reject(error);
          });
        });
      },
      release: (token) => send({ t: 'gw:events:release', token }).catch(() => {}),
    },
    publish: (event) => send({ t: 'gw:events:publish', event }),
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      process.off('message', onMessage);
    },
  };
}
