import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIPv6 } from 'node:net';
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { readCapped } from '../server/body.ts';
import type { EventBus } from './bus.ts';
import type { EventMetrics, WebhookOutcome } from './metrics.ts';
import { readWebhook } from './payload.ts';

/** Where nCore's webhook is pointed. */
export const WEBHOOK_PATH = '/webhooks/ncore';
/** A user event with its user is a few KB; anything far larger is not one. */
export const MAX_WEBHOOK_BYTES = 256 * 1024;

/**
 * Failed logins one client address may make within `windowMs` before it is refused for `lockoutMs`; at most
 * `addresses` are remembered (least recently seen dropped first), so a flood of addresses costs bounded memory.
 */
export const LOGIN_THROTTLE: ThrottleLimits = { failures: 5, windowMs: 60_000, lockoutMs: 60_000, addresses: 10_000 };

export interface ThrottleLimits {
  readonly failures: number;
  readonly windowMs: number;
  readonly lockoutMs: number;
  readonly addresses: number;
}

export interface ReceiverOptions {
  /**
   * The Basic Auth pair nCore sends, and the reverse proxies in front (for the client's address); undefined turns
   * the receiver off (404).
   */
  credentials: { username: string; password: string; proxyHops?: number } | undefined;
  bus: EventBus;
  metrics: EventMetrics;
  logger: Logger;
}

/**
 * `POST /webhooks/ncore`: nCore's webhook. Any method without valid credentials gets the same 401 (so a probe
 * learns nothing from the method), Basic Auth compared in constant time; with them, anything but POST is 405.
 * An address with LOGIN_THROTTLE.failures failed logins in a window is answered 429 with `Retry-After`, its
 * credentials unchecked (a lockout never tells a right guess from a wrong one), until the lockout ends; other
 * addresses, nCore's among them, are not slowed at all. Then: reads at most MAX_WEBHOOK_BYTES (413), wants a JSON
 * object (400), answers nCore's ping and other event types with 200 and does nothing, and for a user event claims
 * its token (a repeat answers 200 and goes no further), publishes it and answers 202, before any subscriber hears
 * of it. When the token store or the bus cannot be reached the answer is 503, so nCore retries. Answers before the
 * GraphQL plugins, as nCore is no GraphQL client.
 */
export function useWebhookReceiver({ credentials, bus, metrics, logger }: ReceiverOptions): Plugin {
  const expected = credentials && digest(`${credentials.username}:${credentials.password}`);
  const proxyHops = credentials?.proxyHops ?? 0;
  const throttle = new LoginThrottle();
  const receive = async ({
    request,
    serverContext,
    endResponse,
    fetchAPI,
  }: Parameters<NonNullable<Plugin['onRequest']>>[0]) => {
    const answer = (status: number, body: Record<string, string>, headers: Record<string, string> = {}) =>
      endResponse(
        new fetchAPI.Response(JSON.stringify(body), {
          status,
          headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
        }),
      );
    const outcome = (what: WebhookOutcome, status: number, message: string, headers?: Record<string, string>) => {
      metrics.webhook(what);
      answer(status, { status: what, message }, headers);
    };
    if (!expected) return answer(404, { status: 'not_found', message: 'No webhook receiver is configured here.' });
    const address = clientAddress(request, serverContext, proxyHops);
    const wait = throttle.retryAfter(address);
    if (wait > 0)
      return outcome('throttled', 429, 'Too many failed logins from this address; retry later.', {
        'retry-after': String(wait),
      });
    if (!timingSafeEqual(digest(basicCredentials(request)), expected)) {
      if (throttle.failed(address)) logger.warn({ lockoutMs: LOGIN_THROTTLE.lockoutMs }, 'webhook logins locked out');
      return outcome('unauthorized', 401, 'Basic Auth credentials are missing or wrong.', {
        'www-authenticate': 'Basic realm="ncore-webhooks"',
      });
    }
    throttle.succeeded(address);
    if (request.method !== 'POST')
      return answer(405, { status: 'method_not_allowed', message: 'Use POST.' }, { allow: 'POST' });
    // A body cut off mid-way (the sender gave up) is treated as unreadable, never as a server error.
    const raw = await readCapped(request, MAX_WEBHOOK_BYTES).catch(() => null);
    if (raw === null) return outcome('invalid', 400, 'The body could not be read.');
    // The rest of the body is read and thrown away (server/drain.ts), then the connection closes.
    if (raw === undefined)
      return outcome('too_large', 413, `The body is larger than ${MAX_WEBHOOK_BYTES} bytes.`, { connection: 'close' });
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return outcome('invalid', 400, 'The body must be a JSON object.');
    }
    const reading = readWebhook(body, raw);
    if (reading.kind === 'invalid') return outcome('invalid', 400, reading.reason);
    if (reading.kind === 'ping') return outcome('ping', 200, 'pong');
    if (reading.kind === 'ignored') return outcome('ignored', 200, 'Not a user event: ignored.');

    const { event } = reading;
    try {
      if (!(await bus.dedup.claim(event.id))) return outcome('duplicate', 200, 'Already received.');
      try {
        await bus.publish(event);
      } catch (error) {
        // Forget the token, or nCore's retry of an event nobody heard would be dropped as a duplicate.
        await bus.dedup.release(event.id).catch(() => {});
        throw error;
      }
    } catch (error) {
      logger.warn({ error: (error as Error).name, type: event.type }, 'webhook event not published; nCore will retry');
      return outcome('unavailable', 503, 'Events cannot be published right now; retry.', { 'retry-after': '1' });
    }
    logger.debug({ eventId: event.id, type: event.type }, 'webhook event accepted');
    return outcome('accepted', 202, 'Accepted.');
  };
  return {
    // Not async: every request passes this hook, and only the webhook's should pay for a promise.
    onRequest(payload) {
      if (payload.url.pathname === WEBHOOK_PATH) return receive(payload);
    },
  };
}

