import { randomUUID } from 'node:crypto';
import { USER_EVENT_TYPES, type WireUser } from '../contract/types.ts';
import { type FieldViolation, isPlainObject } from '../contract/validation.ts';
import { ApiError } from './errors.ts';
import type { Delivery, WebhookFault, WebhookRegistration, WebhookRetry } from './types.ts';

/** The user event types a webhook may ask for (the simulator serves users only). */
const WEBHOOK_EVENTS = USER_EVENT_TYPES;

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/;
/** Headers a registration may not set: the delivery's own. */
const RESERVED_HEADERS = new Set(['authorization', 'content-type', 'content-length', 'host', 'transfer-encoding']);
const ATTEMPT_TIMEOUT_MS = 5_000;
const DEFAULT_RETRY: WebhookRetry = { baseMs: 200, maxMs: 10_000, maxAttempts: 10 };

/**
 * Registered webhooks and their deliveries, as nCore makes them: a POST of JSON with Basic Auth and the
 * custom headers, retried with exponential backoff until a 2xx (or `maxAttempts`). Faults: `duplicate`
 * sends every event twice, `lost-ack` treats the first attempt's 2xx as a failure, so the same event is
 * delivered again, as when an acknowledgement is lost on the way back.
 */
export class Webhooks {
  readonly registrations: WebhookRegistration[] = [];
  readonly deliveries: Delivery[] = [];
  fault: WebhookFault = 'none';
  readonly #timers = new Set<NodeJS.Timeout>();
  /** Bumped by clear(): an attempt under way for an earlier generation neither sends nor retries. */
  #generation = 0;
  #closed = false;

  constructor(private readonly retry: WebhookRetry = DEFAULT_RETRY) {}

  /** Validates and stores a registration body (`POST /webhooks`); the refusal lists every problem. */
  register(body: unknown): WebhookRegistration {
    const violations = validateRegistration(body);
    if (violations.length) throw new ApiError(400, 'VALIDATION_ERROR', 'Invalid request body', violations);
    const input = body as Omit<WebhookRegistration, 'id' | 'created' | 'modified'>;
    const now = new Date().toISOString();
    const registration: WebhookRegistration = {
      id: randomUUID(),
      endpoint: input.endpoint,
      events: [...input.events],
      config: structuredClone(input.config ?? {}),
      created: now,
      modified: now,
    };
    this.registrations.push(registration);
    this.#send(registration, { event: 'PING', event_token: randomUUID(), created: now }, 1);
    return registration;
  }

  /** Delivers a user event to every registration that asked for its type. */
  emit(type: (typeof WEBHOOK_EVENTS)[number], user: WireUser, extra: Record<string, unknown> = {}): void {
    const body = {
      event: type,
      event_token: randomUUID(),
      created: new Date().toISOString(),
      user_id: user.id,
      ...extra,
      user: structuredClone(user),
    };
    for (const registration of this.registrations) {
      if (!registration.events.includes(type)) continue;
      this.#send(registration, body, this.retry.maxAttempts);
      if (this.fault === 'duplicate') this.#send(registration, body, this.retry.maxAttempts);
    }
  }

  clear(): void {
    this.#generation += 1;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.registrations.splice(0);
    this.deliveries.splice(0);
    this.fault = 'none';
  }

  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  #send(registration: WebhookRegistration, body: Record<string, unknown>, maxAttempts: number): void {
    const delivery: Delivery = {
      webhookId: registration.id,
      event: String(body['event']),
      eventToken: String(body['event_token']),
      attempts: [],
      delivered: false,
    };
    this.deliveries.push(delivery);
    const { basic_auth_username: user, basic_auth_password: password, custom_headers = [] } = registration.config;
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'ncore-simulator' };
    for (const { header_name, header_value } of custom_headers) headers[header_name.toLowerCase()] = header_value;
    if (user !== undefined)
      headers['authorization'] = `Basic ${Buffer.from(`${user}:${password ?? ''}`).toString('base64')}`;
    const text = JSON.stringify(body);
    const loseFirstAck = this.fault === 'lost-ack';
    const generation = this.#generation;
    const gone = () => this.#closed || generation !== this.#generation;

    const attempt = async (n: number): Promise<void> => {
      if (gone()) return;
      let status: number | null = null;
      try {
        const response = await fetch(registration.endpoint, {
          method: 'POST',
          headers,
          body: text,
          signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
        });
        status = response.status;
        await response.arrayBuffer().catch(() => {});
      } catch {
        // No answer: a refused connection, a reset or a timeout; retried like a non-2xx.
      }
      delivery.attempts.push({ at: Date.now(), status });
      const ok = status !== null && status >= 200 && status < 300 && !(loseFirstAck && n === 1);
      if (ok) {
        delivery.delivered = true;
        return;
      }
      if (n >= maxAttempts || gone()) return;
      const wait = Math.min(this.retry.maxMs, this.retry.baseMs * 2 ** (n - 1));
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        void attempt(n + 1);
      }, wait);
      this.#timers.add(timer);
    };
    void attempt(1);
  }
}

