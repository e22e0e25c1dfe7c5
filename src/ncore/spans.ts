import { type Context, propagation, type Span, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import type { CallSpec } from './http.ts';

/**
 * One attempt of one nCore call as an OpenTelemetry client span, child of the operation that made it. Its
 * attributes are the call's shape only (the same `route` as the `ncore_calls_total` label, the method, the
 * attempt, the status, the error code): never the path with its ids, a body, a header or the key.
 */
export function startCallSpan(tracer: Tracer, parent: Context, spec: CallSpec, attempt: number, host: string): Span {
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
 * tracestate or baggage) stays here, whichever propagators the SDK was given.
 */
export function injectCallSpan(span: Span, parent: Context, headers: Record<string, string>, trusted: boolean): void {
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(parent, span), carrier);
  if (trusted) Object.assign(headers, carrier);
  else if (carrier['traceparent'] !== undefined) headers['traceparent'] = carrier['traceparent'];
}

/** Records the attempt's outcome and ends the span. */
export function endCallSpan(span: Span, status: number | undefined, code: string | undefined): void {
  if (status !== undefined) span.setAttribute('http.response.status_code', status);
  if (code !== undefined) {
    span.setAttribute('error.type', code);
    span.setStatus({ code: SpanStatusCode.ERROR, message: code });
  }
  span.end();
}
