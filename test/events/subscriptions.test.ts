import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { createGateway } from '../../src/gateway.ts';
import { serve } from '../../src/server/serve.ts';
import { createSimulator, DEMO_ROOT_ID } from '../../src/simulator/index.ts';
import { postWebhook, subscribeSse, subscribeWs, userEvent, WEBHOOK_ENV, wsClient } from '../support/events.ts';
import { startStack, useStack } from '../support/stack.ts';

const EVENTS = 'subscription { userEvents { id type user { firstName parent { firstName } } } }';

describe('subscriptions need the receiver and, in forward mode, one tenant', () => {
  it('without webhook settings the receiver is a 404 and subscriptions say why they are off', async () => {
    const stack = await startStack();
    try {
      const url = await stack.listen();
      expect((await postWebhook(url, userEvent('USER_CREATED', DEMO_ROOT_ID))).status).toBe(404);
      const reading = await subscribeSse(url, EVENTS);
      const [result] = await reading.waitFor(1);
      expect(result!.errors?.[0]?.extensions?.['code']).toBe('SUBSCRIPTIONS_UNAVAILABLE');
      expect(result!.errors?.[0]?.message).toContain('NCORE_WEBHOOK_USERNAME');
    } finally {
      await stack.close();
    }
  });

  it('in forward mode they are refused unless FORWARD_SINGLE_TENANT says all callers are one tenant', async () => {
    const env = { ...WEBHOOK_ENV, GATEWAY_AUTH: 'forward', NCORE_API_KEY: '' };
    for (const [extra, code] of [
      [{}, 'SUBSCRIPTIONS_UNAVAILABLE'],
      [{ FORWARD_SINGLE_TENANT: 'true' }, undefined],
    ] as const) {
      const stack = await startStack({ env: { ...env, ...extra } });
      try {
        const url = await stack.listen();
        const client = wsClient(url, { apikey: stack.sim.apiKey });
        const reading = subscribeWs(client, EVENTS);
        if (code) {
          const [result] = await reading.waitFor(1);
          expect(result!.errors?.[0]?.extensions?.['code']).toBe(code);
          expect(result!.errors?.[0]?.message).toContain('forward mode');
        } else {
          await expect.poll(() => stack.gateway.events.size).toBe(1);
          const child = stack.sim.users().find((u) => u.parent_user_id === DEMO_ROOT_ID)!;
          await postWebhook(url, userEvent('USER_CREATED', child.id));
          const [result] = await reading.waitFor(1);
          // The user is read with the subscriber's own key.
          expect(result!.data?.userEvents?.user).toEqual({
            firstName: child.first_name,
            parent: { firstName: 'Khalid' },
          });
        }
        await client.dispose();
      } finally {
        await stack.close();
      }
    }
  });
});

describe('a WebSocket carries queries and mutations as well as subscriptions', () => {
  const stack = useStack({ env: WEBHOOK_ENV });

  it('runs a query and a mutation over the connection it subscribes on', async () => {
    const client = wsClient(await stack.listen());
    try {
      const [read] = await subscribeWs(client, `{ user(id: "${DEMO_ROOT_ID}") { firstName } }`).waitFor(1);
      expect(read).toEqual({ data: { user: { firstName: 'Khalid' } } });
      const [written] = await subscribeWs(
        client,
        `mutation { updateUser(id: "${DEMO_ROOT_ID}", input: { lastName: "Socket" }) { lastName } }`,
      ).waitFor(1);
      expect(written).toEqual({ data: { updateUser: { lastName: 'Socket' } } });
      expect(stack.sim.users().find((u) => u.id === DEMO_ROOT_ID)?.last_name).toBe('Socket');
    } finally {
      await client.dispose();
    }
  });
});

