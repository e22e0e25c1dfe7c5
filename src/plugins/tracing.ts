import {
  type Context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { Plugin } from 'graphql-yoga';
import { requestInfo, whenOperationEnds } from './observability.ts';
import { requestSlot } from './requestSlot.ts';

/** Each traced request's operation span and the context its children start from. */
const operations = requestSlot<{ span: Span; context: Context }>('operationSpan');

const fromHeaders: TextMapGetter<Headers> = {
  keys: (headers) => [...headers.keys()],
  get: (headers, key) => headers.get(key) ?? undefined,
};

/**
 * OpenTelemetry spans: one server span per GraphQL operation, with parse, validate and execute as its children;
 * nCore calls add theirs (ncore/spans.ts). Installed only when the process traces, so a gateway without a
 * collector pays nothing. The parent is what the process's propagator reads of the caller's headers, which
 * `TRACE_PROPAGATION` decides (telemetry.ts): by default the caller's trace id and parent only, never its sampled
 * flag, tracestate or baggage. Attributes are the operation's shape and outcome, read from the same record as the
 * log line (observability.ts): the type, a name only if it is identifier-like, the error codes, the HTTP status and
 * the nCore call count; never a header, the document, a variable, a result or an error message.
 *
 * Parents are passed explicitly rather than through an active context, so tracing needs no async context
 * tracking on the request path.
 */
export function useTracing(tracer: Tracer): Plugin<{ trace?: Context }> {
  const phase = (request: Request, name: string): Span | undefined => {
    const operation = operations.get(request);
    return operation && tracer.startSpan(name, undefined, operation.context);
  };
  const sync = (name: string) => (payload: { context: { request: Request } }, wrapped: () => void) => {
    const span = phase(payload.context.request, name);
    try {
      wrapped();
    } catch (error) {
      span?.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span?.end();
    }
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
        operations.set(request, { span, context: trace.setSpan(parent, span) });
        return wrapped();
      },
      parse: sync('graphql.parse'),
      validate: sync('graphql.validate'),
      execute({ context }, wrapped) {
        const span = phase((context as { request: Request }).request, 'graphql.execute');
        const done = () => span?.end();
        const result = wrapped();
        if (result instanceof Promise) return result.finally(done);
        done();
        return result;
      },
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

/** The operation span's attributes, read from the log line's record, and its end: with the operation's last part. */
function finish(span: Span, info: ReturnType<typeof requestInfo>, status: number): void {
  const codes = [...new Set(info.errorCodes)];
  const outcome = codes[0] ?? 'OK';
  if (info.operationType) {
    span.setAttribute('graphql.operation.type', info.operationType);
    if (info.operationName) span.setAttribute('graphql.operation.name', info.operationName);
    span.updateName([info.operationType, info.operationName].filter(Boolean).join(' '));
  }
  span.setAttribute('graphql.outcome', outcome);
  if (codes.length) span.setAttribute('graphql.error.codes', codes);
  span.setAttribute('http.response.status_code', status);
  span.setAttribute('ncore.calls', info.upstreamCalls?.() ?? 0);
  if (codes.length) span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
  span.end();
}
