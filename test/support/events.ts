import { randomUUID } from 'node:crypto';
import { type Client, createClient } from 'graphql-ws';
import { WebSocket } from 'ws';

/** The webhook credentials the event tests configure. */
export const WEBHOOK = { username: 'ncore', password: 'A-webhook-password-for-tests' };
/** Gateway settings that turn the receiver (and subscriptions) on. */
export const WEBHOOK_ENV = {
  NCORE_WEBHOOK_USERNAME: WEBHOOK.username,
  NCORE_WEBHOOK_PASSWORD: WEBHOOK.password,
};

export const basicAuth = (username = WEBHOOK.username, password = WEBHOOK.password): string =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

/** A user event body as the simulator sends it. */
export function userEvent(
  type: string,
  userId: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> & { event_token: string } {
  return { event: type, event_token: randomUUID(), created: new Date().toISOString(), user_id: userId, ...extra };
}

/** Posts a webhook body to a gateway's receiver (`base` is its origin or its /graphql URL); null sends no credentials. */
export async function postWebhook(
  base: string,
  body: unknown,
  authorization: string | null = basicAuth(),
): Promise<Response> {
  const url = new URL('/webhooks/ncore', base);
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** One `next` payload as a subscriber reads it. */
/** The fields of a UserEvent the tests select. */
export interface EventView {
  id: string;
  type: string;
  userId: string;
  occurredAt?: string | null;
  previousStatus?: string | null;
  status?: string | null;
  user?: { id?: string; firstName?: string; parent?: { firstName?: string } | null } | null;
}

export interface Next {
  data?: { userEvents?: EventView } | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** A subscription being read: what arrived so far, whether it completed, and how to stop it. */
export interface Reading {
  readonly results: Next[];
  /** Resolves when the server completed the subscription (SSE `complete`, WS `complete` or close). */
  readonly completed: Promise<void>;
  /** Resolves once `n` results have arrived (rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<Next[]>;
  stop(): void;
}

/** Collects one subscription's results as a transport hands them over. */
class Collector implements Reading {
  readonly results: Next[] = [];
  readonly completed: Promise<void>;
  complete!: () => void;
  fail!: (error: unknown) => void;
  onStop: () => void = () => {};
  #waiters: (() => void)[] = [];

  constructor() {
    this.completed = new Promise<void>((resolve, reject) => {
      this.complete = resolve;
      this.fail = reject;
    });
    this.completed.catch(() => {});
  }

  push(result: Next): void {
    this.results.push(result);
    for (const waiter of this.#waiters.splice(0)) waiter();
  }

  waitFor(n: number, timeoutMs = 5_000): Promise<Next[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.results.length} of ${n} results within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const check = (): void => {
        if (this.results.length < n) return void this.#waiters.push(check);
        clearTimeout(timer);
        resolve(this.results);
      };
      check();
    });
  }

  stop(): void {
    this.onStop();
  }
}

/**
 * Subscribes over Server-Sent Events (GraphQL over SSE, distinct connections mode) with plain fetch;
 * resolves once the stream is open (its first bytes arrived), so events posted after it are heard.
 */
export async function subscribeSse(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<Reading> {
  const controller = new AbortController();
  const r = new Collector();
  r.onStop = () => controller.abort();
  const response = await fetch(url, {
    method: 'POST',
    signal: controller.signal,
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
    r.push((await response.json()) as Next);
    r.complete();
    return r;
  }
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let opened!: () => void;
  const open = new Promise<void>((resolve) => (opened = resolve));
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        opened();
        buffer += value;
        for (let i = buffer.indexOf('\n\n'); i !== -1; i = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          let event = '';
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data += line.slice(5).trimStart();
          }
          if (event === 'next') r.push(JSON.parse(data) as Next);
          if (event === 'complete') return r.complete();
        }
      }
      r.fail(new Error('the stream ended without complete'));
    } catch (error) {
      r.fail(error);
    } finally {
      opened();
    }
  })();
  await open;
  return r;
}

/** A graphql-ws client on the gateway's /graphql path, never retrying, so closes are seen as they are. */
export function wsClient(
  httpUrl: string,
  connectionParams: Record<string, unknown> = {},
  onClosed?: (event: { code: number; reason: string }) => void,
): Client {
  return createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
    on: { closed: (event) => onClosed?.(event as { code: number; reason: string }) },
  });
}

/**
 * Subscribes over a graphql-ws client. The subscribe message is sent once the connection is acknowledged,
 * so a test waits for the gateway to count the subscription before it posts events.
 */
export function subscribeWs(client: Client, query: string, variables: Record<string, unknown> = {}): Reading {
  const r = new Collector();
  r.onStop = client.subscribe(
    { query, variables },
    {
      next: (value) => r.push(value as Next),
      error: (error) => {
        if (Array.isArray(error)) {
          r.push({ errors: error });
          r.complete();
        } else r.fail(error);
      },
      complete: () => r.complete(),
    },
  );
  return r;
}