describe('credentials as for queries: headers for SSE, connectionParams for WebSocket', () => {
  const stack = useStack({ env: { ...WEBHOOK_ENV, GATEWAY_AUTH: 'bearer', GATEWAY_TOKENS: 'good-token' } });

  it('SSE without a token is a 401; with one it subscribes', async () => {
    const url = await stack.listen();
    const refused = await subscribeSse(url, EVENTS);
    expect((await refused.waitFor(1))[0]!.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    const reading = await subscribeSse(url, EVENTS, {}, { authorization: 'Bearer good-token' });
    await expect.poll(() => stack.gateway.events.size).toBe(1);
    reading.stop();
    await expect.poll(() => stack.gateway.events.size).toBe(0);
  });

  it('a WebSocket with a bad token is closed with 4403 and the reason; a good one subscribes', async () => {
    const url = await stack.listen();
    let closed: { code: number; reason: string } | undefined;
    const bad = wsClient(url, { authorization: 'Bearer nope' }, (event) => (closed = event));
    const refused = subscribeWs(bad, EVENTS);
    await expect.poll(() => closed?.code).toBe(4403);
    expect(closed!.reason).toBe('The bearer token is not valid.');
    refused.stop();
    const good = wsClient(url, { authorization: 'Bearer good-token' });
    subscribeWs(good, EVENTS);
    await expect.poll(() => stack.gateway.events.size).toBe(1);
    await good.dispose();
    await bad.dispose();
  });
});

describe('an identity provider that cannot be reached, over WebSocket', () => {
  it('closes the connection with 1013 (try again later), not 4403: the token was not judged', async () => {
    // A port nothing listens on: the key set cannot be fetched.
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const stack = await startStack({
      env: {
        ...WEBHOOK_ENV,
        GATEWAY_AUTH: 'jwt',
        JWT_JWKS_URL: `http://127.0.0.1:${closedPort}/jwks.json`,
        JWT_ISSUER: 'https://idp.test',
        JWT_AUDIENCE: 'ncore-gateway',
      },
    });
    try {
      const url = await stack.listen();
      const header = Buffer.from(JSON.stringify({ alg: 'ES256', kid: 'k1' })).toString('base64url');
      const payload = Buffer.from(JSON.stringify({ exp: Math.floor(Date.now() / 1000) + 300 })).toString('base64url');
      let closed: { code: number; reason: string } | undefined;
      const client = wsClient(url, { authorization: `Bearer ${header}.${payload}.c2ln` }, (event) => (closed = event));
      const reading = subscribeWs(client, EVENTS);
      await expect.poll(() => closed?.code).toBe(1013);
      expect(closed!.reason).toContain('identity provider');
      reading.stop();
      await client.dispose();
    } finally {
      await stack.close();
    }
  });
});

describe('trusted documents over WebSocket, as over HTTP', () => {
  const hash = createHash('sha256').update(EVENTS).digest('hex');
  const manifest = join(mkdtempSync(join(tmpdir(), 'trusted-')), 'persisted-documents.json');
  writeFileSync(manifest, JSON.stringify({ [`sha256:${hash}`]: EVENTS }));
  const stack = useStack({ env: { ...WEBHOOK_ENV, TRUSTED_DOCUMENTS: manifest } });

  it("runs a document named by Apollo's bare sha256Hash, and refuses an unknown one", async () => {
    const url = await stack.listen();
    const client = wsClient(url);
    const named = (sha256Hash: string) => ({ query: '', extensions: { persistedQuery: { version: 1, sha256Hash } } });
    const errors: unknown[] = [];
    const stopUnknown = client.subscribe(named('0'.repeat(64)), {
      next: () => {},
      error: (error) => errors.push(error),
      complete: () => {},
    });
    await expect.poll(() => errors.length).toBe(1);
    expect((errors[0] as { extensions?: { code?: string } }[])[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    stopUnknown();
    const stop = client.subscribe(named(hash), { next: () => {}, error: () => {}, complete: () => {} });
    await expect.poll(() => stack.gateway.events.size).toBe(1);
    stop();
    await client.dispose();
  });
});

describe('limits', () => {
  const stack = useStack({
    env: { ...WEBHOOK_ENV, MAX_SUBSCRIPTIONS_PER_CONNECTION: '2', MAX_SUBSCRIPTIONS: '3', SUBSCRIPTION_BUFFER: '2' },
  });

  it('a connection holds at most MAX_SUBSCRIPTIONS_PER_CONNECTION; the next one is refused, the socket stays', async () => {
    const url = await stack.listen();
    const client = wsClient(url);
    subscribeWs(client, EVENTS);
    subscribeWs(client, EVENTS);
    await expect.poll(() => stack.gateway.events.size).toBe(2);
    const third = subscribeWs(client, EVENTS);
    const [result] = await third.waitFor(1);
    expect(result!.errors?.[0]?.extensions).toMatchObject({ code: 'TOO_MANY_SUBSCRIPTIONS', max: 2 });
    expect(stack.gateway.events.size).toBe(2);
    await postWebhook(url, userEvent('USER_CREATED', DEMO_ROOT_ID));
    // The refusal cost only that operation: the connection still serves the other two.
    const again = subscribeWs(client, 'subscription { userEvents(types: [KYC_RESULT]) { id } }');
    expect((await again.waitFor(1))[0]!.errors?.[0]?.extensions?.['code']).toBe('TOO_MANY_SUBSCRIPTIONS');
    await client.dispose();
    await expect.poll(() => stack.gateway.events.size).toBe(0);
  });

  it('a process holds at most MAX_SUBSCRIPTIONS', async () => {
    const url = await stack.listen();
    const open = await Promise.all([1, 2, 3].map(() => subscribeSse(url, EVENTS)));
    await expect.poll(() => stack.gateway.events.size).toBe(3);
    const refused = await subscribeSse(url, EVENTS);
    expect((await refused.waitFor(1))[0]!.errors?.[0]?.extensions).toMatchObject({
      code: 'TOO_MANY_SUBSCRIPTIONS',
      max: 3,
    });
    for (const r of open) r.stop();
    await expect.poll(() => stack.gateway.events.size).toBe(0);
  });

  it('a subscriber that stops reading is ended with SLOW_CONSUMER instead of being buffered without bound', async () => {
    const response = await stack.gateway.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { userEvents { id } }' }),
    });
    await expect.poll(() => stack.gateway.events.size).toBe(1);
    // Nothing reads the body while 50 events arrive; the stream holds what its buffers take, then ends.
    for (let i = 0; i < 50; i++) await postWebhook2(stack, userEvent('USER_CREATED', DEMO_ROOT_ID));
    const metrics = async () =>
      (await (await stack.gateway.fetch('http://gateway.test/metrics')).text()).match(
        /^gateway_subscriptions_slow_consumer_total (\d+)$/m,
      )?.[1];
    await expect.poll(metrics).toBe('1');
    const text = await response.text();
    expect(stack.gateway.events.size).toBe(0);
    const nexts = text.split('event: next').length - 1;
    expect(nexts).toBeLessThan(50);
    expect(text).toContain('"code":"SLOW_CONSUMER"');
    expect(text.trimEnd().endsWith('event: complete\ndata:')).toBe(true);
  });
});

/** The receiver through gateway.fetch, no socket. */
async function postWebhook2(stack: { gateway: { fetch: (url: string, init: RequestInit) => unknown } }, body: unknown) {
  return stack.gateway.fetch('http://gateway.test/webhooks/ncore', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${WEBHOOK_ENV.NCORE_WEBHOOK_USERNAME}:${WEBHOOK_ENV.NCORE_WEBHOOK_PASSWORD}`).toString('base64')}`,
    },
    body: JSON.stringify(body),
  });
}

