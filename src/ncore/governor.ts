import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { localShare, type RateSettings } from './rate.ts';
import { SharedRates } from './sharedRate.ts';
import { type OperationTurns, type RateSource, TenantTurns } from './turns.ts';

/** The governor's settings (`NCORE_RATE_LIMIT`, `NCORE_RATE_BURST`, `NCORE_RATE_INSTANCES`). */
export interface GovernorSettings extends RateSettings {
  /**
   * Processes sharing the tenant's rate, counting every worker of every instance: without Redis (or while it is
   * away) each keeps this share of the rate, or the share of the instances last seen in Redis if there were more.
   */
  readonly instances: number;
}

/** What the governor reports, per tenant digest (the first 8 characters of the key's SHA-256, never the key). */
export interface GovernorObserver {
  waited?(tenant: string, ms: number): void;
  refused?(tenant: string): void;
  /** nCore answered 429: the tenant's rate decreases (everywhere, when shared). */
  throttled?(tenant: string): void;
  /** A tenant no longer held (forward mode keeps the most recently used 1,000). */
  forgotten?(tenant: string): void;
}

/** One operation's turns, held on its call scope (ncore/http.ts) so its tenant is found once. */
export interface GovernedOperation extends OperationTurns {
  readonly tenant: Tenant;
}

/** What the governor reads of a call's scope. */
export interface GovernedScope {
  readonly apiKey: string;
  /** The operation's deadline, epoch ms. */
  readonly deadline: number;
  turns?: GovernedOperation;
}

/** One tenant as /metrics shows it. */
export interface TenantState {
  readonly tenant: string;
  readonly queued: number;
  /** Calls per second in force for the tenant across every instance (below the setting after a 429). */
  readonly rate: number;
}

interface Tenant {
  readonly label: string;
  readonly turns: TenantTurns;
  readonly source: RateSource;
}

/** Tenants held in `forward` mode; the least recently used one with no call waiting is forgotten beyond it. */
const MAX_TENANTS = 1000;
/** The least time a call is worth sending with: below it, an answer would not arrive before the deadline. */
const MIN_ANSWER_MS = 10;
/** Time enough to ask for a turn (a Redis round trip), for a call short of time that may have one at once. */
const ASK_MS = 50;

/**
 * The per-tenant call governor: every nCore call attempt, retries too, takes a turn of its tenant's rate before it
 * is sent (ncore/http.ts). A tenant is an nCore key, held by its SHA-256: one in `none`, `bearer` and `jwt` modes
 * (the gateway's key), one per caller's key in `forward` mode. With Redis the rate is one bucket for every
 * instance (sharedRate.ts); without, this process's share. Turns are shared between operations round-robin
 * (turns.ts); a 429 from nCore slows the tenant (AIMD, rate.ts).
 */
export class Governor {
  readonly #tenants = new Map<string, Tenant>();
  readonly #shared: SharedRates | undefined;
  /** Recent time nCore takes to answer (a moving average of answered attempts), to judge a turn worth taking. */
  #answerMs = 0;

  /**
   * With `redis` (a command connection of its own), one bucket per tenant for every instance; `onShared` hears when
   * Redis goes away and comes back (the instances counted for the share of the rate then kept).
   */
  constructor(
    private readonly settings: GovernorSettings,
    private readonly options: {
      redis?: Redis;
      observer?: GovernorObserver;
      onShared?: (up: boolean, instances: number) => void;
      now?: () => number;
    } = {},
  ) {
    const { redis, onShared, now } = options;
    this.#shared = redis && new SharedRates(redis, settings, { onChange: onShared, now });
  }

  /**
   * A turn for one attempt of a call of `scope`'s operation: undefined when it has one at once, else a promise of
   * it, rejected with RATE_LIMITED when it cannot come while an answer could still arrive before the deadline.
   */
  turn(scope: GovernedScope): Promise<void> | undefined {
    scope.turns ??= { tenant: this.#tenant(scope.apiKey), waiting: 0, since: 0, waitedMs: 0 };
    // An answer takes about the recent average; twice that is left for it, so a turn is never a call sent to time
    // out. A call already shorter of time than that is not refused while a turn is free at once (within one ask):
    // its own timeout applies, as without a governor, whether turns come from this process or from Redis.
    const now = (this.options.now ?? Date.now)();
    const giveUpAt = Math.max(
      scope.deadline - Math.max(MIN_ANSWER_MS, 2 * this.#answerMs),
      Math.min(scope.deadline, now + ASK_MS),
    );
    return scope.turns.tenant.turns.turn(scope.turns, giveUpAt);
  }

  /** nCore answered an attempt of `scope`'s call with 429 (and `Retry-After`, if it said). */
  throttled(scope: GovernedScope, retryAfterSeconds: number | undefined): void {
    const tenant = scope.turns?.tenant ?? this.#tenant(scope.apiKey);
    tenant.source.throttled(retryAfterSeconds === undefined ? undefined : retryAfterSeconds * 1000);
    this.options.observer?.throttled?.(tenant.label);
  }

  /** nCore answered an attempt after `ms` (any status): what the next turns leave time for. */
  answered(ms: number): void {
    this.#answerMs = this.#answerMs === 0 ? ms : 0.8 * this.#answerMs + 0.2 * ms;
  }

  /** Every tenant held, for /metrics. */
  tenants(): TenantState[] {
    return [...this.#tenants.values()].map(({ label, turns, source }) => ({
      tenant: label,
      queued: turns.queued,
      rate: source.rate,
    }));
  }

  /** Whether turns come from Redis now (false without Redis, or while it is away). */
  get shared(): boolean {
    return this.#shared?.up ?? false;
  }

  close(): Promise<void> {
    return this.#shared?.close() ?? Promise.resolve();
  }

  #tenant(apiKey: string): Tenant {
    const digest = createHash('sha256').update(apiKey).digest('base64url');
    let tenant = this.#tenants.get(digest);
    if (tenant) this.#tenants.delete(digest);
    else tenant = this.#create(digest);
    this.#tenants.set(digest, tenant);
    if (this.#tenants.size > MAX_TENANTS) {
      // A tenant with calls waiting keeps its queue (its operations hold it anyway); the next idle one goes.
      for (const [key, held] of this.#tenants) {
        if (held.turns.queued > 0) continue;
        this.#tenants.delete(key);
        this.options.observer?.forgotten?.(held.label);
        break;
      }
    }
    return tenant;
  }

  #create(digest: string): Tenant {
    const label = digest.slice(0, 8);
    const { observer, now } = this.options;
    const source = this.#shared?.source(digest) ?? localShare(this.settings, this.settings.instances, now);
    const turns = new TenantTurns(
      source,
      { waited: (ms) => observer?.waited?.(label, ms), refused: () => observer?.refused?.(label) },
      now,
    );
    return { label, turns, source };
  }
}
