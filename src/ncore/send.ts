import type { Dispatcher } from 'undici';
import { badResponse } from './errors.ts';

/** Largest upstream body the gateway reads; a page of 100 users is a few hundred KB at most. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** What the gateway reads of an answer: its status, two headers and the whole body. */
export interface Reply {
  status: number;
  contentType: string;
  retryAfter: string | string[] | undefined;
  /** The body as text, whole; empty when it is not (see `cut`). */
  text: string;
  /**
   * Why the body is not whole, when it is not: the connection failed, timed out or was aborted after the headers
   * came, or the body ran over MAX_BODY_BYTES (a bad answer). The status stands either way: nCore did answer.
   */
  cut?: unknown;
}

/**
 * One exchange on `dispatcher`, its body gathered straight from undici's handler callbacks. undici's `request()`
 * pushes every body through a stream of its own, which for the gateway's small JSON answers was about a fifth of a
 * call's CPU. `signal` stops the exchange wherever it is: still queued for a socket, the promise rejects at once,
 * and the request is dropped before it is written. The promise rejects only while no answer has begun; after the
 * headers, a failure is the answer's `cut`.
 */
export function send(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  signal?: AbortSignal,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    dispatcher.dispatch(options, new Exchange(resolve, reject, signal));
  });
}

class Exchange implements Dispatcher.DispatchHandler {
  #controller: Dispatcher.DispatchController | undefined;
  /** A final status (not a 1xx) has come: from here on nCore has answered. */
  #answered = false;
  #status = 0;
  #contentType = '';
  #retryAfter: string | string[] | undefined;
  #chunks: Buffer[] = [];
  #size = 0;
  #settled = false;

  constructor(
    private readonly resolve: (answer: Reply) => void,
    private readonly reject: (error: unknown) => void,
    private readonly signal: AbortSignal | undefined,
  ) {
    signal?.addEventListener('abort', this, { once: true });
  }

  /** The signal's abort event. */
  handleEvent(): void {
    const reason = this.signal?.reason;
    this.#controller?.abort(reason);
    this.#fail(reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#settled) controller.abort(this.signal?.reason);
  }

  onResponseStart(_: Dispatcher.DispatchController, status: number, headers: Record<string, unknown>): void {
    this.#answered = status >= 200;
    this.#status = status;
    this.#contentType = String(headers['content-type'] ?? '');
    this.#retryAfter = headers['retry-after'] as string | string[] | undefined;
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#size += chunk.length;
    if (this.#size > MAX_BODY_BYTES) {
      this.#chunks = [];
      const tooLarge = badResponse('the body is too large');
      this.#fail(tooLarge);
      controller.abort(tooLarge);
      return;
    }
    this.#chunks.push(chunk);
  }

  onResponseEnd(): void {
    const chunks = this.#chunks;
    this.#answer(chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8'));
  }

  onResponseError(_: Dispatcher.DispatchController, error: Error): void {
    this.#fail(error);
  }

  #answer(text: string, cut?: unknown): void {
    if (this.#settle())
      this.resolve({ status: this.#status, contentType: this.#contentType, retryAfter: this.#retryAfter, text, cut });
  }

  /** Before nCore answered, the exchange failed; after, its answer was cut short. */
  #fail(error: unknown): void {
    if (this.#answered) this.#answer('', error);
    else if (this.#settle()) this.reject(error);
  }

  /** True the first time: an exchange settles once, however its callbacks and the signal race. */
  #settle(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    this.signal?.removeEventListener('abort', this);
    return true;
  }
}
