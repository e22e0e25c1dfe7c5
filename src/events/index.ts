import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { GatewayConfig } from '../config/index.ts';
import type { Upstream } from '../ncore/http.ts';
import { createLocalBus, type EventBus } from './bus.ts';
import { createClusterBus } from './cluster.ts';
import { EventHub } from './hub.ts';
import { createEventMetrics, NO_EVENT_METRICS } from './metrics.ts';
import { useWebhookReceiver } from './receiver.ts';
import { createRedisBus } from './redis.ts';

/** Live user events as the gateway wires them: the receiver plugin, the hub, the bus under both. */
export interface LiveEvents {
  readonly hub: EventHub;
  readonly receiver: Plugin;
  /** What `/ready` checks besides nCore (Redis, when configured). */
  readonly health: EventBus['health'];
  /** Hears every event any instance received, once (the cache forgets what it reports: gateway.ts). */
  readonly listen: EventBus['listen'];
  close(): Promise<void>;
}

export interface LiveEventsParts {
  upstream: Upstream;
  registry: Registry;
  logger: Logger;
  /** A node:cluster worker without Redis: events and tokens go through the primary (cluster.ts). */
  clusterWorker?: boolean;
}

/** Builds the receiver, the bus (Redis, the cluster primary, or this process alone) and the hub. */
export function createLiveEvents(config: GatewayConfig, parts: LiveEventsParts): LiveEvents {
  const { upstream, registry, logger } = parts;
  const { events } = config;
  const bus = events.redisUrl
    ? createRedisBus(events.redisUrl, events.dedupTtlMs, logger)
    : parts.clusterWorker
      ? createClusterBus()
      : createLocalBus(events.dedupTtlMs);
  const metrics = config.metrics ? createEventMetrics(registry) : NO_EVENT_METRICS;
  const hub = new EventHub({
    bus,
    upstream,
    metrics,
    logger,
    callBudget: config.callBudget,
    concurrency: config.ncore.concurrency,
    timeoutMs: config.operationTimeoutMs,
    maxSubscriptions: events.maxSubscriptions,
    bufferSize: events.bufferSize,
    unavailable: unavailable(config),
    callerKeys: config.auth.mode === 'forward',
  });
  return {
    hub,
    receiver: useWebhookReceiver({ credentials: events.webhook, bus, metrics, logger }),
    health: bus.health,
    listen: (listener) => bus.listen(listener),
    async close() {
      hub.close();
      await bus.close();
    },
  };
}

function unavailable({ events, auth }: GatewayConfig): string | undefined {
  if (!events.webhook)
    return 'Live events are off: this gateway receives no nCore webhooks (NCORE_WEBHOOK_USERNAME and NCORE_WEBHOOK_PASSWORD are not set).';
  if (auth.mode === 'forward' && !events.singleTenant)
    return 'Live events are off in forward mode: nCore events carry no tenant, so they cannot be matched to callers. Set FORWARD_SINGLE_TENANT=true if every caller belongs to the tenant whose webhooks arrive here.';
  return undefined;
}