describe('an event user costs what the same query would', () => {
  const stack = useStack({ env: WEBHOOK_ENV });

  it('user { firstName parent { firstName } }: the user from the payload is free, its parent one call', async () => {
    const url = await stack.listen();
    const reading = await subscribeSse(url, EVENTS);
    await expect.poll(() => stack.gateway.events.size).toBe(1);
    const child = stack.sim.users().find((u) => u.parent_user_id === DEMO_ROOT_ID)!;
    stack.sim.clearRequests();
    await postWebhook(url, userEvent('USER_CREATED', child.id, { user: child }));
    await reading.waitFor(1);
    expect(stack.calls('getUser')).toBe(1);
    stack.sim.clearRequests();
    await postWebhook(url, userEvent('USER_CREATED', child.id));
    await reading.waitFor(2);
    expect(stack.calls('getUser')).toBe(2);
    expect(reading.results.map((r) => r.data?.userEvents?.user)).toEqual([
      { firstName: child.first_name, parent: { firstName: 'Khalid' } },
      { firstName: child.first_name, parent: { firstName: 'Khalid' } },
    ]);
    reading.stop();
  });

  it('five subscribers asking the same thing share one execution: the event costs nCore what it costs one', async () => {
    const url = await stack.listen();
    const readers = await Promise.all(Array.from({ length: 5 }, () => subscribeSse(url, EVENTS)));
    await expect.poll(() => stack.gateway.events.size).toBe(5);
    const child = stack.sim.users().find((u) => u.parent_user_id === DEMO_ROOT_ID)!;
    stack.sim.clearRequests();
    await postWebhook(url, userEvent('USER_CREATED', child.id));
    await Promise.all(readers.map((reading) => reading.waitFor(1)));
    // The user (not in the payload) and its parent: two calls, not ten.
    expect(stack.calls('getUser')).toBe(2);
    for (const reading of readers) {
      expect(reading.results[0]?.data?.userEvents?.user).toEqual({
        firstName: child.first_name,
        parent: { firstName: 'Khalid' },
      });
      reading.stop();
    }
  });
});

