import { afterEach, describe, expect, it, vi } from 'vitest';
import { LOGIN_THROTTLE, LoginThrottle } from '../../src/events/receiver.ts';
import { basicAuth, WEBHOOK, WEBHOOK_ENV } from '../support/events.ts';
import { type Stack, useStack } from '../support/stack.ts';

const PING = JSON.stringify({ event: 'PING', event_token: 'ping' });
const WRONG = basicAuth(WEBHOOK.username, 'Wrong-password-of-any-length');
const METHODS = ['POST', 'GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'DELETE'];

interface Attempt {
  from?: string;
  method?: string;
  authorization?: string | null;
  body?: string;
  headers?: Record<string, string>;
}

/** One request to the receiver through `gateway.fetch`, from `from` as the socket's peer address. */
function hook(
  stack: Stack,
  { from = '203.0.113.7', method = 'POST', authorization = basicAuth(), body, headers }: Attempt,
) {
  const withBody = method !== 'GET' && method !== 'HEAD';
  return stack.gateway.fetch(
    'http://gateway.test/webhooks/ncore',
    {
      method,
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}), ...headers },
      body: withBody ? (body ?? PING) : undefined,
    },
    { req: { socket: { remoteAddress: from } } } as never,
  ) as Promise<Response>;
}

/** Status, headers and body, for comparing two answers whole. */
async function whole(response: Response) {
  return { status: response.status, headers: [...response.headers], body: await response.text() };
}

/** Fails `address` until it is locked out; every failure before that is a plain 401. */
async function lockOut(stack: Stack, from: string, attempt: Attempt = {}) {
  for (let i = 0; i < LOGIN_THROTTLE.failures; i++)
    expect((await hook(stack, { authorization: WRONG, ...attempt, from })).status).toBe(401);
}

describe('the webhook receiver against guessing', () => {
  const stack = useStack({ env: WEBHOOK_ENV });
  afterEach(() => vi.useRealTimers());

  it('answers every method without valid credentials with the one 401 a bad POST gets', async () => {
    const reference = await whole(await hook(stack, { from: '198.51.100.1', authorization: WRONG }));
    expect(reference.status).toBe(401);
    expect(reference.headers).toContainEqual(['www-authenticate', 'Basic realm="ncore-webhooks"']);
    let n = 0;
    for (const method of METHODS) {
      for (const authorization of [null, WRONG, 'Bearer token', basicAuth('someone', WEBHOOK.password)]) {
        // A fresh address each time, so that no lockout shapes the answer.
        const answer = await whole(await hook(stack, { from: `198.51.100.${10 + n++}`, method, authorization }));
        expect(answer, `${method} ${authorization}`).toEqual(reference);
      }
    }
  });

  it('with valid credentials, anything but POST is 405 with Allow: POST', async () => {
    for (const method of METHODS.filter((m) => m !== 'POST')) {
      const answer = await hook(stack, { from: '198.51.100.200', method });
      expect(answer.status, method).toBe(405);
      expect(answer.headers.get('allow')).toBe('POST');
    }
    expect((await hook(stack, { from: '198.51.100.200' })).status).toBe(200);
  });

  it('locks an address out after a few failures: 429 with Retry-After for anything it sends, right credentials included', async () => {
    await lockOut(stack, '192.0.2.10');
    for (const attempt of [
      { authorization: WRONG },
      { authorization: null, method: 'GET' },
      // The right pair from a locked address is refused unchecked too, so a lockout never confirms a guess.
      {},
    ]) {
      const answer = await hook(stack, { ...attempt, from: '192.0.2.10' });
      expect(answer.status).toBe(429);
      expect(Number(answer.headers.get('retry-after'))).toBe(LOGIN_THROTTLE.lockoutMs / 1000);
      expect(await answer.json()).toEqual({
        status: 'throttled',
        message: 'Too many failed logins from this address; retry later.',
      });
    }
  });

  it("never slows another address: nCore's deliveries go straight through while a guesser is locked out", async () => {
    await lockOut(stack, '192.0.2.20');
    const started = performance.now();
    for (let i = 0; i < 20; i++) expect((await hook(stack, { from: '198.51.100.77' })).status).toBe(200);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect((await hook(stack, { from: '192.0.2.20' })).status).toBe(429);
  });

  it('ends a lockout after its time, forgets failures outside the window, and forgets them all on a success', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const later = (ms: number) => vi.setSystemTime(Date.now() + ms);

    await lockOut(stack, '192.0.2.30');
    later(30_000);
    expect((await hook(stack, { from: '192.0.2.30' })).headers.get('retry-after')).toBe('30');
    later(30_000);
    expect((await hook(stack, { from: '192.0.2.30' })).status).toBe(200);

    const fail = async (from: string, times: number) => {
      for (let i = 0; i < times; i++) expect((await hook(stack, { from, authorization: WRONG })).status).toBe(401);
    };
    await fail('192.0.2.31', LOGIN_THROTTLE.failures - 1);
    later(LOGIN_THROTTLE.windowMs);
    await fail('192.0.2.31', LOGIN_THROTTLE.failures - 1);
    expect((await hook(stack, { from: '192.0.2.31' })).status).toBe(200);
    await fail('192.0.2.31', LOGIN_THROTTLE.failures - 1);
    expect((await hook(stack, { from: '192.0.2.31' })).status).toBe(200);
  });

  it('counts an IPv6 /64 as one client, and an IPv4-mapped address as its IPv4 address', async () => {
    const sameNetwork = ['2001:db8:1:2::a', '2001:db8:1:2:ffff::1', '2001:0db8:0001:0002:1:2:3:4', '2001:db8:1:2::b:c'];
    for (let i = 0; i < LOGIN_THROTTLE.failures; i++)
      expect((await hook(stack, { from: sameNetwork[i % 4]!, authorization: WRONG })).status).toBe(401);
    expect((await hook(stack, { from: '2001:db8:1:2::99' })).status).toBe(429);
    expect((await hook(stack, { from: '2001:db8:1:3::99' })).status).toBe(200);

    await lockOut(stack, '::ffff:198.51.100.250');
    expect((await hook(stack, { from: '198.51.100.250' })).status).toBe(429);
    expect((await hook(stack, { from: '198.51.100.251' })).status).toBe(200);
  });

  it('ignores X-Forwarded-For unless told how many proxies stand in front', async () => {
    for (let i = 0; i < LOGIN_THROTTLE.failures; i++) {
      const forged = { 'x-forwarded-for': `198.18.0.${i}` };
      expect((await hook(stack, { from: '192.0.2.40', authorization: WRONG, headers: forged })).status).toBe(401);
    }
    expect((await hook(stack, { from: '192.0.2.40', headers: { 'x-forwarded-for': '198.18.1.1' } })).status).toBe(429);
  });

  it('shows failed logins on /metrics as bare counts: no address, no username', async () => {
    const text = await (await stack.gateway.fetch('http://gateway.test/metrics')).text();
    const count = (outcome: string) =>
      Number(new RegExp(`^gateway_webhooks_total\\{outcome="${outcome}"\\} (\\d+)$`, 'm').exec(text)?.[1]);
    expect(count('unauthorized')).toBeGreaterThanOrEqual(28 + 6 * LOGIN_THROTTLE.failures);
    expect(count('throttled')).toBeGreaterThanOrEqual(8);
    const lines = text.split('\n').filter((line) => line.includes('webhook'));
    expect(lines.join('\n')).not.toMatch(/192\.0\.2|198\.51|2001:db8|ncore"|someone|address|user/);
    for (const line of lines.filter((l) => !l.startsWith('#')))
      expect(line).toMatch(/^gateway_webhooks_total\{outcome="\w+"\} \d+$/);
  });
});

