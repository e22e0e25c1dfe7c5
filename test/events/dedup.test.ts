import { describe, expect, it } from 'vitest';
import { MemoryDeduplicator } from '../../src/events/dedup.ts';

describe('in-process de-duplication', () => {
  it('claims a token once while it lives, and again after its TTL', async () => {
    let now = 1_000;
    const dedup = new MemoryDeduplicator(500, 100, () => now);
    expect(await dedup.claim('a')).toBe(true);
    expect(await dedup.claim('a')).toBe(false);
    expect(await dedup.claim('b')).toBe(true);
    now += 499;
    expect(await dedup.claim('a')).toBe(false);
    now += 1;
    expect(await dedup.claim('a')).toBe(true);
    expect(await dedup.claim('b')).toBe(true);
  });

  it('forgets expired tokens as it goes, so memory follows the TTL', async () => {
    let now = 0;
    const dedup = new MemoryDeduplicator(100, 1_000_000, () => now);
    for (let i = 0; i < 50; i++) await dedup.claim(`t${i}`);
    now = 100;
    await dedup.claim('fresh');
    expect(dedup.size).toBe(1);
  });

  it('stays within its bound, dropping the oldest claims first', async () => {
    const dedup = new MemoryDeduplicator(60_000, 3, () => 0);
    for (const token of ['a', 'b', 'c', 'd']) expect(await dedup.claim(token)).toBe(true);
    expect(dedup.size).toBe(3);
    expect(await dedup.claim('d')).toBe(false);
    expect(await dedup.claim('c')).toBe(false);
    expect(await dedup.claim('a')).toBe(true);
  });

  it('a released token can be claimed again (its event was never published)', async () => {
    const dedup = new MemoryDeduplicator(60_000);
    expect(await dedup.claim('x')).toBe(true);
    await dedup.release('x');
    expect(await dedup.claim('x')).toBe(true);
  });
});
