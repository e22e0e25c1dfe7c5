import { describe, expect, it } from 'vitest';
import { ErrorCode, gatewayError } from '../../src/errors.ts';
import { Ending } from '../../src/events/delivery.ts';
import { SubscriptionStream } from '../../src/events/stream.ts';

function stream(limit: number) {
  const calls = { overflow: 0, close: 0 };
  const ending = new Ending(gatewayError(ErrorCode.SLOW_CONSUMER, 'slow'));
  const s = new SubscriptionStream<number>(
    limit,
    () => ending,
    () => calls.overflow++,
    () => calls.close++,
  );
  return { s, calls, ending };
}

describe('a subscription stream', () => {
  it('hands events to a waiting reader and queues them for a busy one, in order', async () => {
    const { s } = stream(5);
    const waiting = s.next();
    s.push(1);
    s.push(2);
    s.push(3);
    expect(await waiting).toEqual({ value: 1, done: false });
    expect(await s.next()).toEqual({ value: 2, done: false });
    expect(await s.next()).toEqual({ value: 3, done: false });
  });

  it('past its bound it drops what waits, ends with the Ending and tells the hub once', async () => {
    const { s, calls, ending } = stream(2);
    for (let i = 0; i < 10; i++) s.push(i);
    expect(calls.overflow).toBe(1);
    expect(s.open).toBe(false);
    expect(await s.next()).toEqual({ value: ending, done: false });
    expect(await s.next()).toEqual({ value: undefined, done: true });
    expect(calls.close).toBe(1);
  });

  it('end() delivers what is queued, then completes', async () => {
    const { s, calls } = stream(5);
    s.push(1);
    s.end();
    s.push(2);
    expect(await s.next()).toEqual({ value: 1, done: false });
    expect(await s.next()).toEqual({ value: undefined, done: true });
    expect(calls.close).toBe(1);
  });

  it('end() completes a reader that is waiting', async () => {
    const { s, calls } = stream(5);
    const waiting = s.next();
    s.end();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(calls.close).toBe(1);
  });

  it('return() (the client left) completes at once and closes once', async () => {
    const { s, calls } = stream(5);
    s.push(1);
    const waiting = s.next();
    await s.return();
    await s.return();
    expect(await waiting).toEqual({ value: 1, done: false });
    expect(await s.next()).toEqual({ value: undefined, done: true });
    expect(calls.close).toBe(1);
  });
});
