import type { Fault } from '../../src/simulator/index.ts';

/** How long and how hard a soak runs. */
export interface SoakSettings {
  readonly name: 'full' | 'smoke';
  /** Operations started per second, steadily, whatever the gateway answers. */
  readonly rate: number;
  /** Most operations in flight; a tick beyond it is skipped and counted, so the load stays bounded. */
  readonly maxInFlight: number;
  /** Phases, in order: clean traffic, random faults, nCore wholly down, nCore back. */
  readonly warmupMs: number;
  readonly chaosMs: number;
  readonly outageMs: number;
  readonly recoveryMs: number;
  /** How long a client keeps retrying a failed create under its idempotency key. */
  readonly createRetryMs: number;
  /** The gateway's settings for the run, as production would set them. */
  readonly gatewayEnv: Readonly<Record<string, string>>;
}

const GATEWAY_ENV = {
  // A call that hangs is cut after a second, and an operation after five, so hangs cost bounded time.
  NCORE_TIMEOUT_MS: '1000',
  OPERATION_TIMEOUT_MS: '5000',
};

export const FULL: SoakSettings = {
  name: 'full',
  rate: 40,
  maxInFlight: 200,
  warmupMs: 10_000,
  chaosMs: 240_000,
  // Longer than the breaker's default window, which must first forget the healthy calls before the outage.
  outageMs: 15_000,
  recoveryMs: 30_000,
  createRetryMs: 60_000,
  gatewayEnv: { ...GATEWAY_ENV, BREAKER_COOLDOWN_MS: '5000' },
};

export const SMOKE: SoakSettings = {
  name: 'smoke',
  rate: 25,
  maxInFlight: 100,
  warmupMs: 2_000,
  chaosMs: 12_000,
  outageMs: 5_000,
  recoveryMs: 6_000,
  createRetryMs: 20_000,
  // A window shorter than the outage, so that the breaker has time to open in a short run.
  gatewayEnv: { ...GATEWAY_ENV, BREAKER_WINDOW_MS: '3000', BREAKER_COOLDOWN_MS: '2000' },
};

/**
 * The chaos phase's faults, drawn per request (the first that matches and wins its draw applies): a few
 * percent of 503s, dropped connections and 429s with Retry-After, answers lost after a write committed,
 * and hangs past the call timeout.
 */
export const CHAOS: readonly Fault[] = [
  { route: 'createUser', kind: 'drop', afterCommit: true, chance: 0.04 },
  { route: 'createUser', kind: 'status', status: 503, body: 'json', afterCommit: true, chance: 0.02 },
  { route: 'updateUser', kind: 'drop', afterCommit: true, chance: 0.03 },
  { kind: 'status', status: 503, body: 'json', chance: 0.02 },
  { kind: 'drop', chance: 0.01 },
  { kind: 'status', status: 429, body: 'json', retryAfter: 1, chance: 0.01 },
  { kind: 'hang', chance: 0.003 },
];

/** nCore wholly down: half the calls meet a proxy's 503 page, the rest a dropped connection. */
export const OUTAGE: readonly Fault[] = [{ kind: 'status', status: 503, body: 'html', chance: 0.5 }, { kind: 'drop' }];
