import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Breakers, BreakerTransition } from './breakers.ts';
import type { Governor, GovernorObserver } from './governor.ts';
import type { CallEvent } from './http.ts';

/** The breaker's state as a number, for a gauge: 0 closed, 1 half-open, 2 open. */
const BREAKER_VALUES = { closed: 0, 'half-open': 1, open: 2 } as const;

/** nCore-side metrics: per endpoint, calls by status, latency, retries; and the breakers' states. */
export interface UpstreamMetrics {
  /** Records one attempt of one call. */
  record(event: CallEvent): void;
  /** Records a breaker's change of state. */
  transition(transition: BreakerTransition): void;
}

/**
 * Registers the nCore metrics on `registry`. Labels are the endpoint's name and the status only, never a
 * URL or id, so the series stay few and carry no personal data; in `forward` mode the breakers are counted
 * by state, never labelled by tenant.
 */
export function createUpstreamMetrics(registry: Registry, breakers: () => Breakers): UpstreamMetrics {
  const calls = new Counter({
    name: 'ncore_calls_total',
    help: 'nCore call attempts by endpoint and HTTP status ("none" when no answer came).',
    labelNames: ['route', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'ncore_call_duration_seconds',
    help: 'Duration of nCore call attempts by endpoint.',
    labelNames: ['route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const retries = new Counter({
    name: 'ncore_retries_total',
    help: 'nCore call attempts that were retries, by endpoint.',
    labelNames: ['route'],
    registers: [registry],
  });
  new Gauge({
    name: 'ncore_circuit_state',
    help: 'The nCore circuit breaker (the worst one in forward mode): 0 closed, 1 half-open, 2 open.',
    registers: [registry],
    collect() {
      this.set(BREAKER_VALUES[breakers().worst()]);
    },
  });
  new Gauge({
    name: 'ncore_circuit_breakers',
    help: 'nCore circuit breakers by state (one per tenant key in forward mode, else one).',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      for (const [state, count] of Object.entries(breakers().counts())) this.set({ state }, count);
    },
  });
  const transitions = new Counter({
    name: 'ncore_circuit_transitions_total',
    help: 'Changes of state of the nCore circuit breakers, by the state entered.',
    labelNames: ['to'],
    registers: [registry],
  });
  return {
    record(event) {
      calls.inc({ route: event.route, status: event.status === undefined ? 'none' : String(event.status) });
      duration.observe({ route: event.route }, event.durationMs / 1000);
      if (event.attempt > 0) retries.inc({ route: event.route });
    },
    transition({ to }) {
      transitions.inc({ to });
    },
  };
}

/**
 * The call governor's series, per tenant digest (the first 8 characters of the key's SHA-256, never the key): how
 * long calls waited for their turns, how many wait now, how many were refused one, and the rate in force. Registered
 * with or without a governor, so a dashboard's queries always find them; without one they stay empty.
 */
export function createGovernorMetrics(registry: Registry, governor: () => Governor | undefined): GovernorObserver {
  const waits = new Histogram({
    name: 'ncore_rate_wait_seconds',
    help: "Time nCore call attempts waited for a turn of their tenant's call rate, by tenant digest.",
    labelNames: ['tenant'],
    buckets: [0.001, 0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const refused = new Counter({
    name: 'ncore_rate_refused_total',
    help: "nCore call attempts refused (RATE_LIMITED) for want of a turn before their operation's deadline, by tenant digest.",
    labelNames: ['tenant'],
    registers: [registry],
  });
  const throttled = new Counter({
    name: 'ncore_rate_throttled_total',
    help: "nCore's 429 answers that slowed a tenant's call rate, by tenant digest.",
    labelNames: ['tenant'],
    registers: [registry],
  });
  new Gauge({
    name: 'ncore_rate_queued',
    help: 'nCore call attempts waiting for a turn now, by tenant digest.',
    labelNames: ['tenant'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { tenant, queued } of governor()?.tenants() ?? []) this.set({ tenant }, queued);
    },
  });
  new Gauge({
    name: 'ncore_rate_limit',
    help: "Calls per second in force for a tenant across every instance (below NCORE_RATE_LIMIT after nCore's 429s), by tenant digest.",
    labelNames: ['tenant'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { tenant, rate } of governor()?.tenants() ?? []) this.set({ tenant }, Math.round(rate * 1000) / 1000);
    },
  });
  new Gauge({
    name: 'ncore_rate_shared',
    help: "Whether turns come from Redis for every instance (1) or from this instance's share of the rate (0).",
    registers: [registry],
    collect() {
      const current = governor();
      if (current) this.set(current.shared ? 1 : 0);
    },
  });
  return {
    waited: (tenant, ms) => waits.observe({ tenant }, ms / 1000),
    refused: (tenant) => refused.inc({ tenant }),
    throttled: (tenant) => throttled.inc({ tenant }),
    forgotten(tenant) {
      waits.remove({ tenant });
      refused.remove({ tenant });
      throttled.remove({ tenant });
    },
  };
}
