import {
  type Context,
  type ContextManager,
  type DiagLogger,
  DiagLogLevel,
  diag,
  ROOT_CONTEXT,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { Logger } from 'pino';
import type { TracingConfig } from './config/index.ts';

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
  const sdk = new NodeSDK({
    serviceName: settings.serviceName,
    contextManager: new SynchronousContextManager(),
    instrumentations: [],
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  logger.info({ protocol: settings.protocol, serviceName: settings.serviceName }, 'tracing to an OTLP collector');
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
