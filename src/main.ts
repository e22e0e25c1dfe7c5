import cluster from 'node:cluster';
import { relayInvalidations } from './cache/cluster.ts';
import {
  type Config,
  ConfigError,
  type DemoConfig,
  handOver,
  loadConfig,
  loadDemoConfig,
  withEmbeddedNcore,
} from './config/index.ts';
import { relayEvents } from './events/cluster.ts';
import { WEBHOOK_PATH } from './events/receiver.ts';
import { createGateway } from './gateway.ts';
import { createLogger } from './logger.ts';
import { serve } from './server/serve.ts';
import type { Demo } from './simulator/index.ts';

/**
 * Entry point: settings -> upstream (the embedded simulator when no nCore is configured) -> gateway -> listen,
 * in this process or, with WORKERS > 1, in that many node:cluster workers sharing the port. The only place
 * that listens, reads signals or exits.
 */
function settingsOrExit(): { config: Config; demo: DemoConfig } {
  try {
    return { config: loadConfig(process.env), demo: loadDemoConfig(process.env) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

/** With no nCore configured, the demo's simulator (simulator/embed.ts), loaded only then. */
async function startDemo(config: Config, settings: DemoConfig): Promise<Demo | undefined> {
  if (config.gateway.ncore.baseUrl !== undefined) return undefined;
  const { startDemo } = await import('./simulator/index.ts');
  const demo = await startDemo(settings);
  if (!settings.handedOver)
    console.log(`No NCORE_BASE_URL set: serving the embedded nCore simulator with demo data at ${demo.ncore.url}`);
  return demo;
}

/** The demo's webhook registration, logged rather than thrown: live events are a bonus of the demo. */
function registerDemoWebhook(demo: Demo | undefined, config: Config, port: number): void {
  const webhook = config.gateway.events.webhook;
  if (!demo || !webhook) return;
  const host = localName(config.process.host, '127.0.0.1');
  demo.register(`http://${host.includes(':') ? `[${host}]` : host}:${port}${WEBHOOK_PATH}`, webhook).then(
    (registered) =>
      registered
        ? logger.info('live events: the embedded simulator delivers its webhooks to this gateway')
        : logger.error('demo webhook not registered'),
    (error: Error) => logger.error({ error: error.name }, 'demo webhook not registered'),
  );
}

/** The name a bound address is reached by on this machine: a wildcard bind is reached on the loopback. */
function localName(bound: string, loopback: string): string {
  return bound === '0.0.0.0' || bound === '::' ? loopback : bound;
}

function announce(config: Config, port: number): void {
  const { host: bound, workers } = config.process;
  const host = localName(bound, 'localhost');
  const onWorkers = workers > 1 ? ` on ${workers} workers` : '';
  console.log(
    `nCore GraphQL gateway ready at http://${host}:${port}/graphql${onWorkers}${config.gateway.graphiql ? ' (open it in a browser for GraphiQL)' : ''}`,
  );
}

/** Stops once on SIGTERM (draining first) or SIGINT (someone at a terminal: no drain delay), then exits. */
function onSignal(stop: (signal: 'SIGTERM' | 'SIGINT') => Promise<void>): void {
  let stopping = false;
  const handler = (signal: 'SIGTERM' | 'SIGINT') => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing in-flight requests');
    const exit = (code: number) => logger.flush(() => process.exit(code));
    stop(signal).then(
      () => exit(0),
      () => exit(1),
    );
  };
  process.on('SIGTERM', () => handler('SIGTERM'));
  process.on('SIGINT', () => handler('SIGINT'));
}

/** More worker deaths than this within the window stop the whole gateway. */
const MAX_CRASHES = 5;
const CRASH_WINDOW_MS = 30_000;

async function runPrimary(config: Config, demo: Demo | undefined): Promise<void> {
  const env = demo ? handOver(demo.ncore) : {};
  const { redisUrl, dedupTtlMs } = config.gateway.events;
  // Without Redis the primary is what the workers share: one token store, every event to every worker, and every
  // cache invalidation to every other worker.
  if (!redisUrl) {
    relayEvents(cluster, dedupTtlMs);
    relayInvalidations(cluster);
  }
  let stopping = false;
  const fork = () => cluster.fork(env);
  for (let i = 0; i < config.process.workers; i++) fork();
  // Ready once every first worker listens (replacements later do not announce again).
  let listening = 0;
  cluster.on('listening', (_, address) => {
    if (++listening !== config.process.workers) return;
    announce(config, address.port);
    registerDemoWebhook(demo, config, address.port);
  });
  // A worker that dies is replaced, unless workers keep dying: then something is wrong that restarts will
  // not fix, and the process exits for its supervisor to see.
  const deaths: number[] = [];
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    deaths.push(Date.now());
    while (deaths[0]! < Date.now() - CRASH_WINDOW_MS) deaths.shift();
    if (deaths.length > MAX_CRASHES) {
      logger.fatal({ crashes: deaths.length, windowMs: CRASH_WINDOW_MS }, 'workers keep dying; stopping');
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
      void demo?.close().finally(() => logger.flush(() => process.exit(1)));
      return;
    }
    logger.error({ worker: worker.process.pid, code, signal }, 'worker died; starting another');
    setTimeout(fork, 100 * deaths.length);
  });
  onSignal(async () => {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
    await Promise.all(workers.map((w) => new Promise((resolve) => w.once('exit', resolve).process.kill('SIGTERM'))));
    await demo?.close();
  });
}

async function runServer(config: Config, demo: Demo | undefined): Promise<void> {
  // Loaded only when tracing is on: without an OTLP endpoint the SDK is not even imported.
  const { tracing } = config.process;
  const telemetry = tracing ? (await import('./telemetry.ts')).startTelemetry(tracing, logger) : undefined;
  const gateway = createGateway(config.gateway, {
    logger,
    processMetrics: true,
    clusterWorker: cluster.isWorker,
    tracer: telemetry?.tracer,
    tracePhases: tracing?.phases,
  });
  const serving = await serve(config, gateway, logger);
  onSignal(async (signal) => {
    await serving.stop(signal === 'SIGINT' ? 0 : undefined);
    await demo?.close();
    await telemetry?.shutdown();
  });
  if (cluster.isPrimary) {
    announce(config, serving.port);
    registerDemoWebhook(demo, config, serving.port);
  }
}

const settings = settingsOrExit();
const logger = createLogger(settings.config.process.logLevel);
const demo = await startDemo(settings.config, settings.demo);
const config = demo ? withEmbeddedNcore(settings.config, demo.ncore) : settings.config;
await (config.process.workers > 1 && cluster.isPrimary ? runPrimary(config, demo) : runServer(config, demo));