function validateRegistration(body: unknown): FieldViolation[] {
  if (!isPlainObject(body)) return [{ field: '', message: 'must be a JSON object' }];
  const problems: FieldViolation[] = [];
  for (const key of Object.keys(body))
    if (!['endpoint', 'events', 'config'].includes(key)) problems.push({ field: key, message: 'is not a known field' });
  const { endpoint, events, config } = body;
  if (typeof endpoint !== 'string' || endpoint.length > 2048 || !isHttpUrl(endpoint))
    problems.push({ field: 'endpoint', message: 'must be an http(s) URL of at most 2048 characters' });
  if (!Array.isArray(events) || events.length === 0)
    problems.push({ field: 'events', message: 'must list at least one event type' });
  else {
    events.forEach((event, i) => {
      if (!(WEBHOOK_EVENTS as readonly unknown[]).includes(event))
        problems.push({ field: `events[${i}]`, message: `must be one of ${WEBHOOK_EVENTS.join(', ')}` });
    });
    if (new Set(events).size !== events.length) problems.push({ field: 'events', message: 'must not repeat a type' });
  }
  if (config !== undefined) problems.push(...validateConfig(config));
  return problems;
}

function validateConfig(config: unknown): FieldViolation[] {
  if (!isPlainObject(config)) return [{ field: 'config', message: 'must be an object' }];
  const problems: FieldViolation[] = [];
  const allowed = ['basic_auth_username', 'basic_auth_password', 'custom_headers'];
  for (const key of Object.keys(config))
    if (!allowed.includes(key)) problems.push({ field: `config.${key}`, message: 'is not a known field' });
  const { basic_auth_username: user, basic_auth_password: password, custom_headers: headers } = config;
  if (user !== undefined && (typeof user !== 'string' || user.length < 1 || user.length > 255 || user.includes(':')))
    problems.push({ field: 'config.basic_auth_username', message: 'must be 1 to 255 characters without ":"' });
  if (password !== undefined && (typeof password !== 'string' || password.length < 1 || password.length > 255))
    problems.push({ field: 'config.basic_auth_password', message: 'must be 1 to 255 characters' });
  if ((user === undefined) !== (password === undefined))
    problems.push({ field: 'config', message: 'basic_auth_username and basic_auth_password go together' });
  if (headers === undefined) return problems;
  if (!Array.isArray(headers) || headers.length > 10)
    return [...problems, { field: 'config.custom_headers', message: 'must be a list of at most 10 headers' }];
  headers.forEach((header: unknown, i) => {
    const at = `config.custom_headers[${i}]`;
    if (!isPlainObject(header) || Object.keys(header).some((k) => k !== 'header_name' && k !== 'header_value')) {
      problems.push({ field: at, message: 'must be {header_name, header_value}' });
      return;
    }
    const { header_name: name, header_value: value } = header;
    if (typeof name !== 'string' || !HEADER_NAME.test(name) || RESERVED_HEADERS.has(name.toLowerCase()))
      problems.push({ field: `${at}.header_name`, message: 'must be a header name the delivery does not set itself' });
    if (typeof value !== 'string' || value.length > 1024 || /[\r\n\0]/.test(value))
      problems.push({ field: `${at}.header_value`, message: 'must be at most 1024 characters on one line' });
  });
  return problems;
}

function isHttpUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** A registration as the API shows it: the password is never echoed. */
export function shown(registration: WebhookRegistration): WebhookRegistration {
  const { basic_auth_password, ...config } = registration.config;
  return {
    ...registration,
    config: basic_auth_password === undefined ? config : { ...config, basic_auth_password: '********' },
  };
}
