import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.ts';
import { errorCode } from '../../src/errors.ts';
import { errorFromStatus } from '../../src/ncore/errors.ts';
import { Governor } from '../../src/ncore/governor.ts';
import { AIMD, localShare, RateBucket } from '../../src/ncore/rate.ts';
import { type OperationTurns, refusedTurn, TenantTurns, type TurnSource } from '../../src/ncore/turns.ts';

/** A bucket on a clock the test moves. */
function bucket(perSecond: number, burst: number, options: ConstructorParameters<typeof RateBucket>[2] = {}) {
  const clock = { now: 1_000_000 };
  const b = new RateBucket({ perSecond, burst }, () => clock.now, options);
  return { b, tick: (ms: number) => (clock.now += ms) };
}

/** Turns taken over `ms`, asking for as many as possible every `step` ms. */
function drain(b: RateBucket, tick: (ms: number) => void, ms: number, step = 1): number {
  let taken = 0;
  for (let t = 0; t < ms; t += step) {
    taken += b.take(1_000).granted;
    tick(step);
  }
  return taken;
}

describe('the rate bucket (GCRA)', () => {
  it('lets the burst go at once, then one call per interval, and says when the next comes', () => {
    const { b, tick } = bucket(10, 5);
    expect(b.take(8)).toEqual({ granted: 5, waitMs: 100 });
    tick(99);
    expect(b.take(1).granted).toBe(0);
    tick(1);
    expect(b.take(3)).toEqual({ granted: 1, waitMs: 100 });
  });

  it('holds any stretch of time to the burst plus the rate', () => {
    const { b, tick } = bucket(50, 25);
    // The 500th call of the rate comes at 10 s, just after the stretch.
    expect(drain(b, tick, 10_000)).toBe(25 + 499);
    tick(2_000);
    expect(drain(b, tick, 1_000)).toBe(25 + 49);
  });

  it('names the soonest n turns could come, as a lower bound', () => {
    const { b, tick } = bucket(10, 2);
    expect(b.soonest(2)).toBe(0);
    expect(b.soonest(5)).toBe(300);
    b.take(2);
    expect(b.soonest(1)).toBe(100);
    tick(100);
    expect(b.soonest(1)).toBe(0);
  });

  it('halves the rate on a 429, spends the burst, and sends nothing before Retry-After', () => {
    const { b, tick } = bucket(40, 20);
    b.throttled(2_000);
    expect(b.rate).toBe(20);
    tick(1_999);
    expect(b.take(1).granted).toBe(0);
    tick(1);
    expect(b.take(100).granted).toBe(1);
  });

  it('decreases once for the 429s of calls sent before the decrease, again after the hold', () => {
    const { b, tick } = bucket(40, 20);
    b.throttled();
    b.throttled();
    tick(AIMD.holdMs - 1);
    b.throttled();
    expect(b.rate).toBeCloseTo(20 + 40 * AIMD.recovery * ((AIMD.holdMs - 1) / 1000), 6);
    tick(1);
    b.throttled();
    expect(b.rate).toBeCloseTo(11, 6);
  });

  it('recovers by a twentieth of the refused rate per second, back to the setting, never above', () => {
    const { b, tick } = bucket(40, 20);
    b.throttled();
    tick(5_000);
    expect(b.rate).toBeCloseTo(30, 6);
    tick(5_000);
    expect(b.rate).toBe(40);
    tick(60_000);
    expect(b.rate).toBe(40);
  });

  it('never goes below the floor, and its burst shrinks with its rate', () => {
    const { b, tick } = bucket(4, 4);
    for (let i = 0; i < 5; i++) {
      tick(AIMD.holdMs);
      b.throttled();
    }
    expect(b.rate).toBe(AIMD.floor);
    const slowed = bucket(10, 10);
    slowed.b.throttled();
    slowed.tick(1_000);
    // Half the rate, so half the burst: the burst is a time (one second of calls), not a count.
    expect(slowed.b.take(100).granted).toBe(5);
  });

  it('starts empty when asked, so a share taken over mid-flight adds no burst of its own', () => {
    const { b, tick } = bucket(10, 5, { empty: true });
    expect(b.take(5).granted).toBe(0);
    tick(100);
    expect(b.take(5).granted).toBe(1);
  });

  it('as a local share, keeps 1/instances of rate and burst and reports the whole rate', () => {
    const clock = { now: 0 };
    const share = localShare({ perSecond: 40, burst: 20 }, 4, () => clock.now);
    expect(share.take(100).granted).toBe(5);
    clock.now += 1_000;
    expect(share.take(100).granted).toBe(5);
    expect(share.rate).toBe(40);
  });
});

