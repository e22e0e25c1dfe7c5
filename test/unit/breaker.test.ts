import { describe, expect, it } from 'vitest';
import { type ConfigError, loadConfig } from '../../src/config/index.ts';
import { type BreakerSettings, type BreakerState, CircuitBreaker } from '../../src/ncore/breaker.ts';
import { Breakers, type BreakerTransition } from '../../src/ncore/breakers.ts';

const SETTINGS: BreakerSettings = {
  minCalls: 20,
  failureRate: 0.5,
  windowMs: 10_000,
  cooldownMs: 5_000,
  halfOpenProbes: 3,
};

/** A breaker on a clock the test moves, with every transition it made. */
function setup(settings: Partial<BreakerSettings> = {}) {
  const clock = { now: 1_000_000 };
  const transitions: [BreakerState, BreakerState][] = [];
  const breaker = new CircuitBreaker(
    { ...SETTINGS, ...settings },
    () => clock.now,
    (from, to) => {
      transitions.push([from, to]);
    },
  );
  const succeed = (n = 1) => {
    for (let i = 0; i < n; i++) breaker.success(breaker.admit()!);
  };
  let next = 0;
  /** `n` failed calls, each asking for something different (another user). */
  const fail = (n = 1, target?: string) => {
    for (let i = 0; i < n; i++) breaker.failure(breaker.admit()!, target ?? `user-${next++}`);
  };
  const tick = (ms: number) => {
    clock.now += ms;
  };
  return { breaker, succeed, fail, tick, transitions };
}

describe('a closed breaker judges the failure rate over its window', () => {
  it('stays closed below the minimum number of calls, however many of them fail', () => {
    const { breaker, fail } = setup();
    fail(19);
    expect(breaker.state).toBe('closed');
    fail(1);
    expect(breaker.state).toBe('open');
  });

  it('opens at the failure rate once the minimum is reached, not below it', () => {
    const { breaker, succeed, fail } = setup();
    succeed(11);
    fail(9);
    expect(breaker.state).toBe('closed');
    fail(1);
    expect(breaker.state).toBe('closed');
    fail(1);
    expect(breaker.state).toBe('open');
  });

  it('counts a request that keeps failing once: a poison record alone never opens it', () => {
    const { breaker, fail } = setup();
    fail(1_000, 'GET /users/poison');
    expect(breaker.state).toBe('closed');
    fail(18);
    expect(breaker.state).toBe('closed');
    fail(1);
    expect(breaker.state).toBe('open');
  });

  it('forgets what is older than the window', () => {
    const { breaker, succeed, fail, tick } = setup();
    fail(15);
    tick(10_001);
    fail(15);
    expect(breaker.state).toBe('closed');
    succeed(17);
    tick(9_000);
    fail(1);
    expect(breaker.state).toBe('closed');
    fail(1);
    expect(breaker.state).toBe('open');
  });

  it('forgets successes older than the window, so a quiet spell does not dilute an outage', () => {
    const { breaker, succeed, fail, tick } = setup();
    succeed(1_000);
    tick(11_000);
    fail(20);
    expect(breaker.state).toBe('open');
  });
});

describe('an open breaker', () => {
  it('fails fast until the cool-down passes, then admits only the probes', () => {
    const { breaker, fail, tick } = setup();
    fail(20);
    expect(breaker.admit()).toBeUndefined();
    tick(4_999);
    expect(breaker.admit()).toBeUndefined();
    tick(1);
    expect(breaker.state).toBe('half-open');
    const probes = [breaker.admit(), breaker.admit(), breaker.admit()];
    expect(probes.every(Boolean)).toBe(true);
    expect(breaker.admit()).toBeUndefined();
  });

  it('closes when every probe succeeds, with a fresh window', () => {
    const { breaker, fail, tick, transitions } = setup();
    fail(20);
    tick(5_000);
    const probes = [breaker.admit()!, breaker.admit()!, breaker.admit()!];
    breaker.success(probes[0]!);
    breaker.success(probes[1]!);
    expect(breaker.state).toBe('half-open');
    breaker.success(probes[2]!);
    expect(breaker.state).toBe('closed');
    fail(19);
    expect(breaker.state).toBe('closed');
    expect(transitions).toEqual([
      ['closed', 'open'],
      ['open', 'half-open'],
      ['half-open', 'closed'],
    ]);
  });

  it('reopens for a whole cool-down when a probe fails', () => {
    const { breaker, fail, tick } = setup();
    fail(20);
    tick(5_000);
    const probe = breaker.admit()!;
    tick(1_000);
    breaker.failure(probe, 'anything');
    expect(breaker.state).toBe('open');
    tick(4_999);
    expect(breaker.state).toBe('open');
    tick(1);
    expect(breaker.state).toBe('half-open');
  });

  it('gives a probe whose caller gave up its place to the next call', () => {
    const { breaker, fail, tick } = setup({ halfOpenProbes: 1 });
    fail(20);
    tick(5_000);
    const probe = breaker.admit()!;
    expect(breaker.admit()).toBeUndefined();
    breaker.release(probe);
    const next = breaker.admit()!;
    expect(next).toBeDefined();
    breaker.success(next);
    expect(breaker.state).toBe('closed');
  });

  it('ignores the outcome of calls admitted before it opened', () => {
    const { breaker, succeed, fail, tick } = setup();
    const early = [breaker.admit()!, breaker.admit()!];
    fail(20);
    tick(5_000);
    breaker.failure(early[0]!, 'late');
    expect(breaker.state).toBe('half-open');
    breaker.success(early[1]!);
    succeed(2);
    expect(breaker.state).toBe('half-open');
    succeed(1);
    expect(breaker.state).toBe('closed');
  });
});

