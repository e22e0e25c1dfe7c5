import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type ExecutionResult, print } from 'graphql';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { createGateway, type Gateway, type GatewayDeps } from '../../src/gateway.ts';
import { attachWebSocket } from '../../src/server/websocket.ts';
import { createSimulator, type Route, type Simulator, type SimulatorOptions } from '../../src/simulator/index.ts';

/** A response as a test reads it: the HTTP status and the typed GraphQL result. */
export interface Answer<T> {
  status: number;
  body: ExecutionResult<T> & {
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  };
}

/** The simulator on a real socket and the gateway in-process, wired together as in production. */
export interface Stack {
  sim: Simulator;
  gateway: Gateway;
  /** Runs a typed document through `gateway.fetch`. */
  run<T, V>(document: TypedDocumentNode<T, V>, variables?: V, headers?: Record<string, string>): Promise<Answer<T>>;
  /** Posts raw text to /graphql, for malformed requests. */
  post(body: string, headers?: Record<string, string>): Promise<Response>;
  /** Upstream calls logged since the last `sim.clearRequests()`, optionally for one route. */
  calls(route?: Route): number;
  /**
   * Also serves the gateway on a real socket (127.0.0.1, a free port), WebSocket transport included;
   * resolves with its `/graphql` URL (the same one when called again).
   */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts a stack; `env` overrides gateway settings, `simulator` the simulator's options, `deps` the gateway's. The
 * cross-request cache is off unless `env` sets `CACHE_TTL_MS`, so suites that count nCore calls see every one.
 */
export async function startStack(
  options: { env?: Record<string, string>; simulator?: SimulatorOptions; deps?: GatewayDeps } = {},
): Promise<Stack> {
  const sim = await createSimulator({ seed: 'demo', ...options.simulator });
  const config = loadConfig({
    NCORE_BASE_URL: sim.url,
    NCORE_API_KEY: sim.apiKey,
    GATEWAY_AUTH: 'none',
    CACHE_TTL_MS: '0',
    ...options.env,
  });
  const gateway = createGateway(config.gateway, options.deps);
  let server: Server | undefined;
  const post = async (body: string, headers: Record<string, string> = {}): Promise<Response> =>
    gateway.fetch('http://gateway.test/graphql', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...headers },
    });
  return {
    sim,
    gateway,
    post,
    async run(document, variables, headers) {
      const response = await post(JSON.stringify({ query: print(document), variables }), headers);
      return { status: response.status, body: await response.json() };
    },
    calls: (route) => sim.requests.filter((r) => route === undefined || r.route === route).length,
    async listen() {
      if (server) return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
      server = createServer(gateway);
      attachWebSocket(server, gateway, config.gateway);
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    },
    async close() {
      if (server) {
        server.closeAllConnections();
        await new Promise((resolve) => server!.close(resolve));
      }
      await gateway.close();
      await sim.close();
    },
  };
}

/**
 * The one fixture for a describe block's stack: started before its first test, closed after its last.
 * Returns the stack itself, usable inside tests and hooks (before the block starts it, any use throws).
 */
export function useStack(options: Parameters<typeof startStack>[0] = {}): Stack {
  let current: Stack | undefined;
  beforeAll(async () => {
    current = await startStack(options);
  });
  afterAll(async () => {
    await current?.close();
    current = undefined;
  });
  return new Proxy({} as Stack, {
    get(_, key) {
      if (!current) throw new Error('the stack is started in beforeAll: use it inside a test or a hook');
      // The stack's methods are closures, never `this`-bound, so they pass through as they are.
      return Reflect.get(current, key);
    },
  });
}
