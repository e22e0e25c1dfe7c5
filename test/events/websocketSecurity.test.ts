import { connect } from 'node:net';
import { SignJWT } from 'jose';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { DEMO_ROOT_ID } from '../../src/simulator/index.ts';
import { useStack } from '../support/stack.ts';

/** One graphql-transport-ws socket read frame by frame, as a client sees it. */
interface RawSocket {
  ws: WebSocket;
  /** The server's messages so far, parsed. */
  frames: { id?: string; type: string; payload?: unknown }[];
  /** Resolves with the close code and reason, and when (epoch ms) the close arrived. */
  closed: Promise<{ code: number; reason: string; at: number }>;
  /** Resolves with the first message of this type (and id) that arrived or arrives. */
  frame(type: string, id?: string): Promise<{ id?: string; type: string; payload?: unknown }>;
  send(message: object): void;
}

/** Every socket a test opened: cut after it, so a failed test leaves none to hold its stack open. */
const opened = new Set<WebSocket>();
afterEach(() => {
  for (const ws of opened) ws.terminate();
  opened.clear();
});

/** Opens a socket on the gateway's /graphql with these upgrade headers; resolves once it is open. */
async function openSocket(httpUrl: string, headers: Record<string, string> = {}): Promise<RawSocket> {
  const ws = new WebSocket(httpUrl.replace(/^http/, 'ws'), 'graphql-transport-ws', { headers });
  opened.add(ws);
  const frames: RawSocket['frames'] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (data) => {
    frames.push(JSON.parse(String(data)));
    for (const waiter of waiters.splice(0)) waiter();
  });
  const closed = new Promise<{ code: number; reason: string; at: number }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason), at: Date.now() })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const frame = (type: string, id?: string) =>
    new Promise<RawSocket['frames'][number]>((resolve) => {
      const check = () => {
        const found = frames.find((f) => f.type === type && (id === undefined || f.id === id));
        if (found) resolve(found);
        else waiters.push(check);
      };
      check();
    });
  return { ws, frames, closed, frame, send: (message) => ws.send(JSON.stringify(message)) };
}

/** `promise`, or a rejection once `ms` have passed without it settling. */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** An upgrade the server answers without switching protocols: its status and body. */
async function refusedUpgrade(
  httpUrl: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  const ws = new WebSocket(httpUrl.replace(/^http/, 'ws'), 'graphql-transport-ws', { headers });
  ws.on('error', () => {});
  return new Promise((resolve, reject) => {
    ws.once('open', () => reject(new Error('the upgrade was accepted')));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
  });
}

