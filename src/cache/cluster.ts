import type { Cluster } from 'node:cluster';
import { afterThisTurn, type Channel, type ChannelHandlers } from './channel.ts';
import type { Invalidation } from './keys.ts';

/** A relay the primary has not acknowledged within this counts as lost. */
const ACK_TIMEOUT_MS = 1_000;

type Message =
  | { t: 'gw:cache:invalidate'; id: number; invalidation: Invalidation }
  | { t: 'gw:cache:peer'; invalidation: Invalidation }
  | { t: 'gw:cache:ack'; id: number };

const isMessage = (m: unknown): m is Message =>
  typeof m === 'object' &&
  m !== null &&
  typeof (m as { t?: unknown }).t === 'string' &&
  (m as Message).t.startsWith('gw:cache:');

/**
 * The primary's side, for WORKERS > 1 without Redis: each worker keeps its own entries, and the primary relays
 * every invalidation to every other worker before it acknowledges the sender. The sender answers its client only
 * after the acknowledgement, so by then every other worker's pipe holds the invalidation, ahead of any connection
 * the primary hands it later. Sends carry a callback: a worker that just died must not end the primary.
 */
export function relayInvalidations(cluster: Cluster): void {
  const ignore = () => {};
  cluster.on('message', (worker, message: unknown) => {
    if (!isMessage(message) || message.t !== 'gw:cache:invalidate') return;
    const peer: Message = { t: 'gw:cache:peer', invalidation: message.invalidation };
    for (const w of Object.values(cluster.workers ?? {}))
      if (w && w !== worker && w.isConnected()) w.send(peer, ignore);
    if (worker.isConnected()) worker.send({ t: 'gw:cache:ack', id: message.id } satisfies Message, ignore);
  });
}

/**
 * A worker's side. Coherent while the primary is there to relay; an invalidation the primary does not acknowledge
 * (it is gone or stuck) ends that, for good: the worker then reads everything from nCore, as a worker whose
 * primary is gone soon stops anyway.
 */
export function clusterChannel(handlers: ChannelHandlers): Channel {
  const acks = new Map<number, () => void>();
  let next = 0;
  let broken = false;
  let session = 0;
  const onMessage = (message: unknown) => {
    if (!isMessage(message)) return;
    if (message.t === 'gw:cache:peer') handlers.peer(message.invalidation);
    else if (message.t === 'gw:cache:ack') acks.get(message.id)?.();
  };
  process.on('message', onMessage);
  const lose = () => {
    if (broken) return;
    broken = true;
    session += 1;
    handlers.flush('lost');
  };
  const relay = (invalidation: Invalidation) =>
    new Promise<void>((resolve, reject) => {
      if (!process.send || !process.connected) return reject(new Error('no cluster primary'));
      const id = next++;
      const timer = setTimeout(() => {
        acks.delete(id);
        reject(new Error('the cluster primary did not acknowledge'));
      }, ACK_TIMEOUT_MS);
      acks.set(id, () => {
        clearTimeout(timer);
        acks.delete(id);
        resolve();
      });
      process.send({ t: 'gw:cache:invalidate', id, invalidation } satisfies Message, undefined, {}, (error) => {
        if (!error) return;
        clearTimeout(timer);
        acks.delete(id);
        reject(error);
      });
    });
  return {
    get coherent() {
      return !broken && process.connected === true;
    },
    get session() {
      return session;
    },
    shared: undefined,
    settle: afterThisTurn,
    async broadcast(invalidation, heardEverywhere) {
      // Every worker hears a webhook from the cluster's event bus itself.
      if (heardEverywhere || broken) return;
      await relay(invalidation).catch(lose);
    },
    close() {
      process.off('message', onMessage);
    },
  };
}
