import { ConfigError, createReaders, deepFreeze, type Env } from './readers.ts';
import type { Config } from './types.ts';

/**
 * The demo's settings, apart from the gateway's own: with no nCore configured, `npm start` serves an embedded
 * simulator (simulator/embed.ts). Nothing here reaches a gateway that calls a real nCore.
 */
export interface DemoConfig {
  /** `SIMULATOR_LATENCY_MS`: latency the embedded simulator adds to every call, to try the demo at network speed. */
  readonly latencyMs: number;
  /** The simulator a cluster primary started, handed to its workers so they share one set of demo data. */
  readonly handedOver: EmbeddedNcore | undefined;
}

/** An embedded simulator as the gateway calls it, with the webhook credentials it delivers events with. */
export interface EmbeddedNcore {
  readonly url: string;
  readonly apiKey: string;
  readonly webhook: { readonly username: string; readonly password: string };
  /** The demo family's root, where GraphiQL's examples start. */
  readonly exampleUserId: string;
}

/** How a primary hands its simulator to its workers: their environment, set by `handOver`, never by hand. */
const HANDED_OVER = 'GATEWAY_EMBEDDED_NCORE';

export function loadDemoConfig(env: Env): DemoConfig {
  const problems: string[] = [];
  const latencyMs = createReaders(env, problems).int('SIMULATOR_LATENCY_MS', 0, 0, 60_000);
  if (problems.length) throw new ConfigError(problems);
  const raw = env[HANDED_OVER];
  return deepFreeze({ latencyMs, handedOver: raw ? (JSON.parse(raw) as EmbeddedNcore) : undefined });
}

/** The environment a cluster worker needs to serve the primary's simulator. */
export function handOver(ncore: EmbeddedNcore): Record<string, string> {
  return { [HANDED_OVER]: JSON.stringify(ncore) };
}

/**
 * The settings with the embedded simulator as nCore: its URL and key, its webhook credentials unless the
 * operator set a pair, and GraphiQL's examples on the demo family unless an example user is set.
 */
export function withEmbeddedNcore(config: Config, ncore: EmbeddedNcore): Config {
  const { gateway } = config;
  return deepFreeze({
    process: config.process,
    gateway: {
      ...gateway,
      graphiqlExampleUserId: gateway.graphiqlExampleUserId ?? ncore.exampleUserId,
      ncore: { ...gateway.ncore, baseUrl: ncore.url, apiKey: ncore.apiKey },
      events: { ...gateway.events, webhook: gateway.events.webhook ?? ncore.webhook },
    },
  });
}
