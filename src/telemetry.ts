import {
  type Attributes,
  type Context,
  type ContextManager,
  type DiagLogger,
  DiagLogLevel,
  diag,
  isSpanContextValid,
  type Link,
  ROOT_CONTEXT,
  type SpanKind,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
  TraceFlags,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { core, NodeSDK, tracing } from '@opentelemetry/sdk-node';
import type { Logger } from 'pino';
import type { TracePropagation, TraceSampler, TracingConfig } from './config/index.ts';

/** How long a stopping process waits for its last spans to leave; a collector that is down costs no more. */
const FLUSH_BOUND_MS = 2_000;
/** The SDK's own complaints (a collector that is down fails every export) reach the log at most this often. */
const DIAG_INTERVAL_MS = 60_000;

/** The process's tracing: the tracer the gateway uses, and how to flush and stop it. */
export interface Telemetry {
  readonly tracer: Tracer;
  shutdown(): Promise<void>;
}

/**
 * Starts OpenTelemetry's Node SDK for this process: traces only (no metrics or logs, which have their own
 * paths), no automatic instrumentation (which would record URLs with ids in them), exported by a batch
 * processor whose queue is bounded and whose exports run off the request path, so a collector that is
 * down or slow costs only the spans it drops. Everything else comes from the standard `OTEL_*` variables.
 */
export function startTelemetry(settings: TracingConfig, logger: Logger): Telemetry {
  diag.setLogger(throttled(logger), DiagLogLevel.WARN);
  const { propagation } = settings;
  const sdk = new NodeSDK({
    serviceName: settings.serviceName,
    contextManager: new SynchronousContextManager(),
    instrumentations: [],
    metricReaders: [],
    logRecordProcessors: [],
    // A trusted caller's context is the SDK's to read as configured (OTEL_PROPAGATORS), and its sampled flag is
    // followed as the standard samplers follow it; anyone else's is read here, and sampled by the gateway's own
    // decision.
    ...(propagation === 'trusted'
      ? { sampler: standardSampler(settings.sampler, settings.samplerRatio) }
      : {
          textMapPropagator: new CallerTraceparent(propagation),
          sampler: new OwnDecision(settings.sampler, settings.samplerRatio),
        }),
  });
  sdk.start();
  logger.info(
    {
      protocol: settings.protocol,
      serviceName: settings.serviceName,
      propagation,
      sampler: settings.sampler,
      ...(settings.sampler.endsWith('traceidratio') && { samplerRatio: settings.samplerRatio }),
    },
    'tracing to an OTLP collector',
  );
  return {
    tracer: trace.getTracer('ncore-graphql-gateway'),
    shutdown: async () => {
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, FLUSH_BOUND_MS);
      });
      // Shutdown rejects when the last export failed: the spans are lost, and that is all.
      await Promise.race([sdk.shutdown().catch(() => {}), bound]);
      clearTimeout(timer);
    },
  };
}

/**
 * The propagator for callers short of `trusted`. It writes the gateway's own `traceparent` on nCore's calls, and
 * reads of a caller's request only its trace id and parent (with `traceparent`; nothing with `none`): never its
 * sampled flag, its `tracestate` or its `baggage`, which therefore reach neither a span nor nCore.
 */
export class CallerTraceparent implements TextMapPropagator {
  readonly #w3c = new core.W3CTraceContextPropagator();

  constructor(private readonly propagation: Exclude<TracePropagation, 'trusted'>) {}

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    this.#w3c.inject(context, carrier, setter);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    if (this.propagation === 'none') return context;
    const caller = trace.getSpanContext(this.#w3c.extract(context, carrier, getter));
    if (!caller) return context;
    const { traceId, spanId } = caller;
    return trace.setSpanContext(context, { traceId, spanId, traceFlags: TraceFlags.NONE, isRemote: true });
  }

  fields(): string[] {
    return ['traceparent'];
  }
}

/** `OTEL_TRACES_SAMPLER` as the SDK builds it from the variables, given the gateway's reading of them. */
function standardSampler(sampler: TraceSampler, ratio: number): tracing.Sampler {
  const root = rootSampler(sampler, ratio);
  return sampler.startsWith('parentbased_') ? new tracing.ParentBasedSampler({ root }) : root;
}

function rootSampler(sampler: TraceSampler, ratio: number): tracing.Sampler {
  if (sampler.endsWith('always_on')) return new tracing.AlwaysOnSampler();
  if (sampler.endsWith('always_off')) return new tracing.AlwaysOffSampler();
  return new tracing.TraceIdRatioBasedSampler(ratio);
}

/**
 * `OTEL_TRACES_SAMPLER` with the gateway deciding for every trace it serves. A trace it starts is sampled as
 * configured; a caller's it continues is sampled at the same rate on a draw of its own (a ratio over the trace id
 * would let a caller pick ids that are always sampled); spans under either follow their operation's decision.
 */
export class OwnDecision implements tracing.Sampler {
  readonly #root: tracing.Sampler;
  readonly #ids = new tracing.RandomIdGenerator();

  constructor(
    private readonly sampler: TraceSampler,
    ratio: number,
  ) {
    this.#root = rootSampler(sampler, ratio);
  }

  shouldSample(
    context: Context,
    traceId: string,
    name: string,
    kind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): tracing.SamplingResult {
    const parent = trace.getSpanContext(context);
    if (parent === undefined || !isSpanContextValid(parent))
      return this.#root.shouldSample(context, traceId, name, kind, attributes, links);
    if (parent.isRemote)
      return this.#root.shouldSample(ROOT_CONTEXT, this.#ids.generateTraceId(), name, kind, attributes, links);
    const sampled = (parent.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED;
    return { decision: sampled ? tracing.SamplingDecision.RECORD_AND_SAMPLED : tracing.SamplingDecision.NOT_RECORD };
  }

  toString(): string {
    return `OwnDecision{${this.sampler}, ${this.#root.toString()}}`;
  }
}

/**
 * Contexts that hold for the duration of a synchronous call only. The gateway hands every span its parent
 * explicitly (plugins/tracing.ts, ncore/spans.ts), so it needs no context carried across awaits; the SDK's
 * default (AsyncLocalStorage), once the exporter first uses it, would add a cost to every promise of every
 * request in the process.
 */
class SynchronousContextManager implements ContextManager {
  #current: Context = ROOT_CONTEXT;

  active(): Context {
    return this.#current;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    const previous = this.#current;
    this.#current = context;
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.#current = previous;
    }
  }

  bind<T>(_context: Context, target: T): T {
    return target;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this.#current = ROOT_CONTEXT;
    return this;
  }
}

/** The SDK's warnings and errors as log lines, one per interval at most; their arguments are not logged. */
function throttled(logger: Logger): DiagLogger {
  let last = Number.NEGATIVE_INFINITY;
  const log = (level: 'warn' | 'error') => (message: string) => {
    const now = Date.now();
    if (now - last < DIAG_INTERVAL_MS) return;
    last = now;
    logger[level]({ component: 'opentelemetry' }, message);
  };
  const ignore = () => {};
  return { error: log('error'), warn: log('warn'), info: ignore, debug: ignore, verbose: ignore };
}
