import { createServer } from 'node:http';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createGateway, type GatewayDeps } from './gateway.ts';

/** How long in-flight operations may take to finish after SIGTERM before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * Entry point: settings -> upstream (the embedded simulator when no nCore is configured) -> gateway -> listen.
 * The only place that listens, prints, reads signals or exits.
 */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }

  const deps: GatewayDeps = {};
  let stopSimulator = async (): Promise<void> => {};
  if (config.ncore.baseUrl === undefined) {
    // Imported only here, so a gateway configured for a real nCore never loads the simulator.
    const { createSimulator, DEMO_ROOT_ID } = await import('./simulator/index.ts');
    const simulator = await createSimulator({ seed: 'demo', requestLogLimit: 1000 });
    Object.assign(deps, { ncoreBaseUrl: simulator.url, ncoreApiKey: simulator.apiKey, exampleUserId: DEMO_ROOT_ID });
    stopSimulator = () => simulator.close();
    console.log(`No NCORE_BASE_URL set: serving the embedded nCore simulator with demo data at ${simulator.url}`);
  }

  const gateway = createGateway(config, deps);
  const server = createServer(gateway);
  server.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    console.log(`nCore GraphQL gateway ready at http://${host}:${port}/graphql${config.graphiql ? ' (GraphiQL: open it in a browser)' : ''}`);
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing in-flight requests, then stopping`);
    const force = setTimeout(() => {
      console.error('Shutdown grace period over; closing remaining connections');
      server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    server.close(async () => {
      await Promise.allSettled([gateway.close(), stopSimulator()]);
      clearTimeout(force);
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

await main();
