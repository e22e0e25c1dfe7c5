import {
  type Context,
  isSpanContextValid,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { CallSpec } from './http.ts';

/**
 * One attempt of one nCore call as an OpenTelemetry client span, child of the operation that made it. Its
 * attributes are the call's shape only (the same `route` as the `ncore_calls_total` label, the method, the
 * attempt, the status, the error code): never the path with its ids, a body, a header or the key.
 *
 * An operation that is not sampled (the default sampler samples all; a ratio leaves most) gets no call spans:
 * the attempt is given the operation's own span, which records nothing and ends nothing here, and whose context
 * nCore receives as parent, with the flag `00`. Every sampler the gateway can be configured with samples a child
 * exactly when its local parent is sampled (telemetry.ts), so no span that would have been exported is lost; what
 * is saved is each attempt's ids, sampling decision and context.
 */
export function startCallSpan(tracer: Tracer, parent: Context, spec: CallSpec, attempt: number, host: string): Span {
  const operation = trace.getSpan(parent);
  if (operation && !operation.isRecording() && (operation.spanContext().traceFlags & TraceFlags.SAMPLED) === 0)
    return operation;
  return tracer.startSpan(
    `nCore ${spec.route}`,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'ncore.route': spec.route,
        'http.request.method': spec.method,
        'ncore.attempt': attempt,
        'server.address': host,
      },
    },
    parent,
  );
}

/**
 * Writes the span's trace context into the call's headers, so nCore's own trace names this span as parent. Only
 * `traceparent` unless the caller is `trusted`: whatever else the process's propagator carries (a caller's
 * tracestate or baggage) stays here, whichever propagators the SDK was given. Short of `trusted` that propagator
 * is the W3C one (telemetry.ts), so the header is written here as it would write it, without a context and a
 * carrier per attempt.
 */
export function injectCallSpan(span: Span, parent: Context, headers: Record<string, string>, trusted: boolean): void {
  if (trusted) {
    const carrier: Record<string, string> = {};
    propagation.inject(trace.setSpan(parent, span), carrier);
    Object.assign(headers, carrier);
    return;
  }
  const context = span.spanContext();
  if (!isSpanContextValid(context)) return;
  headers['traceparent'] =
    `00-${context.traceId}-${context.spanId}-0${Number(context.traceFlags || TraceFlags.NONE).toString(16)}`;
}

/** Records the attempt's outcome and ends the span. */
export function endCallSpan(span: Span, status: number | undefined, code: string | undefined): void {
  if (!span.isRecording()) return;
  if (status !== undefined) span.setAttribute('http.response.status_code', status);
  if (code !== undefined) {
    span.setAttribute('error.type', code);
    span.setStatus({ code: SpanStatusCode.ERROR, message: code });
  }
  span.end();
}