describe('shutdown', () => {
  it('ends SSE streams with complete and closes WebSockets with 1001, within the bound', async () => {
    const { sim, serving, url } = await serveOnSocket({ SHUTDOWN_TIMEOUT_MS: '3000' });
    let closed: { code: number; reason: string } | undefined;
    const client = wsClient(url, {}, (event) => (closed = event));
    const sse = await subscribeSse(url, EVENTS);
    subscribeWs(client, EVENTS);
    await expect.poll(() => openSubscriptions(url)).toBe('2');
    const began = Date.now();
    await serving.stop(0);
    expect(Date.now() - began).toBeLessThan(3000);
    await sse.completed;
    await expect.poll(() => closed?.code).toBe(1001);
    await client.dispose();
    await sim.close();
  });
});

describe('a live event to many subscriptions of one WebSocket', () => {
  it('leaves the gateway in one write, every subscription getting its message', async () => {
    const { sim, serving, url } = await serveOnSocket();
    // What each upgraded socket hands to the kernel: one `_write` or `_writev` is one system call.
    let handedOver = 0;
    serving.server.on('upgrade', (_req, socket: Socket & { _writev?: Socket['_writev'] }) => {
      const write = socket._write.bind(socket);
      const writev = socket._writev!.bind(socket);
      socket._write = (...args) => {
        handedOver++;
        write(...args);
      };
      socket._writev = (...args) => {
        handedOver++;
        writev(...args);
      };
    });
    try {
      const client = wsClient(url);
      const readings = Array.from({ length: 20 }, () => subscribeWs(client, 'subscription { userEvents { id type } }'));
      await expect.poll(() => openSubscriptions(url)).toBe('20');

      const before = handedOver;
      expect((await postWebhook(url, userEvent('USER_CREATED', DEMO_ROOT_ID))).status).toBe(202);
      for (const reading of readings) expect(await reading.waitFor(1)).toHaveLength(1);
      expect(handedOver - before).toBe(1);

      for (const reading of readings) reading.stop();
      await client.dispose();
    } finally {
      await serving.stop();
      await sim.close();
    }
  });
});

/** The gateway on a socket of its own as the process serves it (WebSocket transport included), over a new simulator. */
async function serveOnSocket(env: Record<string, string> = {}) {
  const sim = await createSimulator();
  const config = loadConfig({
    NCORE_BASE_URL: sim.url,
    NCORE_API_KEY: sim.apiKey,
    GATEWAY_AUTH: 'none',
    PORT: '0',
    ...WEBHOOK_ENV,
    ...env,
  });
  const serving = await serve(config, createGateway(config.gateway), pino({ level: 'silent' }));
  return { sim, serving, url: `http://127.0.0.1:${serving.port}/graphql` };
}

/** The gateway's count of open subscriptions, from /metrics. */
async function openSubscriptions(url: string): Promise<string | undefined> {
  return /^gateway_subscriptions_open (\d+)/m.exec(await (await fetch(new URL('/metrics', url))).text())?.[1];
}