describe('breakers per tenant key', () => {
  it('keeps one breaker for every key when calls carry the gateway key', () => {
    const breakers = new Breakers(SETTINGS, { perKey: false });
    expect(breakers.for('a')).toBe(breakers.for('b'));
  });

  it('keeps tenants apart, reports the worst state and counts by state, and never holds a key', () => {
    const clock = { now: 0 };
    const seen: BreakerTransition[] = [];
    const breakers = new Breakers(SETTINGS, { perKey: true, now: () => clock.now, onTransition: (t) => seen.push(t) });
    const a = breakers.for('tenant-a-secret');
    expect(breakers.for('tenant-a-secret')).toBe(a);
    for (let i = 0; i < 20; i++) a.failure(a.admit()!, `t${i}`);
    const b = breakers.for('tenant-b-secret');
    expect(a.state).toBe('open');
    expect(b.state).toBe('closed');
    expect(b.admit()).toBeDefined();
    expect(breakers.worst()).toBe('open');
    expect(breakers.counts()).toEqual({ closed: 1, 'half-open': 0, open: 1 });
    expect(seen).toEqual([{ from: 'closed', to: 'open', tenant: expect.stringMatching(/^[\w-]{8}$/) }]);
    expect(JSON.stringify(seen)).not.toContain('secret');
  });

  it('holds a bounded number of tenants, forgetting the least recently used', () => {
    const breakers = new Breakers(SETTINGS, { perKey: true, maxTenants: 2 });
    const a = breakers.for('a');
    breakers.for('b');
    breakers.for('a');
    breakers.for('c');
    expect(breakers.for('a')).toBe(a);
    expect(Object.values(breakers.counts()).reduce((x, y) => x + y)).toBe(2);
  });
});

describe('breaker settings', () => {
  it('defaults to at least 20 calls, half of them failed, within 10 s; 10 s cool-down; 3 probes', () => {
    expect(loadConfig({}).gateway.ncore.breaker).toEqual({
      minCalls: 20,
      failureRate: 0.5,
      windowMs: 10_000,
      cooldownMs: 10_000,
      halfOpenProbes: 3,
    });
  });

  it('reads each setting, the failure rate in percent', () => {
    const env = {
      BREAKER_MIN_CALLS: '5',
      BREAKER_FAILURE_RATE: '25',
      BREAKER_WINDOW_MS: '2000',
      BREAKER_COOLDOWN_MS: '300',
      BREAKER_HALF_OPEN_PROBES: '1',
    };
    expect(loadConfig(env).gateway.ncore.breaker).toEqual({
      minCalls: 5,
      failureRate: 0.25,
      windowMs: 2000,
      cooldownMs: 300,
      halfOpenProbes: 1,
    });
  });

  it('refuses the old consecutive-failure setting with a line saying what replaced it, among every other problem', () => {
    try {
      loadConfig({ BREAKER_THRESHOLD: '5', BREAKER_FAILURE_RATE: '0' });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'BREAKER_THRESHOLD is no longer read: the breaker opens on a failure rate, set BREAKER_MIN_CALLS and BREAKER_FAILURE_RATE (percent) instead',
        'BREAKER_FAILURE_RATE must be a whole number from 1 to 100 (got "0")',
      ]);
    }
  });
});
