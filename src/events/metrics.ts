import { Counter, Gauge, type Registry } from 'prom-client';

/** How the receiver answered one webhook: a fixed set, so the label never grows. */
export type WebhookOutcome =
  | 'accepted'
  | 'duplicate'
  | 'ignored'
  | 'ping'
  | 'invalid'
  | 'unauthorized'
  | 'throttled'
  | 'too_large'
  | 'unavailable';

/**
 * Live-event metrics. No label carries a token, an id or a type nCore made up. `/metrics` is public, so failed
 * logins are two bare counts (`unauthorized`, `throttled`): no address, username or hint of which part was wrong,
 * nothing a guesser does not already read from its own answers, while an operator can alert on them.
 */
export interface EventMetrics {
  webhook(outcome: WebhookOutcome): void;
  delivered(): void;
  opened(): void;
  closed(): void;
  refused(reason: 'limit' | 'unavailable'): void;
  slowConsumer(): void;
}

/** Records nothing: with `METRICS=false`, as for every other series. */
export const NO_EVENT_METRICS: EventMetrics = {
  webhook() {},
  delivered() {},
  opened() {},
  closed() {},
  refused() {},
  slowConsumer() {},
};

/** Registers the live-event metrics on the gateway's registry. */
export function createEventMetrics(registry: Registry): EventMetrics {
  const webhooks = new Counter({
    name: 'gateway_webhooks_total',
    help: 'nCore webhooks received, by outcome (accepted, duplicate dropped, ignored type, ping, refused, throttled ...).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const deliveries = new Counter({
    name: 'gateway_event_deliveries_total',
    help: 'Events handed to a subscription (one per event per matching subscriber).',
    registers: [registry],
  });
  const open = new Gauge({
    name: 'gateway_subscriptions_open',
    help: 'Subscriptions open in this process, every transport.',
    registers: [registry],
  });
  const refused = new Counter({
    name: 'gateway_subscriptions_refused_total',
    help: 'Subscriptions refused: over a limit, or unavailable here.',
    labelNames: ['reason'],
    registers: [registry],
  });
  const slow = new Counter({
    name: 'gateway_subscriptions_slow_consumer_total',
    help: 'Subscriptions ended because the subscriber fell too far behind.',
    registers: [registry],
  });
  return {
    webhook: (outcome) => webhooks.inc({ outcome }),
    delivered: () => deliveries.inc(),
    opened: () => open.inc(),
    closed: () => open.dec(),
    refused: (reason) => refused.inc({ reason }),
    slowConsumer: () => slow.inc(),
  };
}
