import type { Ending } from './delivery.ts';

/**
 * One subscription's queue of events: an async iterator that the transport pulls at the pace its socket
 * drains. At most `limit` events wait; one more and the queue is replaced by `overflow`'s Ending, the
 * stream accepts nothing further, and `onOverflow` runs (the hub disconnects a subscriber that never
 * reads even that). `return()` (the client left) and the end after the last queued value both run
 * `onClose` once.
 */
export class SubscriptionStream<T> implements AsyncIterableIterator<T | Ending> {
  #queue: (T | Ending)[] = [];
  #waiting: ((result: IteratorResult<T | Ending>) => void) | undefined;
  #ended = false;
  #closed = false;

  constructor(
    private readonly limit: number,
    private readonly overflow: () => Ending,
    private readonly onOverflow: () => void,
    private readonly onClose: () => void,
  ) {}

  /** Whether the stream still takes events. */
  get open(): boolean {
    return !this.#ended;
  }

  push(value: T): void {
    if (this.#ended) return;
    if (this.#waiting) {
      this.#hand({ value, done: false });
    } else if (this.#queue.length < this.limit) {
      this.#queue.push(value);
    } else {
      this.#overflowed();
    }
  }

  #overflowed(): void {
    this.#queue = [];
    this.end(this.overflow());
    this.onOverflow();
  }

  /** Takes nothing more; what is queued, then `last` if given, is still delivered before the end. */
  end(last?: Ending): void {
    if (this.#ended) return;
    this.#ended = true;
    if (last) this.#queue.push(last);
    if (this.#waiting) this.#hand(this.#queue.length ? { value: this.#queue.shift()!, done: false } : this.#finish());
  }

  next(): Promise<IteratorResult<T | Ending>> {
    if (this.#queue.length) return Promise.resolve({ value: this.#queue.shift()!, done: false });
    if (this.#ended || this.#closed) return Promise.resolve(this.#finish());
    return new Promise((resolve) => (this.#waiting = resolve));
  }

  return(): Promise<IteratorResult<T | Ending>> {
    this.#ended = true;
    this.#queue = [];
    const result = this.#finish();
    if (this.#waiting) this.#hand(result);
    return Promise.resolve(result);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #hand(result: IteratorResult<T | Ending>): void {
    const waiting = this.#waiting!;
    this.#waiting = undefined;
    waiting(result);
  }

  #finish(): IteratorResult<T | Ending> {
    if (!this.#closed) {
      this.#closed = true;
      this.onClose();
    }
    return { value: undefined, done: true };
  }
}