/** Writes `request` on a raw TCP connection and reads until the server closes it (or, with `head`, until a head ends). */
function rawExchange(httpUrl: string, request: string, head = false): Promise<string> {
  const { port } = new URL(httpUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server did not close the connection; it answered ${JSON.stringify(answer)}`));
    }, 3_000);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      answer += chunk;
      if (head && answer.includes('\r\n\r\n')) socket.destroy();
    });
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answer);
    });
    socket.write(request);
  });
}

const upgradeRequest = (host: string) =>
  'GET /graphql HTTP/1.1\r\n' +
  `Host: ${host}\r\n` +
  'Upgrade: websocket\r\n' +
  'Connection: Upgrade\r\n' +
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
  'Sec-WebSocket-Version: 13\r\n' +
  'Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const JWT_ENV = {
  GATEWAY_AUTH: 'jwt',
  JWT_SECRET: SECRET,
  JWT_ISSUER: 'https://issuer.test',
  JWT_AUDIENCE: 'ncore-gateway',
};
/** The gateway's clock tolerance for `exp` (plugins/auth.ts): HTTP accepts a token until `exp` plus this. */
const TOLERANCE_S = 30;

const READ = `{ user(id: "${DEMO_ROOT_ID}") { firstName } }`;
const CREATE = 'mutation { createUser(input: { firstName: "AfterExpiry" }) { id } }';

describe('a WebSocket lives no longer than its JWT', () => {
  const stack = useStack({ env: JWT_ENV });
  /** The HTTP status of a query with this Authorization header. */
  const overHttp = async (authorization: string) =>
    (await stack.post(JSON.stringify({ query: READ }), { authorization })).status;

  it('serves before the token expires, closes with 4403 when HTTP starts refusing it, and runs nothing after', async () => {
    const url = await stack.listen();
    // Expired 26 s ago: inside the 30 s tolerance, HTTP accepts it for 3-4 s more.
    const exp = Math.floor(Date.now() / 1000) - (TOLERANCE_S - 4);
    const expiresAt = (exp + TOLERANCE_S) * 1000;
    const token = await new SignJWT({ sub: 'frontend-1', exp })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(JWT_ENV.JWT_ISSUER)
      .setAudience(JWT_ENV.JWT_AUDIENCE)
      .sign(new TextEncoder().encode(SECRET));
    const authorization = `Bearer ${token}`;
    expect(await overHttp(authorization)).toBe(200);

    // One socket stays idle (its close is the timer's); the other sends a mutation once the token has expired.
    const idle = await openSocket(url);
    const busy = await openSocket(url);
    for (const socket of [idle, busy]) {
      socket.send({ type: 'connection_init', payload: { authorization } });
      await socket.frame('connection_ack');
    }
    busy.send({ id: 'read', type: 'subscribe', payload: { query: READ } });
    expect((await busy.frame('next', 'read')).payload).toEqual({ data: { user: { firstName: 'Khalid' } } });
    expect(Date.now()).toBeLessThan(expiresAt);

    // Up to just before the expiry, then past it with the event loop held: the gateway's timer has not run
    // when the mutation is written, so it is read after expiry on a socket not yet closed.
    await new Promise((resolve) => setTimeout(resolve, expiresAt - Date.now() - 100));
    stack.sim.clearRequests();
    while (Date.now() < expiresAt + 20) {
      // Busy-wait: no timer of the gateway's may run in between.
    }
    expect(busy.ws.readyState).toBe(WebSocket.OPEN);
    busy.send({ id: 'create', type: 'subscribe', payload: { query: CREATE } });

    const [idleClosed, busyClosed] = await within(2_000, Promise.all([idle.closed, busy.closed]));
    for (const closed of [idleClosed, busyClosed]) {
      expect(closed.code).toBe(4403);
      expect(closed.reason).toBe('The credentials of this connection have expired.');
    }
    expect(idleClosed.at).toBeGreaterThanOrEqual(expiresAt);
    expect(idleClosed.at).toBeLessThan(expiresAt + 1_000);
    expect(busy.frames.some((f) => f.id === 'create' && f.type === 'next')).toBe(false);
    expect(stack.calls('createUser')).toBe(0);
    expect(stack.sim.users().some((u) => u.first_name === 'AfterExpiry')).toBe(false);
    // HTTP refuses the same token now, as the socket did.
    expect(await overHttp(authorization)).toBe(401);
  });

  it('a connection_init with a token already past its tolerance is refused with 4403', async () => {
    const url = await stack.listen();
    const token = await new SignJWT({ sub: 'frontend-1', exp: Math.floor(Date.now() / 1000) - TOLERANCE_S - 1 })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(JWT_ENV.JWT_ISSUER)
      .setAudience(JWT_ENV.JWT_AUDIENCE)
      .sign(new TextEncoder().encode(SECRET));
    const socket = await openSocket(url);
    socket.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
    expect((await socket.closed).code).toBe(4403);
    expect(socket.frames).toEqual([]);
  });
});

describe('browser upgrades need an allowed origin', () => {
  const stack = useStack({ env: { CORS_ORIGINS: 'https://app.example' } });

  /** Opens a socket with these headers and reads the newest user over it. */
  const readOver = async (headers: Record<string, string>) => {
    const socket = await openSocket(await stack.listen(), headers);
    socket.send({ type: 'connection_init' });
    await socket.frame('connection_ack');
    socket.send({ id: '1', type: 'subscribe', payload: { query: '{ users(first: 1) { nodes { id } } }' } });
    const next = await socket.frame('next', '1');
    socket.ws.close();
    return next.payload as { data?: { users: { nodes: unknown[] } } };
  };

  it('refuses an upgrade from an origin CORS_ORIGINS does not list with 403, before any socket', async () => {
    const url = await stack.listen();
    stack.sim.clearRequests();
    for (const origin of ['https://evil.example', 'null', 'https://app.example.evil.example', 'http://app.example']) {
      const refused = await refusedUpgrade(url, { origin });
      expect(refused.status).toBe(403);
      expect(refused.body).toBe('Pages from this origin may not open a WebSocket here.\n');
    }
    expect(stack.calls()).toBe(0);
  });

  it('accepts an origin CORS_ORIGINS lists', async () => {
    expect((await readOver({ origin: 'https://app.example' })).data?.users.nodes).toHaveLength(1);
  });

  it('accepts a client that sends no Origin (a server or a CLI)', async () => {
    expect((await readOver({})).data?.users.nodes).toHaveLength(1);
  });

  it("accepts the gateway's own origin (same scheme://host as the Host header)", async () => {
    const { host } = new URL(await stack.listen());
    expect((await readOver({ origin: `http://${host}` })).data?.users.nodes).toHaveLength(1);
  });
});

describe('with no CORS_ORIGINS, only same-origin pages', () => {
  const stack = useStack();

  it('refuses any other origin and accepts its own', async () => {
    const url = await stack.listen();
    expect((await refusedUpgrade(url, { origin: 'https://evil.example' })).status).toBe(403);
    const own = await openSocket(url, { origin: new URL(url).origin });
    own.send({ type: 'connection_init' });
    expect((await own.frame('connection_ack')).type).toBe('connection_ack');
  });
});

describe('an upgrade with a malformed Host header', () => {
  const lines: string[] = [];
  const logger = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
  const stack = useStack({ deps: { logger } });
  afterEach(() => vi.restoreAllMocks());

  it('is answered 400 with connection: close before any WebSocket, and logs nothing of it', async () => {
    const url = await stack.listen();
    const consoleError = vi.spyOn(console, 'error');
    for (const host of ['a b', '[::1', '127.0.0.1:99999', 'evil.example/x', 'user@evil.example']) {
      lines.length = 0;
      const answer = await rawExchange(url, upgradeRequest(host));
      const [head, body] = answer.split('\r\n\r\n');
      expect(head!.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
      expect(head).toContain('\r\nconnection: close');
      expect(head).not.toContain('Upgrade');
      expect(body).toBe('The Host header is missing or is not a valid host.\n');
      expect(lines.filter((line) => (JSON.parse(line) as { level: number }).level >= 50)).toEqual([]);
      expect(lines.filter((line) => line.includes(host))).toEqual([]);
    }
    expect(consoleError).not.toHaveBeenCalled();
  });

  it('a well-formed Host still upgrades', async () => {
    const url = await stack.listen();
    const answer = await rawExchange(url, upgradeRequest(new URL(url).host), true);
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 101 Switching Protocols');
  });
});
