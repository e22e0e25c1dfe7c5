import type { Readers } from './readers.ts';
import type { GovernorConfig } from './types.ts';

/**
 * The per-tenant call governor (src/ncore/governor.ts). `NCORE_RATE_LIMIT` unset or 0: no governor, calls go as they
 * come. The burst defaults to half a second of calls: a tree that size after a quiet spell goes out at once, while any
 * second holds at most one and a half seconds' worth, which leaves a quota that allows a second's worth at once half a
 * second of slack for calls that arrive bunched. The processes sharing the rate default to `WORKERS`: this instance's
 * own; with several instances, count them all (Redis counts them itself while it is up).
 */
export function governorConfig({ int, text, problems }: Readers, workers: number): GovernorConfig | undefined {
  const perSecond = int('NCORE_RATE_LIMIT', 0, 0, 1_000_000);
  if (perSecond === 0) {
    for (const name of ['NCORE_RATE_BURST', 'NCORE_RATE_INSTANCES'])
      if (text(name) !== undefined) problems.push(`${name} applies only with NCORE_RATE_LIMIT (calls per second)`);
    return undefined;
  }
  return {
    perSecond,
    burst: int('NCORE_RATE_BURST', Math.ceil(perSecond / 2), 1, 1_000_000),
    instances: int('NCORE_RATE_INSTANCES', workers, 1, 10_000),
  };
}
