import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { type Config, ConfigError, EMBEDDED_KEY, EMBEDDED_URL, loadConfig } from './config/index.ts';
import { USER_EVENT_TYPES } from './contract/types.ts';
import { relayEvents } from './events/cluster.ts';
import { WEBHOOK_PATH } from './events/receiver.ts';
import type { GatewayDeps } from './gateway.ts';
import { createLogger } from './logger.ts';
import { serve } from './serve.ts';

/**
 * Entry point: settings -> upstream (the embedded simulator when no nCore is configured) -> gateway -> listen,
 * in this process or, with WORKERS > 1, in that many node:cluster workers sharing the port. The only place
 * that listens, reads signals or exits.
 */
function configOrExit(): Config {
  try {
    return loadConfig({ ...process.env, ...demoWebhook(process.env) });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

/**
 * The demo's webhook credentials: over the embedded simulator with none configured, a fresh pair, so live
 * events work with no set-up (a cluster primary hands its pair to its workers through their environment).
 */
function demoWebhook(env: NodeJS.ProcessEnv): Record<string, string> {
  if (env['NCORE_BASE_URL'] || env['NCORE_WEBHOOK_USERNAME'] || env['NCORE_WEBHOOK_PASSWORD']) return {};
  return { NCORE_WEBHOOK_USERNAME: 'demo', NCORE_WEBHOOK_PASSWORD: randomBytes(24).toString('base64url') };
}

/** Registers the gateway's receiver with the embedded simulator, as a tenant would with nCore. */
async function registerDemoWebhook(config: Config, simulator: { url: string; apiKey: string }, port: number) {
  const webhook = config.gateway.events.webhook;
  if (!webhook) return;
  const { host } = config.process;
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const response = await fetch(`${simulator.url}/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', apikey: simulator.apiKey },
    body: JSON.stringify({
      endpoint: `http://${reachable}:${port}${WEBHOOK_PATH}`,
      events: USER_EVENT_TYPES,
      config: { basic_auth_username: webhook.username, basic_auth_password: webhook.password },
    }),
  });
  if (response.status !== 201) logger.error({ status: response.status }, 'demo webhook not registered');
  else logger.info('live events: the embedded simulator delivers its webhooks to this gateway');
}

/** The demo's registration, logged rather than thrown: live events are a bonus of the demo, not its purpose. */
function registerInBackground(...args: Parameters<typeof registerDemoWebhook>): void {
  registerDemoWebhook(...args).catch((error: Error) =>
    logger.error({ error: error.name }, 'demo webhook not registered'),
  );
}

/** Starts the embedded simulator when no nCore is configured and no primary has started one already. */
async function upstream(config: Config): Promise<{ deps: GatewayDeps; stop: () => Promise<void> }> {
  if (config.gateway.ncore.baseUrl !== undefined) return { deps: {}, stop: async () => {} };
  const { DEMO_ROOT_ID } = await import('./simulator/seed.ts');
  const { embeddedNcore, simulatorLatencyMs } = config.process;
  if (embeddedNcore) {
    return {
      deps: {
        ncoreBaseUrl: embeddedNcore.url,
        ncoreApiKey: embeddedNcore.apiKey,
        exampleUserId: DEMO_ROOT_ID,
      },
      stop: async () => {},
    };
  }
  // Imported only here, so a gateway configured for a real nCore never loads the simulator.
  const { createSimulator } = await import('./simulator/index.ts');
  const simulator = await createSimulator({
    seed: 'demo',
    requestLogLimit: 1000,
    latencyMs: simulatorLatencyMs,
  });
  console.log(`No NCORE_BASE_URL set: serving the embedded nCore simulator with demo data at ${simulator.url}`);
  return {
    deps: { ncoreBaseUrl: simulator.url, ncoreApiKey: simulator.apiKey, exampleUserId: DEMO_ROOT_ID },
    stop: () => simulator.close(),
  };
}

function announce(config: Config, port: number): void {
  const { host: bound, workers } = config.process;
  const host = bound === '0.0.0.0' || bound === '::' ? 'localhost' : bound;
  const onWorkers = workers > 1 ? ` on ${workers} workers` : '';
  console.log(
    `nCore GraphQL gateway ready at http://${host}:${port}/graphql${onWorkers}${config.gateway.graphiql ? ' (open it in a browser for GraphiQL)' : ''}`,
  );
}

/** Stops once on SIGTERM or SIGINT, then exits. */
function onSignal(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing in-flight requests');
    const exit = (code: number) => logger.flush(() => process.exit(code));
    stop().then(
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

async function runPrimary(config: Config): Promise<void> {
  const { deps, stop } = await upstream(config);
  const env =
    deps.ncoreBaseUrl && deps.ncoreApiKey
      ? { [EMBEDDED_URL]: deps.ncoreBaseUrl, [EMBEDDED_KEY]: deps.ncoreApiKey }
      : {};
  const { webhook, redisUrl, dedupTtlMs } = config.gateway.events;
  if (webhook)
    Object.assign(env, { NCORE_WEBHOOK_USERNAME: webhook.username, NCORE_WEBHOOK_PASSWORD: webhook.password });
  // Without Redis the primary is what the workers share: one token store, and every event to every worker.
  if (!redisUrl) relayEvents(cluster, dedupTtlMs);
  let stopping = false;
  const fork = () => cluster.fork(env);
  for (let i = 0; i < config.process.workers; i++) fork();
  // Ready once every first worker listens (replacements later do not announce again).
  let listening = 0;
  cluster.on('listening', (_, address) => {
    if (++listening !== config.process.workers) return;
    announce(config, address.port);
    if (deps.ncoreBaseUrl && deps.ncoreApiKey)
      registerInBackground(config, { url: deps.ncoreBaseUrl, apiKey: deps.ncoreApiKey }, address.port);
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
      void stop().finally(() => logger.flush(() => process.exit(1)));
      return;
    }
    logger.error({ worker: worker.process.pid, code, signal }, 'worker died; starting another');
    setTimeout(fork, 100 * deaths.length);
  });
  onSignal(async () => {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
    await Promise.all(workers.map((w) => new Promise((resolve) => w.once('exit', resolve).process.kill('SIGTERM'))));
    await stop();
  });
}

async function runServer(config: Config): Promise<void> {
  // Loaded only when tracing is on: without an OTLP endpoint the SDK is not even imported.
  const { tracing } = config.process;
  const telemetry = tracing ? (await import('./telemetry.ts')).startTelemetry(tracing, logger) : undefined;
  const { deps, stop: stopUpstream } = await upstream(config);
  const serving = await serve(config, { ...deps, logger, clusterWorker: cluster.isWorker, tracer: telemetry?.tracer });
  onSignal(async () => {
    await serving.stop();
    await stopUpstream();
    await telemetry?.shutdown();
  });
  if (cluster.isPrimary) {
    announce(config, serving.port);
    if (deps.ncoreBaseUrl && deps.ncoreApiKey)
      registerInBackground(config, { url: deps.ncoreBaseUrl, apiKey: deps.ncoreApiKey }, serving.port);
  }
}

const config = configOrExit();
const logger = createLogger(config.process.logLevel);
await (config.process.workers > 1 && cluster.isPrimary ? runPrimary(config) : runServer(config));
