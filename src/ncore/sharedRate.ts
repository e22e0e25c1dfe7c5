import { randomUUID } from 'node:crypto';
import type { Redis, Result } from 'ioredis';
import type { GovernorSettings } from './governor.ts';
import { AIMD, type Grant, localShare } from './rate.ts';
import type { RateSource } from './turns.ts';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    ncoreRate(numKeys: number, ...args: (string | number)[]): Result<number[], Context>;
  }
}

const PREFIX = 'ncore-gateway:rate:';
/** Every instance that asked for turns lately, scored by when: what a share is counted from while Redis is away. */
const INSTANCES_KEY = `${PREFIX}instances`;
/** A tenant's state outlives its AIMD recovery and any pause; a tenant idle for longer starts with a full bucket. */
const STATE_TTL_MS = 60_000;
/** An instance counts as sharing the rate for this long after its last ask. */
const INSTANCE_WINDOW_MS = 15_000;
/** After a failed command, turns come from this process's share for this long before Redis is asked again. */
const RETRY_MS = 1_000;

/**
 * The shared bucket: rate.ts's arithmetic (GCRA and AIMD) on Redis's clock, one key per tenant, atomic. KEYS: the
 * tenant's state (a hash), the instances seen. ARGV: 'take' or 'throttled', perSecond, burst, then how many turns
 * are wanted or the Retry-After in ms, then AIMD's decrease, recovery, hold, floor and longest pause, this
 * instance's id, the state's TTL and the instances' window. Returns [turns granted, ms until the next when fewer,
 * instances seen, the rate in thousandths of a call per second, ms until the bucket is full again, ms until a
 * Retry-After's pause ends].
 */
export const SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local limit = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local s = redis.call('HMGET', KEYS[1], 'tat', 'rate', 'step', 'at', 'hold', 'until')
local tat = tonumber(s[1]) or now
local rate = tonumber(s[2]) or limit
local step = tonumber(s[3]) or 0
local at = tonumber(s[4]) or now
local hold = tonumber(s[5]) or 0
local paused = tonumber(s[6]) or 0
if rate < limit then rate = math.min(limit, rate + step * math.max(0, now - at) / 1000) end
if rate > limit then rate = limit end
local interval = 1000 / rate
local out
if ARGV[1] == 'take' then
  local want = tonumber(ARGV[4])
  local granted = 0
  local wait = 0
  if now < paused then
    wait = paused - now
  else
    local tau = math.max(interval, burst * 1000 / limit)
    if tat < now then tat = now end
    granted = math.max(0, math.min(want, math.floor((now + tau - tat) / interval + 1e-9)))
    tat = tat + granted * interval
    if granted < want then wait = math.max(0, tat + interval - tau - now) end
  end
  redis.call('ZADD', KEYS[2], now, ARGV[10])
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - tonumber(ARGV[12]))
  redis.call('PEXPIRE', KEYS[2], ARGV[12])
  out = { granted, math.ceil(wait), redis.call('ZCARD', KEYS[2]) }
else
  if now >= hold then
    step = rate * tonumber(ARGV[6])
    rate = math.max(math.min(limit, tonumber(ARGV[8])), rate * tonumber(ARGV[5]))
    hold = now + tonumber(ARGV[7])
    interval = 1000 / rate
  end
  local tau = math.max(interval, burst * 1000 / limit)
  paused = math.max(paused, now + math.min(tonumber(ARGV[9]), tonumber(ARGV[4])))
  tat = math.max(tat, now + tau, paused + tau - interval)
  out = { 0, 0, 0 }
end
redis.call('HSET', KEYS[1], 'tat', string.format('%.3f', tat), 'rate', string.format('%.6f', rate),
  'step', string.format('%.6f', step), 'at', string.format('%.3f', now), 'hold', string.format('%.3f', hold),
  'until', string.format('%.3f', paused))
