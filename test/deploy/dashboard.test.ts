import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { createGateway, type Gateway } from '../../src/gateway.ts';
import { createSimulator, type Simulator } from '../../src/simulator/index.ts';
import { WEBHOOK_ENV } from '../support/events.ts';

interface Panel {
  type: string;
  title: string;
  targets?: { expr: string }[];
}

const dashboard = JSON.parse(readFileSync('deploy/grafana-dashboard.json', 'utf8')) as { panels: Panel[] };
const queries = dashboard.panels.flatMap((panel) =>
  (panel.targets ?? []).map((t) => ({ panel: panel.title, expr: t.expr })),
);

/** Series a query selects: every name written before a label matcher, as the dashboard writes them all. */
const selected = (expr: string) => [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)].map((m) => m[1]!);

describe('the Grafana dashboard (deploy/grafana-dashboard.json)', () => {
  let sim: Simulator;
  let gateway: Gateway;
  /** Every series family the gateway's /metrics exposes, with the histograms' _bucket, _sum and _count. */
  const exported = new Set<string>();

  beforeAll(async () => {
    sim = await createSimulator({ seed: 'demo' });
    const config = loadConfig({
      NCORE_BASE_URL: sim.url,
      NCORE_API_KEY: sim.apiKey,
      GATEWAY_AUTH: 'none',
      ...WEBHOOK_ENV,
    });
    gateway = createGateway(config.gateway, { processMetrics: true });
    const text = await (await gateway.fetch('http://gateway.test/metrics')).text();
    for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
      exported.add(name!);
      if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) exported.add(name + suffix);
    }
  });
  afterAll(async () => {
    await gateway?.close();
    await sim?.close();
  });

  it('has panels with queries, each selecting at least one series (the check below is not vacuous)', () => {
    expect(queries.length).toBeGreaterThan(15);
    for (const { panel, expr } of queries) expect(selected(expr), panel).not.toEqual([]);
  });

  it('names in every query only series the gateway exports', () => {
    const unknown = queries.flatMap(({ panel, expr }) =>
      selected(expr)
        .filter((name) => !exported.has(name))
        .map((name) => `${panel}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });

  it('covers every series family of the gateway itself', () => {
    const used = new Set(
      queries.flatMap(({ expr }) => selected(expr)).map((n) => n.replace(/_(bucket|sum|count)$/, '')),
    );
    const own = [...exported].filter((n) => /^(graphql_|ncore_|gateway_)/.test(n) && !/_(bucket|sum|count)$/.test(n));
    expect(own.filter((name) => !used.has(name))).toEqual([]);
  });
});
