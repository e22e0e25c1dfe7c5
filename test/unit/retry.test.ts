import { afterEach, describe, expect, it, vi } from 'vitest';
import { backoffMs, isConnectionError, parseRetryAfter, RETRYABLE_STATUSES, sleep } from '../../src/ncore/retry.ts';

describe('backoff between retries', () => {
  it('doubles per attempt, jittered between half and all of the step', () => {
    expect(backoffMs(0, undefined, () => 0)).toBe(50);
    expect(backoffMs(0, undefined, () => 0.999999)).toBeCloseTo(100, 3);
    expect(backoffMs(1, undefined, () => 0)).toBe(100);
    expect(backoffMs(3, undefined, () => 0.5)).toBe(600);
  });

  it('never waits longer than ten seconds, however many attempts', () => {
    expect(backoffMs(20, undefined, () => 1)).toBe(10_000);
  });

  it("waits at least as long as nCore's Retry-After", () => {
    expect(backoffMs(0, 3, () => 0)).toBe(3_000);
    expect(backoffMs(5, 0, () => 0)).toBe(1_600);
  });

  it('gives up (Infinity) when nCore asks for a longer wait than the gateway makes', () => {
    expect(backoffMs(0, 11, () => 0)).toBe(Infinity);
  });
});

describe('reading Retry-After', () => {
  const now = Date.parse('2026-11-27T10:00:00.000Z');

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('7', now)).toBe(7);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter(['2', '9'], now)).toBe(2);
  });

  it('reads an HTTP date as the seconds until it, rounded up, never negative', () => {
    expect(parseRetryAfter('Fri, 27 Nov 2026 10:00:05 GMT', now)).toBe(5);
    expect(parseRetryAfter('Fri, 27 Nov 2026 09:59:00 GMT', now)).toBe(0);
  });

  it('ignores an absent, empty or unreadable header', () => {
    for (const header of [undefined, '', '   ', 'soon', '-3', '1.5'])
      expect(parseRetryAfter(header, now)).toBeUndefined();
  });
});

describe('what may be retried', () => {
  it('retries throttling and gateway failures, never a 500 or a client error', () => {
    expect([...RETRYABLE_STATUSES].sort()).toEqual([429, 502, 503, 504]);
  });

  it('knows connection failures by their code only', () => {
    expect(isConnectionError(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isConnectionError(Object.assign(new Error('x'), { code: 'UND_ERR_HEADERS_TIMEOUT' }))).toBe(false);
    expect(isConnectionError(new Error('ECONNRESET'))).toBe(false);
    expect(isConnectionError(null)).toBe(false);
  });
});

describe('sleeping between attempts', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves after the wait', async () => {
    vi.useFakeTimers();
    let done = false;
    const waiting = sleep(500).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(499);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await waiting;
    expect(done).toBe(true);
  });

  it("rejects with the signal's reason as soon as it aborts, and at once if it already has", async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const waiting = sleep(10_000, controller.signal);
    controller.abort(new Error('deadline'));
    await expect(waiting).rejects.toThrow('deadline');
    await expect(sleep(10, controller.signal)).rejects.toThrow('deadline');
    expect(vi.getTimerCount()).toBe(0);
  });
});
