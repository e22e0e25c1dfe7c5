import { beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ROOT_ID, demoSeed, type LoggedRequest } from '../../src/simulator/index.ts';
import { graphql } from '../gql/index.ts';
import { useStack } from '../support/stack.ts';

const Wide = graphql(`
  query AdaptiveWide($ids: [ID!]!) {
    nodes(ids: $ids) { id }
  }
`);

const IDS = demoSeed()
  .map((u) => u.id)
  .filter((id) => id !== DEMO_ROOT_ID);

/** `clients` loops of wide trees for `ms`; how many answers carried an error. */
async function overload(send: (ids: string[]) => Promise<{ body: { errors?: unknown[] } }>, ms: number) {
  let failed = 0;
  let answered = 0;
  const until = Date.now() + ms;
  await Promise.all(
    Array.from({ length: 4 }, async (_, client) => {
      for (let i = client * 7; Date.now() < until; i += 5) {
        const { body } = await send(IDS.slice(i % 40, (i % 40) + 6));
        answered += 1;
        if (body.errors) failed += 1;
      }
    }),
  );
  return { answered, failed };
}

/** Refused calls, and the next call for the same path after each (its retry), from nCore's request log. */
function retriesAfterRefusals(requests: readonly LoggedRequest[]): number[] {
  const gaps: number[] = [];
  requests.forEach((request, index) => {
    if (!request.overQuota) return;
    const retry = requests.slice(index + 1).find((r) => r.path === request.path);
    if (retry) gaps.push(retry.at - request.at);
  });
  return gaps;
}

describe('the governor told a higher rate than nCore allows', () => {
  const stack = useStack({
    env: { NCORE_RATE_LIMIT: '40', CACHE_TTL_MS: '0', OPERATION_TIMEOUT_MS: '20000' },
    simulator: { quota: { perSecond: 10 } },
  });
  beforeEach(() => stack.sim.reset());

  it('finds the lower quota from its 429s: few refusals, most of them at the start, and the rate slowed', async () => {
    const { answered } = await overload((ids) => stack.run(Wide, { ids }), 6_000);
    expect(answered).toBeGreaterThan(5);
    // What finds the quota out is the first burst: the 20 calls of the gateway's burst that nCore's 10 did not
    // cover, and those already on their way when the first 429 came back. After that nCore refuses next to none.
    expect(stack.sim.quotaCounts.refused).toBeLessThanOrEqual(30);
    const refusals = stack.sim.requests.filter((r) => r.overQuota).map((r) => r.at);
    expect(refusals.filter((at) => at > refusals[0]! + 1_500).length).toBeLessThanOrEqual(3);
    const text = await (await stack.gateway.fetch('http://gateway.test/metrics')).text();
    const rate = Number(/^ncore_rate_limit\{tenant="[\w-]{8}"\} ([\d.]+)$/m.exec(text)?.[1]);
    expect(rate).toBeLessThan(20);
    expect(text).toMatch(/^ncore_rate_throttled_total\{tenant="[\w-]{8}"\} [1-9]/m);
  });
});

describe("nCore's Retry-After", () => {
  const stack = useStack({
    env: { NCORE_RATE_LIMIT: '40', CACHE_TTL_MS: '0', OPERATION_TIMEOUT_MS: '20000' },
    simulator: { quota: { perSecond: 10 } },
  });

  it("is kept: a refused call is not retried before it, and the tenant's other calls go no sooner", async () => {
    await overload((ids) => stack.run(Wide, { ids }), 2_000);
    const gaps = retriesAfterRefusals(stack.sim.requests);
    expect(gaps.length).toBeGreaterThan(0);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(1_000);
    // Calls already on their way when the first 429 came back may arrive just after it; none sent after it does.
    const first = stack.sim.requests.find((r) => r.overQuota)!;
    const admittedSoonAfter = stack.sim.requests.filter(
      (r) => !r.overQuota && r.at > first.at + 250 && r.at < first.at + 950,
    );
    expect(admittedSoonAfter).toEqual([]);
  });
});