/** `user:password` from `Authorization: Basic`, or '' (which matches no configured pair). */
function basicCredentials(request: Request): string {
  const match = /^Basic\s+([A-Za-z0-9+/=]{1,1024})$/i.exec(request.headers.get('authorization') ?? '');
  return match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '';
}

/** Equal-length digests, so the comparison's time says nothing about the credentials. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

interface Failures {
  count: number;
  since: number;
  lockedUntil: number;
}

/** Failed logins per client address (see LOGIN_THROTTLE), on the wall clock. */
export class LoginThrottle {
  readonly #addresses: LRUCache<string, Failures>;

  constructor(private readonly limits: ThrottleLimits = LOGIN_THROTTLE) {
    this.#addresses = new LRUCache({ max: limits.addresses });
  }

  /** Whole seconds until `address` may try again; 0 when it is not locked out. */
  retryAfter(address: string): number {
    const left = (this.#addresses.get(address)?.lockedUntil ?? 0) - Date.now();
    return left > 0 ? Math.ceil(left / 1000) : 0;
  }

  /** Counts a failure; true when it is the one that locks the address out. */
  failed(address: string): boolean {
    const now = Date.now();
    let failures = this.#addresses.get(address);
    if (
      !failures ||
      now - failures.since >= this.limits.windowMs ||
      (failures.lockedUntil && failures.lockedUntil <= now)
    )
      failures = { count: 0, since: now, lockedUntil: 0 };
    failures.count++;
    this.#addresses.set(address, failures);
    if (failures.count < this.limits.failures) return false;
    failures.lockedUntil = now + this.limits.lockoutMs;
    return true;
  }

  /** Right credentials: the address's failures are forgotten. */
  succeeded(address: string): void {
    this.#addresses.delete(address);
  }

  /** Addresses remembered. */
  get size(): number {
    return this.#addresses.size;
  }
}

/**
 * The address a request's failures count against: the socket's peer, or with `hops` reverse proxies in front, the
 * `X-Forwarded-For` entry the outermost of them added (entries before it are the client's to write).
 */
function clientAddress(request: Request, serverContext: unknown, hops: number): string {
  const peer = (serverContext as { req?: IncomingMessage } | undefined)?.req?.socket?.remoteAddress ?? 'unknown';
  if (hops === 0) return addressKey(peer);
  const forwarded = (request.headers.get('x-forwarded-for') ?? '').split(',').map((entry) => entry.trim());
  const chain = [...forwarded.filter(Boolean), peer];
  return addressKey(chain[Math.max(0, chain.length - 1 - hops)]!);
}

/**
 * One key per client: an IPv4 address (IPv4-mapped IPv6 included), or an IPv6 address's /64, which one host
 * is usually given whole and could otherwise walk through. Anything else is kept short as it is.
 */
function addressKey(raw: string): string {
  const address = raw
    .replace(/^\[(.*)\](?::\d+)?$/, '$1')
    .replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, '$1')
    .replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address.slice(0, 64);
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined ? left : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}
