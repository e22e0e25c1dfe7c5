import { mkdirSync } from 'node:fs';
import type { Browser, Locator, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ROOT_ID, demoSeed } from '../../src/simulator/index.ts';
import { launchChromium } from '../support/browser.ts';
import { type GatewayProcess, startGatewayProcess } from '../support/process.ts';

/** Debian's chromium, which `.ci/run` installs when it is missing; no browser is downloaded. */
const SCREENSHOT = 'test-results/graphiql.png';

// The demo family GraphiQL's example query walks: Khalid, his children, and theirs.
const seed = demoSeed();
const root = seed.find((u) => u.id === DEMO_ROOT_ID)!;
const children = seed.filter((u) => u.parent_user_id === DEMO_ROOT_ID);
const grandchildren = seed.filter((u) => children.some((c) => c.id === u.parent_user_id));

/** What a reader sees: the editors render spaces as no-break spaces. */
// biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what a reader sees.
const textOf = async (locator: Locator): Promise<string> => (await locator.innerText()).replace(/\u00a0/g, ' ');

describe('GraphiQL in a real browser', () => {
  let gateway: GatewayProcess;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    gateway = await startGatewayProcess();
    browser = await launchChromium();
    // Tall enough that the whole result, grandchildren included, is on screen (editors render visible lines only).
    page = await browser.newPage({ viewport: { width: 1400, height: 1800 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('request', (request: Request) => requests.push(request.url()));
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
  });

  it('renders GraphiQL with the family example query loaded', async () => {
    const response = await page.goto(gateway.url);
    expect(response?.status()).toBe(200);
    const editor = page.locator('.graphiql-query-editor');
    await editor.waitFor({ timeout: 30_000 });
    await expect.poll(() => textOf(editor), { timeout: 30_000 }).toContain('query Family');
    expect(await textOf(editor)).toContain(DEMO_ROOT_ID);
    await page.locator('.graphiql-execute-button').waitFor();
    expect(await textOf(page.locator('body'))).not.toContain('Loading');
  });

  it('runs the example query and shows the family in the result pane', async () => {
    const answered = page.waitForResponse(
      (r) => r.request().method() === 'POST' && (r.request().postData() ?? '').includes('query Family'),
    );
    await page.locator('.graphiql-execute-button').click();
    const answer = await answered;
    expect(answer.status()).toBe(200);
    const body = (await answer.json()) as {
      data?: { user?: { firstName?: string; children?: { nodes: { firstName: string }[] } } };
      errors?: unknown;
    };
    expect(body.errors).toBeUndefined();
    expect(body.data?.user?.firstName).toBe(root.first_name);
    expect(body.data?.user?.children?.nodes.map((c) => c.firstName).sort()).toEqual(
      children.map((c) => c.first_name).sort(),
    );

    const pane = page.locator('.graphiql-response');
    await expect.poll(() => textOf(pane), { timeout: 15_000 }).toContain(`"${root.first_name}"`);
    const shown = await textOf(pane);
    for (const person of [...children, ...grandchildren]) expect(shown).toContain(`"${person.first_name}"`);
    expect(shown).not.toContain('"errors"');

    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('runs the live-events tab and shows a user created over HTTP as it happens', async () => {
    // Tabs can be dragged to reorder them: a synthetic click selects without a pointer gesture.
    await page.locator('.graphiql-tab-button', { hasText: 'LiveEvents' }).dispatchEvent('click');
    const editor = page.locator('.graphiql-query-editor');
    await expect.poll(() => textOf(editor), { timeout: 15_000 }).toContain('subscription LiveEvents');
    const streaming = page.waitForRequest((r) => `${r.url()} ${r.postData() ?? ''}`.includes('LiveEvents'));
    await page.locator('.graphiql-execute-button').click();
    const request = await streaming;
    expect(request.headers()['accept']).toContain('text/event-stream');
    // The subscription is open once the gateway counts it; only then can the create's event reach it.
    await expect
      .poll(
        async () =>
          (await (await fetch(new URL('/metrics', gateway.url))).text()).match(
            /^gateway_subscriptions_open (\d+)/m,
          )?.[1],
        { timeout: 15_000 },
      )
      .toBe('1');

    const created = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `mutation { createUser(input: { firstName: "Noor", parentUserId: "${DEMO_ROOT_ID}" }) { id } }`,
      }),
    });
    const id = ((await created.json()) as { data: { createUser: { id: string } } }).data.createUser.id;
    const pane = page.locator('.graphiql-response');
    await expect.poll(() => textOf(pane), { timeout: 15_000 }).toContain(id);
    const shown = await textOf(pane);
    expect(shown).toContain('"USER_CREATED"');
    expect(shown).toContain('"Noor"');
    expect(shown).toContain(`"${root.first_name}"`);
    await page.screenshot({ path: 'test-results/graphiql-live-events.png', fullPage: true });
    // Stops the subscription (the execute button toggles while it runs).
    await page.locator('.graphiql-execute-button').click();
  });

  it('works offline: every request stays on the gateway and the page throws nothing', () => {
    const origin = new URL(gateway.url).origin;
    const elsewhere = requests.filter(
      (url) => !url.startsWith(origin) && !url.startsWith(`blob:${origin}/`) && !url.startsWith('data:'),
    );
    expect(elsewhere).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