redis.call('PEXPIRE', KEYS[1], ARGV[11])
out[4] = math.floor(rate * 1000)
out[5] = math.ceil(math.max(0, tat - now))
out[6] = math.ceil(math.max(0, paused - now))
return out
`;

/**
 * Turns shared by every instance through Redis: one round trip per ask, an ask covering every call waiting for the
 * tenant here (turns.ts), so several instances together keep to the tenant's rate, and a 429 any of them hears slows
 * all of them. While Redis is away (not connected, or a command failed within the last second) each instance takes
 * turns from a bucket of its own holding its share of the rate: the rate divided by the instances it last saw
 * asking in Redis, or by `NCORE_RATE_INSTANCES` if that is more; nothing waits on Redis and nothing fails for it.
 */
export class SharedRates {
  readonly #id = randomUUID();
  #state: 'starting' | 'up' | 'down' | 'closed' = 'starting';
  #failedAt = Number.NEGATIVE_INFINITY;
  /** Instances seen asking in Redis when it last answered. */
  #seen = 0;

  constructor(
    private readonly redis: Redis,
    private readonly settings: GovernorSettings,
    private readonly options: { onChange?: (up: boolean, instances: number) => void; now?: () => number } = {},
  ) {
    redis.defineCommand('ncoreRate', { lua: SCRIPT });
    redis.on('close', () => this.#down());
  }

  /** Whether turns come from Redis now. */
  get up(): boolean {
    return this.#state === 'up' && this.usable;
  }

  /** Whether Redis is worth asking now. */
  get usable(): boolean {
    return this.redis.status === 'ready' && this.#now() - this.#failedAt >= RETRY_MS;
  }

  /** How many processes share the rate while Redis is away. */
  get instances(): number {
    return Math.max(this.settings.instances, this.#seen);
  }

  /** The source of one tenant's turns, held by the digest of its key (the Redis key names the digest, never the key). */
  source(digest: string): RateSource {
    return new SharedSource(this, `${PREFIX}${digest}`, this.settings, this.#now);
  }

  /** Runs the script; a failure marks Redis away for a moment and is the caller's to fall back from. */
  async run(key: string, op: 'take' | 'throttled', arg: number): Promise<number[]> {
    const { perSecond, burst } = this.settings;
    const { decrease, recovery, holdMs, floor, maxPauseMs } = AIMD;
    try {
      const reply = await this.redis.ncoreRate(
        2,
        key,
        INSTANCES_KEY,
        op,
        perSecond,
        burst,
        arg,
        decrease,
        recovery,
        holdMs,
        floor,
        maxPauseMs,
        this.#id,
        STATE_TTL_MS,
        INSTANCE_WINDOW_MS,
      );
      if (op === 'take') this.#seen = reply[2] ?? this.#seen;
      if (this.#state !== 'up' && this.#state !== 'closed') {
        const wasDown = this.#state === 'down';
        this.#state = 'up';
        if (wasDown) this.options.onChange?.(true, this.instances);
      }
      return reply;
    } catch (error) {
      this.#failedAt = this.#now();
      this.#down();
      throw error;
    }
  }

  /** Leaves the instances seen (so the others' shares grow sooner) and closes the connection. */
  async close(): Promise<void> {
    this.#state = 'closed';
    if (this.redis.status === 'ready') await this.redis.zrem(INSTANCES_KEY, this.#id).catch(() => {});
    this.redis.disconnect();
  }

  /** Logged once per outage, not per call. */
  #down(): void {
    if (this.#state === 'down' || this.#state === 'closed') return;
    this.#state = 'down';
    this.options.onChange?.(false, this.instances);
  }

  readonly #now = (): number => (this.options.now ?? Date.now)();
}

/** One tenant's turns from Redis, or from this process's share while Redis is away. */
class SharedSource implements RateSource {
  #fallback: RateSource | undefined;
  /** The tenant's rate as Redis last reported it. */
  #rate: number;
  /** How far ahead the shared bucket was booked when Redis last answered, and when that was. */
  #debt = 0;
  #debtAt = 0;
  /** How long the tenant was still paused by a Retry-After then. */
  #paused = 0;

  constructor(
    private readonly store: SharedRates,
    private readonly key: string,
    private readonly settings: GovernorSettings,
    private readonly now: () => number,
  ) {
    this.#rate = settings.perSecond;
  }

  get local(): boolean {
    return !this.store.usable;
  }

  get rate(): number {
    return this.store.usable || !this.#fallback ? this.#rate : this.#fallback.rate;
  }

  take(want: number): Grant | Promise<Grant> {
    if (!this.store.usable) return this.#local().take(want);
    return this.store.run(this.key, 'take', want).then(
      (reply) => {
        this.#heard(reply);
        return { granted: reply[0] ?? 0, waitMs: reply[1] ?? 0 };
      },
      () => this.#local().take(want),
    );
  }

  throttled(retryAfterMs?: number): void {
    if (!this.store.usable) {
      this.#local().throttled(retryAfterMs);
      return;
    }
    this.store.run(this.key, 'throttled', retryAfterMs ?? 0).then(
      (reply) => this.#heard(reply),
      () => this.#local().throttled(retryAfterMs),
    );
  }

  soonest(n: number): number {
    if (!this.store.usable) return this.#local().soonest(n);
    // From what Redis said last: a lower bound, since other instances can only have booked more since.
    const interval = 1000 / this.#rate;
    const tau = Math.max(interval, (this.settings.burst * 1000) / this.settings.perSecond);
    const elapsed = this.now() - this.#debtAt;
    const debt = Math.max(0, this.#debt - elapsed);
    return Math.max(0, this.#paused - elapsed, debt + n * interval - tau);
  }

  #heard(reply: number[]): void {
    this.#rate = (reply[3] ?? this.settings.perSecond * 1000) / 1000;
    this.#debt = reply[4] ?? 0;
    this.#paused = reply[5] ?? 0;
    this.#debtAt = this.now();
    // Back on Redis: a later outage starts a fresh share from the rate then in force.
    this.#fallback = undefined;
  }

  /** This process's share, made when Redis goes away: empty (no burst of its own), at the rate last in force. */
  #local(): RateSource {
    this.#fallback ??= localShare(this.settings, this.store.instances, this.now, { rate: this.#rate, empty: true });
    return this.#fallback;
  }
}
