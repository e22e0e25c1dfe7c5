import { randomUUID } from 'node:crypto';
import { type GraphQLError, getOperationAST } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { refusalCode } from '../errors.ts';
import type { RequestContext } from '../operation/context.ts';
import { requestSlot } from './requestSlot.ts';

/** What the gateway remembers of one HTTP request while it is answered. */
export interface RequestInfo {
  readonly id: string;
  readonly started: number;
  /**
   * The caller's W3C traceparent when well-formed, for nCore's calls when the process traces nothing; what of it
   * nCore hears is `TRACE_PROPAGATION`'s to say (ncore/http.ts). Never logged, never a span attribute.
   */
  readonly traceparent: string | undefined;
  operationName?: string;
  operationType?: string;
  upstreamCalls?: () => number;
  /** Time the operation's nCore calls waited for their tenant's turns (`NCORE_RATE_LIMIT`), when any took one. */
  rateWaitMs?: () => number | undefined;
  /** Reads served without an nCore call of the operation's own: from the cache, or another's call in flight. */
  cacheHits?: () => number;
  errorCodes: string[];
  /**
   * An incremental answer (`@defer`, `@stream`) whose last part is not sent yet: the response is out but the
   * operation is not done, so its line waits for the end, holding the response's status until then.
   */
  incremental?: { ended: boolean; status?: number; finishers: (() => void)[] };
}

/**
 * Runs `done` when the request's operation is over: at once, or when the last part of an incremental answer is
 * sent (or its client went away). For what closes with the operation (its span), not with its first part.
 */
export function whenOperationEnds(request: Request, done: () => void): void {
  const incremental = requests.get(request)?.incremental;
  if (incremental && !incremental.ended) incremental.finishers.push(done);
  else done();
}

/** Kept on the request object itself, so nothing outlives the request or crosses to another. */
const requests = requestSlot<RequestInfo>('requestInfo');

/** A caller's request id is kept only if it is short and printable, so it is safe in logs and headers. */
const REQUEST_ID = /^[\w.:-]{1,128}$/;
const SAFE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** W3C Trace Context's form: version ff and all-zero trace or parent ids are invalid there. */
const TRACEPARENT = /^(?!ff)[0-9a-f]{2}-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;

const NO_CODES: readonly string[] = [];

/** The request's info; created on first sight. */
export function requestInfo(request: Request): RequestInfo {
  let info = requests.get(request);
  if (!info) {
    const callerId = request.headers.get('x-request-id') ?? '';
    const traceparent = request.headers.get('traceparent') ?? '';
    info = {
      id: callerId && REQUEST_ID.test(callerId) ? callerId : randomUUID(),
      started: performance.now(),
      traceparent: TRACEPARENT.test(traceparent) ? traceparent : undefined,
      errorCodes: [],
    };
    requests.set(request, info);
  }
  return info;
}

/**
 * Request ids and the one log line per operation: id, operation name and type, status, duration, nCore calls
 * and error codes. Never variables, results or messages, which may hold personal data. An incremental answer
 * (`@defer`, `@stream`) is logged when its last part is sent (or its client goes away), so the duration, calls and
 * codes are the whole operation's, not its first part's.
 */
export function useObservability(logger: Logger): Plugin<Partial<RequestContext>> {
  return {
    onRequest({ request }) {
      requestInfo(request);
    },
    onContextBuilding({ context, extendContext }) {
      const { id, traceparent } = requestInfo(context.request);
      extendContext({ requestId: id, traceparent });
    },
    onExecute({ args }) {
      const info = requestInfo(args.contextValue.request);
      const operation = getOperationAST(args.document, args.operationName);
      // Names are the client's free text: only a short identifier-like one is logged.
      const name = operation?.name?.value;
      info.operationName = name === undefined ? undefined : SAFE_NAME.test(name) ? name : '[unlogged name]';
      info.operationType = operation?.operation;
      const { ncore, loaders } = args.contextValue;
      info.upstreamCalls = () => ncore?.calls ?? 0;
      info.rateWaitMs = () => ncore?.rateWaitMs;
      info.cacheHits = () => loaders?.cacheHits ?? 0;
      return {
        onExecuteDone({ result }) {
          if (!isAsyncIterable(result)) return;
          // Yoga's result processing sees the stream, not its parts: their codes are read here, and the line
          // is written when the last part is sent or the client goes away (see onResponse).
          const incremental: NonNullable<RequestInfo['incremental']> = { ended: false, finishers: [] };
          info.incremental = incremental;
          return {
            onNext({ result: part }) {
              collectCodes(info, [part]);
              for (const increment of (part as Increments).incremental ?? []) collectCodes(info, [increment]);
            },
            onEnd() {
              incremental.ended = true;
              if (incremental.status !== undefined) logLine(logger, info, incremental.status);
              for (const done of incremental.finishers) done();
            },
          };
        },
      };
    },
    onResultProcess({ request, result }) {
      collectCodes(requestInfo(request), Array.isArray(result) ? result : [result]);
    },
    onResponse({ request, response }) {
      const info = requests.get(request);
      if (!info) return;
      response.headers.set('x-request-id', info.id);
      // Refused before any operation existed (auth, body guard): the request still gets its one line.
      const refused = refusalCode(response);
      if (refused) info.errorCodes.push(refused);
      // GraphiQL's page and other non-operations are not logged.
      if (!info.operationType && info.errorCodes.length === 0) return;
      const { incremental } = info;
      if (incremental && !incremental.ended) {
        incremental.status = response.status;
        return;
      }
      logLine(logger, info, response.status);
    },
  };
}

/** The later parts of an incremental answer carry their errors in each increment. */
type Increments = { incremental?: readonly { errors?: readonly GraphQLError[] }[] };

function collectCodes(info: RequestInfo, results: readonly unknown[]): void {
  for (const r of results) {
    const errors = (r as { errors?: readonly GraphQLError[] }).errors ?? [];
    for (const e of errors) info.errorCodes.push(String(e.extensions?.['code'] ?? 'UNKNOWN'));
  }
}

function logLine(logger: Logger, info: RequestInfo, status: number): void {
  const rateWaitMs = info.rateWaitMs?.();
  logger.info(
    {
      requestId: info.id,
      operation: info.operationName ?? null,
      type: info.operationType ?? null,
      status,
      durationMs: Math.round((performance.now() - info.started) * 100) / 100,
      upstreamCalls: info.upstreamCalls?.() ?? 0,
      // Absent (pino leaves undefined out) unless a call took a turn of the governor.
      rateWaitMs: rateWaitMs === undefined ? undefined : Math.round(rateWaitMs),
      cacheHits: info.cacheHits?.() ?? 0,
      errorCodes: info.errorCodes.length ? [...new Set(info.errorCodes)] : NO_CODES,
    },
    'graphql operation',
  );
}
