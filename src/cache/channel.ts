import type { Invalidation, ItemKey, Tenant } from './keys.ts';

/** What a channel tells the process's cache. */
export interface ChannelHandlers {
  /** Another instance's invalidation. */
  peer(invalidation: Invalidation): void;
  /** Whatever this process holds may have missed an invalidation: forget it all. */
  flush(reason: FlushReason): void;
}

export type FlushReason = 'lost' | 'resumed' | 'epoch';

/**
 * How invalidations reach the other instances, and whether this process is sure to hear theirs. While it is not
 * (`coherent` false) nothing cached is served, joined or stored here: every read goes to nCore.
 */
export interface Channel {
  readonly coherent: boolean;
  /** Changes each time coherence is lost, so that a read begun before never stores what it found after. */
  readonly session: number;
  /** Entries every instance shares (Redis), when there are. */
  readonly shared: SharedTier | undefined;
  /**
   * Tells every other instance (and the shared entries). Resolves when done; never rejects: a failure costs this
   * process its coherence until the channel is back, and every instance's entries then.
   * `heardEverywhere`: every instance heard the change already (a webhook from the event bus).
   */
  broadcast(invalidation: Invalidation, heardEverywhere: boolean): Promise<void>;
  /**
   * Resolves once what this process has already received from the other instances is applied: before what it
   * holds is served, so that a request that arrives with an invalidation is answered after it.
   */
  settle?(): Promise<void>;
  close(): void;
}

/**
 * Waits for the rest of this turn of the event loop: every socket found readable with the request that is being
 * served (an invalidation from Redis, or from the cluster primary) has had its callback run by then. An
 * invalidation is on its way to every instance before the write that caused it is answered, so it cannot reach an
 * instance later than a request that follows that answer, but it may reach it in the same turn.
 */
export function afterThisTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** What one read of the shared entries found, and when (on the shared clock) it began. */
export interface SharedRead {
  readonly at: number;
  /** The generation of the shared entries it was read from; a fill for another generation is dropped. */
  readonly epoch: string;
  /** The JSON of each asked item, where a valid one is held. */
  readonly values: readonly (string | undefined)[];
}

export interface SharedTier {
  /** Undefined when the shared entries cannot be read now (nothing is then filled from this read either). */
  read(tenant: Tenant, kind: ItemKey['kind'], keys: readonly ItemKey[]): Promise<SharedRead | undefined>;
  /** Stores what a read that began at `read.at` found, unless an invalidation came after it began. */
  fill(tenant: Tenant, key: ItemKey, read: SharedRead, json: string): void;
}

/** One process on its own: nobody else to tell, nothing to miss. */
export function localChannel(): Channel {
  return { coherent: true, session: 0, shared: undefined, broadcast: async () => {}, close() {} };
}
