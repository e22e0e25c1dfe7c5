import type { IncomingMessage, ServerResponse } from 'node:http';
import { isJsonContentType, readBody, tryParseJson } from './body.ts';
import { CONTROL_PATH, control } from './control.ts';
import { ApiError, errorBodyForStatus, NOT_FOUND_MESSAGE } from './errors.ts';
import { drawLatency, type FaultBook } from './faults.ts';
import { OPERATIONS } from './handlers.ts';
import { fingerprint, type IdempotencyRecords } from './idempotency.ts';
import type { QuotaBook } from './quota.ts';
import { send, sendError, sendFault } from './respond.ts';
import { matchRoute, type RouteMatch } from './router.ts';
import type { UserStore } from './store.ts';
import type { Latency, LoggedRequest } from './types.ts';
import type { Webhooks } from './webhooks.ts';

/** What the request pipeline reads from the running simulator. */
export interface PipelineState {
  apiKey: string;
  store(): UserStore;
  faults: FaultBook;
  idempotency: IdempotencyRecords;
  webhooks: Webhooks;
  /** nCore's per-key quota, when one is set (`quota` option, `PUT /_sim/quota`). */
  quota: QuotaBook;
  latency?: Latency;
  openapi: string;
  log(entry: LoggedRequest): void;
  /** Resolves after `ms`, or never once the simulator is closing. */
  sleep(ms: number): Promise<void>;
}

const IDEMPOTENCY_HEADER = 'x-nymos-idempotency-key';
const LOGGED_HEADERS = [
  'apikey',
  'content-type',
  IDEMPOTENCY_HEADER,
  'x-request-id',
  'traceparent',
  'tracestate',
  'baggage',
] as const;

/**
 * Answers one request: log it, read its body, apply latency and faults, then authenticate, route,
 * check the body and run the operation. Every refusal is a 4xx with the contract's error body.
 */
export async function handleRequest(state: PipelineState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const match = matchRoute(method, path);
  const entry: LoggedRequest = {
    method,
    path,
    route: match.kind === 'route' ? match.route : null,
    params: match.kind === 'route' ? match.params : {},
    query: q === -1 ? {} : parseQuery(url.slice(q + 1)),
    body: undefined,
    headers: pickHeaders(req),
    at: Date.now(),
  };
  state.log(entry);
  try {
    await respondTo(state, match, entry, req, res);
  } catch {
    sendInternalError(res, entry);
  }
}

async function respondTo(
  state: PipelineState,
  match: RouteMatch,
  entry: LoggedRequest,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const read = await readBody(req);
  if (read.kind === 'aborted') return;
  if (read.kind === 'too-large') {
    const error = new ApiError(413, 'PAYLOAD_TOO_LARGE', 'The request body is larger than 1 MB');
    sendError(res, entry, error);
    if (read.destroy) req.socket.destroy();
    return;
  }
  entry.body = tryParseJson(read.text);

  // nCore counts a key's calls against its quota as they arrive: a call over it is refused at once and does nothing.
  if (match.kind === 'route' && !match.public && entry.headers.apikey === state.apiKey) {
    const wait = state.quota.take(state.apiKey);
    if (wait > 0) {
      entry.overQuota = true;
      const headers = { 'retry-after': String(wait) };
      return sendError(
        res,
        entry,
        new ApiError(429, 'TOO_MANY_REQUESTS', 'Request Attempt Exceed', undefined, headers),
      );
    }
  }

  if (state.latency !== undefined) await state.sleep(drawLatency(state.latency));
  const fault = state.faults.take(entry);
  if (fault?.kind === 'latency') await state.sleep(drawLatency(fault.ms));
  else if (fault && !fault.afterCommit) return sendFault(req, res, entry, fault);

  let result: Reply;
  try {
    result = answer(state, match, entry, read.text);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    result = { status: error.status, body: JSON.stringify(error.toBody()), headers: error.headers };
  }
  // An after-commit fault loses the answer of an operation that did take effect.
  if (fault && fault.kind !== 'latency') return sendFault(req, res, entry, fault);
  send(res, entry, result.status, result.body, result.headers);
}

