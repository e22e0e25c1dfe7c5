import { describe, expect, it } from 'vitest';
import { checks } from '../../bench/soak/report.ts';
import { runSoak } from '../../bench/soak/run.ts';
import { SMOKE } from '../../bench/soak/settings.ts';

describe('a short chaos soak of the gateway process', () => {
  it('loses nothing, duplicates nothing, answers no 5xx, and comes back by itself after an outage', async () => {
    const figures = await runSoak(SMOKE);
    const verdicts = Object.fromEntries(checks(figures).map((c) => [c.name, c]));
    const { creates } = figures;
    expect(creates.intended.keyed + creates.intended.unkeyed).toBeGreaterThan(50);
    expect(creates.duplicates).toBe(0);
    expect(creates.lost).toBe(0);
    expect(creates.retriedExactlyOne).toBe(creates.retried);
    expect(creates.keyedGaveUp).toBe(0);
    expect(figures.recorder.http5xx).toBe(0);
    expect(figures.gateway).toMatchObject({ alive: true, unhandled: 0, errorMessages: [] });
    expect(figures.driverUnhandled).toBe(0);
    expect(verdicts['breaker stays closed through random faults']?.passed).toBe(true);
    expect(verdicts['breaker opens during the outage']?.passed).toBe(true);
    expect(verdicts['breaker closed at the end']?.passed).toBe(true);
    expect(figures.recoveredAfterMs).toBeDefined();
  }, 120_000);
});
