import { describe, expect, it } from 'vitest';
import { mapSettled } from '../../src/operation/loaders.ts';

/** A task per item that the test settles by hand, so concurrency is observed, not timed. */
function manual<T>() {
  const pending = new Map<T, { resolve: (v: string) => void; reject: (e: unknown) => void }>();
  let running = 0;
  let peak = 0;
  const fn = (item: T) =>
    new Promise<string>((resolve, reject) => {
      running += 1;
      peak = Math.max(peak, running);
      pending.set(item, {
        resolve: (v) => {
          running -= 1;
          resolve(v);
        },
        reject: (e) => {
          running -= 1;
          reject(e);
        },
      });
    });
  return { fn, pending, peak: () => peak, running: () => running };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('bounded fan-out (mapSettled)', () => {
  it('never runs more than the limit at once, and starts the next as soon as one ends', async () => {
    const tasks = manual<number>();
    const done = mapSettled([1, 2, 3, 4, 5], 2, tasks.fn);
    await tick();
    expect([...tasks.pending.keys()]).toEqual([1, 2]);
    tasks.pending.get(2)!.resolve('two');
    await tick();
    expect([...tasks.pending.keys()]).toEqual([1, 2, 3]);
    for (const item of [1, 3, 4, 5]) {
      await tick();
      tasks.pending.get(item)!.resolve(`#${item}`);
    }
    expect(await done).toEqual(['#1', 'two', '#3', '#4', '#5']);
    expect(tasks.peak()).toBe(2);
  });

  it('keeps input order and puts each failure in its place as an Error, costing no other item', async () => {
    const results = await mapSettled(['a', 'b', 'c'], 8, async (item) => {
      if (item === 'b') throw new Error('b failed');
      if (item === 'c') throw 'not an error';
      return item.toUpperCase();
    });
    expect(results[0]).toBe('A');
    expect(results[1]).toBeInstanceOf(Error);
    expect((results[1] as Error).message).toBe('b failed');
    expect(results[2]).toBeInstanceOf(Error);
    expect((results[2] as Error).message).toBe('not an error');
  });

  it('runs nothing for no items and never more workers than items', async () => {
    expect(await mapSettled([], 4, async () => 1)).toEqual([]);
    const tasks = manual<number>();
    const done = mapSettled([7], 64, tasks.fn);
    await tick();
    expect(tasks.running()).toBe(1);
    tasks.pending.get(7)!.resolve('seven');
    expect(await done).toEqual(['seven']);
  });
});