/** The answer an operation produced, before it is sent (or lost to an after-commit fault). */
interface Reply {
  status: number;
  body: string;
  headers?: Record<string, string | number>;
}

function answer(state: PipelineState, match: RouteMatch, entry: LoggedRequest, text: string): Reply {
  const isPublic = match.kind !== 'not-found' && match.public;
  if (!isPublic && entry.headers.apikey !== state.apiKey) {
    throw new ApiError(401, 'UNAUTHORIZED', 'Missing or invalid API key');
  }
  if (match.kind === 'not-found' && entry.path.startsWith(`${CONTROL_PATH}/`)) {
    if (entry.method === 'POST' || entry.method === 'PUT') checkBody(entry, text);
    return control(state.store(), state.webhooks, state.quota, entry);
  }
  if (match.kind === 'not-found') throw new ApiError(404, 'NOT_FOUND', `${NOT_FOUND_MESSAGE}: no such path`);
  if (match.kind === 'method-not-allowed') {
    throw new ApiError(405, 'METHOD_NOT_ALLOWED', `Use ${match.allow} on this path`, undefined, {
      allow: match.allow,
    });
  }
  const route = match.route;
  // The document is public (no key needed), like the real API's published specification.
  if (route === 'openapi') return { status: 200, body: state.openapi };
  if (entry.method === 'POST' || entry.method === 'PUT') checkBody(entry, text);

  // Only POSTs are idempotent by key; PUT is idempotent by nature.
  const key = entry.method === 'POST' ? entry.headers[IDEMPOTENCY_HEADER] : undefined;
  const print = key === undefined ? '' : fingerprint(entry.method, entry.path, entry.body);
  if (key !== undefined) {
    const seen = state.idempotency.lookup(key, print);
    if (seen.kind === 'replay') return { status: seen.answer.status, body: seen.answer.body };
    if (seen.kind === 'conflict') {
      throw new ApiError(
        409,
        'DUPLICATE_REQUEST',
        'Duplicate Request: this idempotency key was used for a different request',
      );
    }
  }
  const request = { params: entry.params, query: entry.query, body: entry.body };
  const result = OPERATIONS[route](state.store(), request, state.webhooks);
  if (key !== undefined) state.idempotency.remember(key, print, { status: result.status, body: result.json });
  return { status: result.status, body: result.json };
}

function checkBody(entry: LoggedRequest, text: string): void {
  const contentType = entry.headers['content-type'];
  if (contentType !== undefined && !isJsonContentType(contentType)) {
    throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'The request body must be application/json');
  }
  if (text.trim() === '') throw new ApiError(400, 'INVALID_JSON', 'A JSON request body is required');
  if (contentType === undefined) {
    throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'The request body must be application/json');
  }
  if (entry.body === undefined) throw new ApiError(400, 'INVALID_JSON', 'The request body is not valid JSON');
}

function parseQuery(search: string): Record<string, string> {
  const first = new Map<string, string>();
  // The first value of a repeated parameter wins, as with URLSearchParams.get.
  for (const [key, value] of new URLSearchParams(search)) if (!first.has(key)) first.set(key, value);
  // fromEntries defines own properties, so a `__proto__` parameter stays a plain key.
  return Object.fromEntries(first);
}

function pickHeaders(req: IncomingMessage): LoggedRequest['headers'] {
  const headers: LoggedRequest['headers'] = {};
  for (const name of LOGGED_HEADERS) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

// The last resort for a bug: a logged 500 with the error shape instead of a crashed process.
function sendInternalError(res: ServerResponse, entry: LoggedRequest): void {
  if (res.headersSent) res.destroy();
  else send(res, entry, 500, JSON.stringify(errorBodyForStatus(500)));
}
