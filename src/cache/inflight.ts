/** The operation a read is made for: its deadline and the signal that fires when it passes. */
export interface Owner {
  readonly signal?: AbortSignal;
  /** Epoch ms. */
  readonly deadline: number;
}

/** What `run` needs to know of one read. */
export interface Flight<V> {
  /** Whether an equal read in flight may answer this one (never for a read that must reach nCore itself). */
  readonly join: boolean;
  /** Whether a read in flight that began at `seq` is still valid for this one (nothing it read was invalidated since). */
  joinable(seq: number): boolean;
  /** The invalidation count as this read begins. */
  readonly seq: number;
  /** Makes the read: an nCore call under the owner's key, deadline and budget. */
  start(): Promise<V>;
  /** A failure that belongs to the operation that made the call (its call budget), not to what nCore answered. */
  ownFailure(error: unknown): boolean;
  /** What the owner's passing deadline rejects with, as its own call would. */
  timeout(): Error;
}

interface Call<V> {
  readonly promise: Promise<V>;
  readonly owner: Owner;
  readonly seq: number;
}

/**
 * Equal reads in flight at once, across the operations of this process, become one nCore call. The call is made
 * by the first operation, under its key, deadline and budget; the others wait for it within their own deadline.
 * If it fails for its maker's own reasons (its deadline passed, its budget ran out) each waiting operation makes
 * the call itself, so no operation's limit ever decides another's read; what nCore answered is shared as it is.
 */
export class InFlight {
  readonly #calls = new Map<string, Call<unknown>>();

  get size(): number {
    return this.#calls.size;
  }

  /** The value and whether it came from another operation's call. */
  async run<V>(name: string, owner: Owner, flight: Flight<V>): Promise<{ value: V; shared: boolean }> {
    const call = flight.join ? (this.#calls.get(name) as Call<V> | undefined) : undefined;
    if (call && call.owner !== owner && flight.joinable(call.seq)) {
      try {
        return { value: await within(call.promise, owner, flight.timeout), shared: true };
      } catch (error) {
        const theirs = call.owner.signal?.aborted === true || Date.now() >= call.owner.deadline;
        if (owner.signal?.aborted || !(theirs || flight.ownFailure(error))) throw error;
        // The maker's own limit ended its call: this operation asks nCore itself.
      }
    }
    return { value: await this.#start(name, owner, flight), shared: false };
  }

  #start<V>(name: string, owner: Owner, flight: Flight<V>): Promise<V> {
    const promise = flight.start();
    // The newest call replaces an older one: it is at least as fresh.
    const call: Call<V> = { promise, owner, seq: flight.seq };
    this.#calls.set(name, call);
    const done = () => {
      if (this.#calls.get(name) === call) this.#calls.delete(name);
    };
    promise.then(done, done);
    return promise;
  }
}

/** `promise`, or the owner's timeout error once its deadline passes, whichever comes first. */
function within<V>(promise: Promise<V>, { signal }: Owner, timeout: () => Error): Promise<V> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(timeout());
  return new Promise<V>((resolve, reject) => {
    const abort = () => reject(timeout());
    signal.addEventListener('abort', abort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error);
      },
    );
  });
}
