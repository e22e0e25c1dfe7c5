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
 * One attempt of one nCore call as a client span under its operation, with the call's shape only (the
 * `ncore_calls_total` route, method, attempt, status, error code): never the path's ids, a body, a header or the key.
 * An unsampled operation's attempts get its own non-recording span, whose context nCore receives as parent: every
 * sampler the gateway can use samples a child exactly when its local parent is (telemetry.ts), so nothing that would
 * have been exported is lost, and each attempt's ids, decision and context are saved.
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
    `00-${context.traceId}-${context.spanId}-${context.traceFlags.toString(16).padStart(2, '0')}`;
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