/** A source over a bucket that counts its asks. */
function counted(b: RateBucket): TurnSource & { asks: number[] } {
  const asks: number[] = [];
  return {
    asks,
    local: true,
    take(want) {
      asks.push(want);
      return b.take(want);
    },
    soonest: (n) => b.soonest(n),
  };
}

const op = (): OperationTurns => ({ waiting: 0, since: 0, waitedMs: 0 });

describe('the turns of one tenant, shared between operations', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const setup = (perSecond: number, burst: number) => {
    const source = counted(new RateBucket({ perSecond, burst }));
    const seen = { waits: [] as number[], refused: 0 };
    const turns = new TenantTurns(source, { waited: (ms) => seen.waits.push(ms), refused: () => seen.refused++ });
    const order: string[] = [];
    const ask = (name: string, operation: OperationTurns, giveUpAt = Date.now() + 60_000) => {
      const turn = turns.turn(operation, giveUpAt);
      if (!turn) return void order.push(name);
      return turn.then(() => void order.push(name));
    };
    return { source, seen, turns, order, ask };
  };

  it('gives a call a turn at once when the bucket has one and nobody waits', () => {
    const { turns, seen } = setup(10, 2);
    expect(turns.turn(op(), Date.now() + 1_000)).toBeUndefined();
    expect(seen.waits).toEqual([0]);
  });

  it('serves waiting operations round-robin: a one-call query passes the tail of a wide tree', async () => {
    const { ask, order } = setup(10, 1);
    const wide = op();
    const small = op();
    for (let i = 0; i < 20; i++) void ask(`wide${i}`, wide);
    await vi.advanceTimersByTimeAsync(250);
    void ask('small', small);
    await vi.advanceTimersByTimeAsync(2_000);
    const at = order.indexOf('small');
    expect(at).toBeGreaterThan(0);
    // Its turn comes next but one, however many calls the tree still has waiting.
    expect(at).toBeLessThanOrEqual(order.indexOf('wide3') + 1);
    expect(order.filter((n) => n.startsWith('wide'))).toEqual(Array.from({ length: 20 }, (_, i) => `wide${i}`));
    expect(small.waitedMs).toBeLessThanOrEqual(200);
  });

  it('rotates between three operations, one turn each', async () => {
    const { ask, order } = setup(100, 1);
    const [a, b, c] = [op(), op(), op()];
    ask('a', a);
    const ops = { a, b, c };
    for (let i = 0; i < 3; i++) for (const [name, o] of Object.entries(ops)) void ask(name, o);
    await vi.advanceTimersByTimeAsync(200);
    expect(order.join('')).toBe('aabcabcabc');
  });

  it('asks once for every call of a round that waits at once', async () => {
    const { ask, source } = setup(100, 1);
    ask('first', op());
    const tree = op();
    for (let i = 0; i < 50; i++) void ask('call', tree);
    await vi.advanceTimersByTimeAsync(0);
    // The first call of the round found the bucket empty; then one ask for all fifty.
    expect(source.asks).toEqual([1, 1, 50]);
  });

  it('refuses at once, with RATE_LIMITED, a call the whole rate could not serve before it gives up', async () => {
    const { turns, seen } = setup(10, 1);
    const tree = op();
    const giveUpAt = Date.now() + 450;
    const outcomes = Array.from({ length: 8 }, () =>
      Promise.resolve(turns.turn(tree, giveUpAt)).then(
        () => 'turn',
        (error: unknown) => errorCode(error),
      ),
    );
    expect(seen.refused).toBe(3);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await Promise.all(outcomes)).toEqual([...Array(5).fill('turn'), ...Array(3).fill('RATE_LIMITED')]);
  });

  it('refuses a waiting call when it gives up, telling when a turn may come; the others keep theirs', async () => {
    const { turns, seen } = setup(2, 1);
    const busy = op();
    for (let i = 0; i < 4; i++) void turns.turn(busy, Date.now() + 10_000);
    const late = turns.turn(op(), Date.now() + 600);
    const caught = late!.catch((error: { extensions: Record<string, unknown> }) => error.extensions);
    await vi.advanceTimersByTimeAsync(700);
    expect(await caught).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: 1 });
    // The operation's own limit, not nCore's answer: another operation waiting on the same read asks for itself.
    expect(refusedTurn(await late!.catch((error: unknown) => error))).toBe(true);
    expect(refusedTurn(errorFromStatus(429, undefined, 1))).toBe(false);
    expect(seen.refused).toBe(1);
    expect(turns.queued).toBe(2);
  });

  it("counts an operation's wait as the time any of its calls waited, not their sum", async () => {
    const { ask } = setup(10, 1);
    const tree = op();
    const calls = Array.from({ length: 11 }, () => ask('tree', tree));
    await vi.advanceTimersByTimeAsync(1_100);
    await Promise.all(calls);
    expect(tree.waiting).toBe(0);
    expect(tree.waitedMs).toBe(1_000);
  });
});

