import { createHash, timingSafeEqual } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { readCapped } from '../server/body.ts';
import type { EventBus } from './bus.ts';
import type { EventMetrics, WebhookOutcome } from './metrics.ts';
import { readWebhook } from './payload.ts';

/** Where nCore's webhook is pointed. */
export const WEBHOOK_PATH = '/webhooks/ncore';
/** A user event with its user is a few KB; anything far larger is not one. */
export const MAX_WEBHOOK_BYTES = 256 * 1024;

export interface ReceiverOptions {
  /** The Basic Auth pair nCore sends; undefined turns the receiver off (404). */
  credentials: { username: string; password: string } | undefined;
  bus: EventBus;
  metrics: EventMetrics;
  logger: Logger;
}

/**
 * `POST /webhooks/ncore`: nCore's webhook. Checks Basic Auth in constant time (401), reads at most
 * MAX_WEBHOOK_BYTES (413), wants a JSON object (400), answers nCore's ping and other event types with 200
 * and does nothing, and for a user event claims its token (a repeat answers 200 and goes no further),
 * publishes it and answers 202, before any subscriber hears of it. When the token store or the bus cannot
 * be reached the answer is 503, so nCore retries. Answers before the GraphQL plugins, as nCore is no
 * GraphQL client.
 */
export function useWebhookReceiver({ credentials, bus, metrics, logger }: ReceiverOptions): Plugin {
  const expected = credentials && digest(`${credentials.username}:${credentials.password}`);
  const receive = async ({ request, endResponse, fetchAPI }: Parameters<NonNullable<Plugin['onRequest']>>[0]) => {
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
    if (request.method !== 'POST')
      return answer(405, { status: 'method_not_allowed', message: 'Use POST.' }, { allow: 'POST' });
    if (!timingSafeEqual(digest(basicCredentials(request)), expected)) {
      return outcome('unauthorized', 401, 'Basic Auth credentials are missing or wrong.', {
        'www-authenticate': 'Basic realm="ncore-webhooks"',
      });
    }
    // A body cut off mid-way (the sender gave up) is treated as unreadable, never as a server error.
    const raw = await readCapped(request, MAX_WEBHOOK_BYTES).catch(() => null);
    if (raw === null) return outcome('invalid', 400, 'The body could not be read.');
    if (raw === undefined) return outcome('too_large', 413, `The body is larger than ${MAX_WEBHOOK_BYTES} bytes.`);
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
