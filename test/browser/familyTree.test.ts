import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PageServer, servePage } from '../../examples/family-tree/serve.ts';
import { DEFAULT_API_KEY, DEMO_ROOT_ID, demoSeed } from '../../src/simulator/index.ts';
import { launchChromium } from '../support/browser.ts';
import { type GatewayProcess, startGatewayProcess } from '../support/process.ts';

/** Kept as an artifact of the run (test-results/ is git-ignored). */
const SCREENSHOT = 'test-results/family-tree.png';
/** What the embedded simulator adds to every nCore call, so that each generation costs a visible round trip. */
const LATENCY_MS = 250;

// Khalid's family as the demo seed holds it: the page should draw exactly these people.
const seed = demoSeed();
const childrenOf = (id: string) => seed.filter((u) => u.parent_user_id === id);
const generations = [seed.filter((u) => u.id === DEMO_ROOT_ID)];
for (let depth = 1; depth <= 3; depth++) generations.push(generations[depth - 1]!.flatMap((u) => childrenOf(u.id)));
const family = generations.flat();
const fullName = (u: { first_name: string; last_name?: string }) =>
  [u.first_name, u.last_name].filter(Boolean).join(' ');

interface Part {
  part: number;
  ms: number;
  people: number;
}

describe('the family tree page (examples/family-tree) in Chromium', () => {
  let site: PageServer;
  let gateway: GatewayProcess;
  let simulator: string;
  let browser: Browser;
  let tab: Page;
  const pageErrors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    // The page on an origin of its own, which the gateway lets read its answers; the gateway as `npm start`
    // runs it, over the embedded simulator, which delivers its webhooks to the gateway.
    site = await servePage();
    gateway = await startGatewayProcess({ CORS_ORIGINS: site.origin, SIMULATOR_LATENCY_MS: String(LATENCY_MS) });
    simulator = new URL(/demo data at (http:\/\/\S+)/.exec(gateway.output())![1]!).origin;
    browser = await launchChromium();
    tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    tab.on('pageerror', (error) => pageErrors.push(error.message));
    tab.on('request', (request) => requests.push(request.url()));
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
    await site?.close();
  });

  it("draws Khalid's descendants, the deferred generations filled in after the first paint", async () => {
    await tab.goto(`${site.origin}/?gateway=${encodeURIComponent(gateway.url)}&root=${DEMO_ROOT_ID}`);
    await tab.locator('body[data-state="complete"]').waitFor({ timeout: 30_000 });
    await expect.poll(() => tab.locator('#title').textContent()).toBe('The family of Khalid Al Mansouri');

    // Everyone, each at its depth, and no one else.
    expect(await tab.locator('li[data-id]').count()).toBe(family.length);
    for (const [depth, people] of generations.entries()) {
      for (const person of people) {
        const node = tab.locator(`li[data-id="${person.id}"]`);
        expect(await node.getAttribute('data-depth')).toBe(String(depth));
        expect(await node.locator('> .person .name').textContent()).toBe(fullName(person));
      }
    }
    expect(await tab.locator('.pending').count()).toBe(0);

    // The first part drew Khalid and his children only; the generations below came in later parts.
    const parts = await tab.evaluate(() => (window as unknown as { familyTree: { parts: Part[] } }).familyTree.parts);
    expect(parts[0]).toMatchObject({ part: 0, people: 1 + generations[1]!.length });
    expect(parts.length).toBeGreaterThanOrEqual(3);
    expect(parts.at(-1)!.people).toBe(family.length);
    const partOf = async (id: string) => Number(await tab.locator(`li[data-id="${id}"]`).getAttribute('data-part'));
    for (const person of [...generations[0]!, ...generations[1]!]) expect(await partOf(person.id)).toBe(0);
    for (const person of [...generations[2]!, ...generations[3]!]) {
      expect(await partOf(person.id)).toBeGreaterThan(0);
      expect(await partOf(person.id)).toBeGreaterThanOrEqual(await partOf(person.parent_user_id!));
    }
    // Each deferred generation took at least one more nCore round trip than the one above it.
    const arrivedMs = async (level: number) =>
      Number(await tab.locator(`#levels li[data-level="${level}"]`).getAttribute('data-ms'));
    expect(await arrivedMs(2)).toBeGreaterThanOrEqual((await arrivedMs(1)) + LATENCY_MS * 0.5);
    expect(await arrivedMs(3)).toBeGreaterThanOrEqual((await arrivedMs(2)) + LATENCY_MS * 0.5);
  });

  it("shows a grandchild's status change live, without a reload", async () => {
    await tab.locator('body[data-live="open"]').waitFor({ timeout: 15_000 });
    // The demo registers the gateway's webhook with its simulator just after it is ready.
    await expect
      .poll(
        async () => {
          const response = await fetch(`${simulator}/v1/webhooks`, { headers: { apikey: DEFAULT_API_KEY } });
          return ((await response.json()) as { data: unknown[] }).data.length;
        },
        { timeout: 15_000 },
      )
      .toBe(1);
    // The subscription is open once the gateway counts it; only then can the event reach it.
    await expect
      .poll(
        async () =>
          (await (await fetch(new URL('/metrics', gateway.url))).text()).match(
            /^gateway_subscriptions_open (\d+)/m,
          )?.[1],
        { timeout: 15_000 },
      )
      .toBe('1');
    await tab.evaluate(() => Object.assign(window, { sameDocument: true }));

    // nCore suspends a grandchild: the simulator changes it and posts USER_STATUS_CHANGE to the gateway's webhook.
    const grandchild = generations[2]!.find((u) => childrenOf(u.id).length > 0)!;
    const card = tab.locator(`li[data-id="${grandchild.id}"] > .person`);
    expect(await card.getAttribute('data-status')).toBe('ACTIVE');
    const changed = await fetch(`${simulator}/_sim/users/${grandchild.id}/status`, {
      method: 'POST',
      headers: { apikey: DEFAULT_API_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'SUSPENDED' }),
    });
    expect(changed.status).toBe(200);

    await expect.poll(() => card.locator('.status').textContent(), { timeout: 15_000 }).toBe('SUSPENDED');
    expect(await card.getAttribute('data-status')).toBe('SUSPENDED');
    expect(await tab.locator('#events li').first().textContent()).toBe(
      `user_status_change — ${fullName(grandchild)}: ACTIVE → SUSPENDED`,
    );
    expect(await tab.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    // Everyone else kept their status.
    expect(await tab.locator('.person[data-status="SUSPENDED"]').count()).toBe(1);

    mkdirSync('test-results', { recursive: true });
    await tab.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('talks to its own origin and the gateway only, and throws nothing', () => {
    const allowed = [site.origin, new URL(gateway.url).origin];
    expect(requests.filter((url) => !allowed.includes(new URL(url).origin))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