describe('the governor', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('holds one tenant per key, by digest, and leaves an answer time before the deadline', async () => {
    const refused: string[] = [];
    const governor = new Governor(
      { perSecond: 10, burst: 1, instances: 1 },
      { observer: { refused: (tenant) => refused.push(tenant) } },
    );
    const scope = { apiKey: 'tenant-key', deadline: Date.now() + 1_000 };
    expect(governor.turn(scope)).toBeUndefined();
    governor.answered(300);
    // The next turn comes in 100 ms, but an answer takes about 300 ms: 600 ms are left for it, not enough.
    const second = governor.turn({ ...scope, deadline: Date.now() + 650 });
    await expect(second).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatch(/^[\w-]{8}$/);
    expect(refused[0]).not.toContain('tenant');
    expect(governor.tenants()).toEqual([{ tenant: refused[0], queued: 0, rate: 10 }]);
    governor.turn({ apiKey: 'another-key', deadline: Date.now() + 1_000 });
    expect(governor.tenants()).toHaveLength(2);
  });

  it('slows the tenant a 429 came for', () => {
    const governor = new Governor({ perSecond: 10, burst: 1, instances: 1 });
    const scope = { apiKey: 'k', deadline: Date.now() + 1_000 };
    governor.turn(scope);
    governor.throttled(scope, 1);
    expect(governor.tenants()[0]?.rate).toBe(5);
  });
});

describe("the governor's settings", () => {
  const REAL = { NCORE_BASE_URL: 'https://sandbox.example/v1', NCORE_API_KEY: 'k', GATEWAY_AUTH: 'none' };
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig({ ...REAL, ...env });
      return [];
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
  };

  it('has no governor unless NCORE_RATE_LIMIT is set above 0', () => {
    expect(loadConfig(REAL).gateway.governor).toBeUndefined();
    expect(loadConfig({ ...REAL, NCORE_RATE_LIMIT: '0' }).gateway.governor).toBeUndefined();
  });

  it('defaults the burst to half a second of calls and the processes sharing the rate to WORKERS', () => {
    expect(loadConfig({ ...REAL, NCORE_RATE_LIMIT: '45', WORKERS: '3' }).gateway.governor).toEqual({
      perSecond: 45,
      burst: 23,
      instances: 3,
    });
    const set = { NCORE_RATE_LIMIT: '50', NCORE_RATE_BURST: '5', NCORE_RATE_INSTANCES: '4' };
    expect(loadConfig({ ...REAL, ...set }).gateway.governor).toEqual({ perSecond: 50, burst: 5, instances: 4 });
  });

  it('refuses a burst or a count of instances without a rate, and values out of range', () => {
    expect(problems({ NCORE_RATE_BURST: '5', NCORE_RATE_INSTANCES: '2' })).toEqual([
      'NCORE_RATE_BURST applies only with NCORE_RATE_LIMIT (calls per second)',
      'NCORE_RATE_INSTANCES applies only with NCORE_RATE_LIMIT (calls per second)',
    ]);
    expect(problems({ NCORE_RATE_LIMIT: '-1' })).toEqual([
      'NCORE_RATE_LIMIT must be a whole number from 0 to 1000000 (got "-1")',
    ]);
    expect(problems({ NCORE_RATE_LIMIT: '10', NCORE_RATE_BURST: '0' })).toHaveLength(1);
  });
});