describe('behind WEBHOOK_PROXY_HOPS=1', () => {
  const stack = useStack({ env: { ...WEBHOOK_ENV, WEBHOOK_PROXY_HOPS: '1' } });
  const PROXY = '10.0.0.2';

  it('throttles by the address the proxy saw, whatever the client wrote before it; nCore behind the same proxy is not slowed', async () => {
    for (let i = 0; i < LOGIN_THROTTLE.failures; i++) {
      const xff = { 'x-forwarded-for': `198.18.0.${i}, 192.0.2.50` };
      expect((await hook(stack, { from: PROXY, authorization: WRONG, headers: xff })).status).toBe(401);
    }
    const attacker = { 'x-forwarded-for': '203.0.113.250, 192.0.2.50' };
    expect((await hook(stack, { from: PROXY, headers: attacker })).status).toBe(429);
    const ncore = { 'x-forwarded-for': '198.51.100.5' };
    expect((await hook(stack, { from: PROXY, headers: ncore })).status).toBe(200);
    // A request that reached the gateway around the proxy counts against its own peer address.
    expect((await hook(stack, { from: '192.0.2.51' })).status).toBe(200);
  });
});

describe('a guesser on a real socket', () => {
  const stack = useStack({ env: WEBHOOK_ENV });

  it('gets a few 401s and then only 429s, however fast it sends; the right pair from elsewhere still passes', async () => {
    const url = new URL('/webhooks/ncore', await stack.listen());
    const guess = (i: number, method = 'POST') =>
      fetch(url, {
        method,
        headers: { authorization: basicAuth(WEBHOOK.username, `Guess-number-${i}-of-many!`) },
        ...(method === 'POST' ? { body: PING } : {}),
      });
    const statuses = (await Promise.all(Array.from({ length: 200 }, (_, i) => guess(i, i % 2 ? 'GET' : 'POST')))).map(
      (r) => r.status,
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(LOGIN_THROTTLE.failures);
    expect(statuses.filter((s) => s === 429)).toHaveLength(200 - LOGIN_THROTTLE.failures);
    const locked = await fetch(url, { method: 'POST', headers: { authorization: basicAuth() }, body: PING });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await hook(stack, { from: '198.51.100.99' })).status).toBe(200);
  });
});

describe('LoginThrottle', () => {
  it('remembers at most its bound of addresses, the least recently seen dropped first', () => {
    const throttle = new LoginThrottle({ ...LOGIN_THROTTLE, failures: 2, addresses: 3 });
    throttle.failed('a');
    expect(throttle.failed('a')).toBe(true);
    expect(throttle.retryAfter('a')).toBe(LOGIN_THROTTLE.lockoutMs / 1000);
    for (let i = 0; i < 1_000; i++) throttle.failed(`flood-${i}`);
    expect(throttle.size).toBe(3);
    expect(throttle.retryAfter('a')).toBe(0);
  });
});
