import {
  type Context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  TraceFlags,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { Plugin } from 'graphql-yoga';
import { requestInfo, whenOperationEnds } from './observability.ts';
import { requestSlot } from './requestSlot.ts';

/**
 * Each traced request's operation span, the context its children start from, and whether it is sampled: an
 * operation that is not gets no phase spans, no call spans (ncore/spans.ts) and no attributes, since every
 * sampler the gateway can be configured with samples a child exactly when its local parent is sampled.
 */
const operations = requestSlot<{ span: Span; context: Context; sampled: boolean }>('operationSpan');

const fromHeaders: TextMapGetter<Headers> = {
  keys: (headers) => [...headers.keys()],
  get: (headers, key) => headers.get(key) ?? undefined,
};

/**
 * A server span per GraphQL operation (installed only when the process traces), with parse, validate and execute
 * children under `TRACE_PHASES`; nCore calls add theirs (ncore/spans.ts). Its parent is what `TRACE_PROPAGATION`
 * lets the caller's headers say (telemetry.ts). Attributes come from the log line's record (observability.ts): type,
 * identifier-like name, error codes, HTTP status, nCore call count; never a header, document, variable or result.
 * Parents are passed explicitly, so no async context is tracked; an unsampled operation builds nothing more.
 */
export function useTracing(tracer: Tracer, { phases }: { phases: boolean }): Plugin<{ trace?: Context }> {
  const phase = (request: Request, name: string): Span | undefined => {
    const operation = operations.get(request);
    return operation?.sampled ? tracer.startSpan(name, undefined, operation.context) : undefined;
  };
  const sync = (name: string) => (payload: { context: { request: Request } }, wrapped: () => void) => {
    const span = phase(payload.context.request, name);
    if (!span) return wrapped();
    try {
      wrapped();
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  };
  const execute = (
    { context }: { context: { request: Request } },
    wrapped: () => Promise<void> | void,
  ): Promise<void> | void => {
    const span = phase(context.request, 'graphql.execute');
    if (!span) return wrapped();
    const done = () => span.end();
    const result = wrapped();
    if (result instanceof Promise) return result.finally(done);
    done();
    return result;
  };
  return {
    onContextBuilding({ context, extendContext }) {
      const operation = operations.get(context.request);
      if (operation) extendContext({ trace: operation.context });
    },
    instrumentation: {
      operation({ request }, wrapped) {
        const parent = propagation.extract(ROOT_CONTEXT, request.headers, fromHeaders);
        const span = tracer.startSpan(
          'GraphQL operation',
          { kind: SpanKind.SERVER, startTime: performance.timeOrigin + requestInfo(request).started },
          parent,
        );
        const sampled = (span.spanContext().traceFlags & TraceFlags.SAMPLED) !== 0;
        operations.set(request, { span, context: trace.setSpan(parent, span), sampled });
        return wrapped();
      },
      // Left out when off, rather than made to do nothing: each instrumented phase costs a wrapper per operation.
      ...(phases && { parse: sync('graphql.parse'), validate: sync('graphql.validate'), execute }),
    },
    onResponse({ request, response }) {
      const operation = operations.get(request);
      if (!operation) return;
      operations.set(request, undefined);
      const { status } = response;
      whenOperationEnds(request, () => finish(operation.span, requestInfo(request), status));
    },
  };
}

/**
 * The operation span's attributes, read from the log line's record, and its end: with the operation's last part.
 * A span that records nothing (not sampled) is left alone: there is nothing to end.
 */
function finish(span: Span, info: ReturnType<typeof requestInfo>, status: number): void {
  if (!span.isRecording()) return;
  const codes = [...new Set(info.errorCodes)];
  const outcome = codes[0] ?? 'OK';
  if (info.operationType) {
    span.setAttribute('graphql.operation.type', info.operationType);
    if (info.operationName) span.setAttribute('graphql.operation.name', info.operationName);
    span.updateName(info.operationName ? `${info.operationType} ${info.operationName}` : info.operationType);
  }
  span.setAttribute('graphql.outcome', outcome);
  if (codes.length) span.setAttribute('graphql.error.codes', codes);
  span.setAttribute('http.response.status_code', status);
  span.setAttribute('ncore.calls', info.upstreamCalls?.() ?? 0);
  if (codes.length) span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
  span.end();
}
