import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WireUser } from '../contract/types.ts';
import { errorBody } from './errors.ts';
import { FaultBook } from './faults.ts';
import { IdempotencyRecords } from './idempotency.ts';
import { handleRequest } from './pipeline.ts';
import { QuotaBook } from './quota.ts';
import { BASE_PATH } from './router.ts';
import { demoSeed } from './seed.ts';
import { UserStore } from './store.ts';
import type { LoggedRequest, Simulator, SimulatorOptions } from './types.ts';
import { Webhooks } from './webhooks.ts';

/** The API key a simulator expects when none is given. */
export const DEFAULT_API_KEY = 'sim-test-key';

// Read on first use and served verbatim: the document in the repository is the one clients get.
let openapiText: string | undefined;
function openapiDocument(): string {
  openapiText ??= readFileSync(new URL('./openapi.json', import.meta.url), 'utf8');
  return openapiText;
}

/**
 * Starts an in-memory nCore Users API on 127.0.0.1 (port 0 by default: a free one) and resolves once
 * it listens. Call `close()` when done: it also cuts hung and stalled connections.
 */
export async function createSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  const seed = seedUsers(options.seed ?? 'demo');
  const limit = options.requestLogLimit ?? Number.POSITIVE_INFINITY;
  const requests: LoggedRequest[] = [];
  const faults = new FaultBook();
  const idempotency = new IdempotencyRecords();
  const webhooks = new Webhooks(options.webhookRetry);
  const quota = new QuotaBook(options.quota);
  const timers = new Set<NodeJS.Timeout>();
  let store = new UserStore(seed);
  let closing = false;

  const state = {
    apiKey,
    store: () => store,
    faults,
    idempotency,
    webhooks,
    quota,
    latency: options.latencyMs,
    openapi: openapiDocument(),
    log(entry: LoggedRequest) {
      requests.push(entry);
      // Drop in batches so that a bounded log costs O(1) per request on average.
      if (requests.length > limit * 1.1 + 1) requests.splice(0, requests.length - limit);
    },
    sleep(ms: number) {
      return new Promise<void>((resolve) => {
        if (closing) return;
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, ms);
        timers.add(timer);
      });
    },
  };

  const server = createServer((req, res) => {
    // handleRequest answers its own failures; this catch only guards against the unforeseeable.
    handleRequest(state, req, res).catch(() => res.destroy());
  });
  server.on('clientError', (_error, socket) => {
    // Malformed HTTP never reaches a handler: answer in the contract's shape if the socket still can.
    const body = JSON.stringify(errorBody('BAD_REQUEST', 'Malformed HTTP request'));
    if (socket.writable) {
      socket.end(
        `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
    } else socket.destroy();
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${hostInUrl}:${port}${BASE_PATH}`,
    apiKey,
    requests,
    clearRequests: () => void requests.splice(0),
    reset() {
      store = new UserStore(seed);
      requests.splice(0);
      faults.clear();
      idempotency.clear();
      webhooks.clear();
      quota.reset();
    },
    setQuota: (value) => quota.set(value),
    quotaCounts: quota.counts,
    setFaults: (...list) => faults.set(list),
    clearFaults: () => faults.clear(),
    users: () => store.all().map((user) => structuredClone(user)),
    getUser(id) {
      const user = store.get(id);
      return user && structuredClone(user);
    },
    insertRaw: (user) => store.put(structuredClone(user)),
    webhooks,
    close() {
      closing = true;
      webhooks.close();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function seedUsers(seed: NonNullable<SimulatorOptions['seed']>): WireUser[] {
  if (seed === 'demo') return demoSeed();
  if (seed === 'empty') return [];
  return structuredClone(seed);
}
