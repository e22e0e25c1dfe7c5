import { connect, type Socket } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { createGateway } from '../../src/gateway.ts';
import { type Serving, serve } from '../../src/server/serve.ts';
import { createSimulator, DEMO_ROOT_ID, type Simulator } from '../../src/simulator/index.ts';

/** A raw client socket: what it received, and when the server closed it. */
interface RawClient {
  socket: Socket;
  received(): string;
  /** Resolves with the milliseconds from connecting to the server closing the socket. */
  closed: Promise<number>;
}

async function rawClient(port: number): Promise<RawClient> {
  const socket = connect(port, '127.0.0.1');
  let data = '';
  socket.setEncoding('utf8').on('data', (chunk) => (data += chunk));
  socket.on('error', () => {});
  const began = Date.now();
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - began)));
  await new Promise((resolve) => socket.once('connect', resolve));
  return { socket, received: () => data, closed };
}

const QUERY = JSON.stringify({ query: `{ user(id: "${DEMO_ROOT_ID}") { id } }` });

describe('slow, idle and surplus clients', () => {
  let sim: Simulator;
  let serving: Serving;
  let url: string;
  const clients: RawClient[] = [];
  const client = async () => {
    const c = await rawClient(serving.port);
    clients.push(c);
    return c;
  };
  /** Another client, served as usual meanwhile. */
  const served = async () => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: QUERY });
    expect(response.status).toBe(200);
    expect((await response.json()).data.user.id).toBe(DEMO_ROOT_ID);
  };

  beforeAll(async () => {
    sim = await createSimulator();
    const config = loadConfig({
      NCORE_BASE_URL: sim.url,
      NCORE_API_KEY: sim.apiKey,
      GATEWAY_AUTH: 'none',
      // Each answer here is counted in nCore calls: none is served from the cache of users.
      CACHE_TTL_MS: '0',
      HOST: '127.0.0.1',
      PORT: '0',
      HEADERS_TIMEOUT_MS: '400',
      REQUEST_TIMEOUT_MS: '800',
      KEEP_ALIVE_TIMEOUT_MS: '300',
      MAX_CONNECTIONS: '4',
    });
    serving = await serve(config, createGateway(config.gateway), pino({ level: 'silent' }));
    url = `http://127.0.0.1:${serving.port}/graphql`;
  });
  afterAll(async () => {
    for (const c of clients) c.socket.destroy();
    await serving.stop(0);
    await sim.close();
  });

  it('answers 408 and cuts a client that does not finish its headers in time, serving another meanwhile', async () => {
    const slow = await client();
    slow.socket.write('POST /graphql HTTP/1.1\r\nhost: gateway\r\ncontent-type: application');
    await served();
    const after = await slow.closed;
    expect(after).toBeGreaterThanOrEqual(390);
    expect(after).toBeLessThan(1_500);
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    await served();
  });

  it('answers 408 and cuts a client whose body trickles in past the request bound, without asking nCore', async () => {
    sim.clearRequests();
    const slow = await client();
    slow.socket.write(
      `POST /graphql HTTP/1.1\r\nhost: gateway\r\ncontent-type: application/json\r\ncontent-length: ${QUERY.length}\r\n\r\n`,
    );
    const drip = setInterval(() => slow.socket.write(' '), 100);
    await served();
    const after = await slow.closed;
    clearInterval(drip);
    expect(after).toBeGreaterThanOrEqual(790);
    expect(after).toBeLessThan(2_000);
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(sim.requests).toHaveLength(1);
  });

  it('closes an idle keep-alive connection after its bound', async () => {
    const idle = await client();
    idle.socket.write(
      `POST /graphql HTTP/1.1\r\nhost: gateway\r\ncontent-type: application/json\r\ncontent-length: ${QUERY.length}\r\n\r\n${QUERY}`,
    );
    await new Promise((resolve) => idle.socket.once('data', resolve));
    const answered = Date.now();
    await idle.closed;
    const after = Date.now() - answered;
    expect(idle.received()).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(idle.received()).toContain(DEMO_ROOT_ID);
    // Node closes an idle socket a second after the keep-alive timeout it announces to clients, so that a
    // client reusing the socket at the last moment does not race the close.
    expect(after).toBeGreaterThanOrEqual(290);
    expect(after).toBeLessThan(2_500);
  });

  it('refuses connections beyond the bound with a 503, never reaching the gateway, and serves again once they close', async () => {
    const held = await Promise.all([client(), client(), client(), client()]);
    for (const c of held) c.socket.write('GET /health HTTP/1.1\r\nhost: gateway\r\n\r\n');
    sim.clearRequests();
    const surplus = await client();
    surplus.socket.write(
      `POST /graphql HTTP/1.1\r\nhost: gateway\r\ncontent-type: application/json\r\ncontent-length: ${QUERY.length}\r\n\r\n${QUERY}`,
    );
    await surplus.closed;
    expect(surplus.received()).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
    expect(surplus.received()).toContain('retry-after: 1');
    expect(surplus.received()).toContain('"reason":"too many connections"');
    expect(sim.requests).toHaveLength(0);

    for (const c of held) c.socket.destroy();
    await Promise.all(held.map((c) => c.closed));
    await served();
  });

  it('refuses a request bound shorter than the headers bound, at start', () => {
    expect(() => loadConfig({ HEADERS_TIMEOUT_MS: '5000', REQUEST_TIMEOUT_MS: '1000' })).toThrow(
      'REQUEST_TIMEOUT_MS must be at least HEADERS_TIMEOUT_MS: the headers are part of the request',
    );
  });
});
