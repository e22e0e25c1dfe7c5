import { createHash } from 'node:crypto';
import { type BreakerSettings, type BreakerState, CircuitBreaker } from './breaker.ts';

/** Tenants whose breakers are kept in `forward` mode; the least recently used beyond it is forgotten. */
const MAX_TENANT_BREAKERS = 1000;

/** One breaker's change of state; `tenant` is a short hash of the key in per-key mode, never the key. */
export interface BreakerTransition {
  from: BreakerState;
  to: BreakerState;
  tenant: string | undefined;
}

const SEVERITY: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

/**
 * The breakers the process keeps: one for nCore when every call carries the gateway's key, or one per
 * tenant key when callers forward their own (`forward` mode), so that one tenant's failing calls fail no
 * other tenant. Tenants are held by a hash of their key, in a bounded least-recently-used set.
 */
export class Breakers {
  readonly #shared: CircuitBreaker | undefined;
  readonly #byTenant = new Map<string, CircuitBreaker>();

  constructor(
    private readonly settings: BreakerSettings,
    private readonly options: {
      perKey: boolean;
      now?: () => number;
      onTransition?: (transition: BreakerTransition) => void;
      maxTenants?: number;
    },
  ) {
    if (!options.perKey) this.#shared = this.#create(undefined);
  }

  /** The breaker that judges calls made with `apiKey`. */
  for(apiKey: string): CircuitBreaker {
    if (this.#shared) return this.#shared;
    const tenant = createHash('sha256').update(apiKey).digest('base64url');
    let breaker = this.#byTenant.get(tenant);
    if (breaker) this.#byTenant.delete(tenant);
    else breaker = this.#create(tenant.slice(0, 8));
    this.#byTenant.set(tenant, breaker);
    const max = this.options.maxTenants ?? MAX_TENANT_BREAKERS;
    if (this.#byTenant.size > max) this.#byTenant.delete(this.#byTenant.keys().next().value!);
    return breaker;
  }

  /** How many breakers are in each state. */
  counts(): Record<BreakerState, number> {
    const counts = { closed: 0, 'half-open': 0, open: 0 };
    for (const breaker of this.#all()) counts[breaker.state] += 1;
    return counts;
  }

  /** The most severe state of any breaker: open, else half-open, else closed. */
  worst(): BreakerState {
    let worst: BreakerState = 'closed';
    for (const breaker of this.#all()) if (SEVERITY[breaker.state] > SEVERITY[worst]) worst = breaker.state;
    return worst;
  }

  #all(): Iterable<CircuitBreaker> {
    return this.#shared ? [this.#shared] : this.#byTenant.values();
  }

  #create(tenant: string | undefined): CircuitBreaker {
    const { now, onTransition } = this.options;
    return new CircuitBreaker(this.settings, now, (from, to) => onTransition?.({ from, to, tenant }));
  }
}
