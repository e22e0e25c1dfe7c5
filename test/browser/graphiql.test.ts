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

/** Every nCore call of the embedded simulator waits this long, so that the parts of a deferred answer arrive apart. */
const LATENCY_MS = 400;
/** The family example with `@defer` on each children level: Khalid first, his children after, theirs last. */
const DEFERRED_FAMILY = `query DeferredFamily {
  user(id: "${DEMO_ROOT_ID}") {
    id firstName lastName
    ... @defer { children(first: 5) { nodes {
      id firstName
      ... @defer { children(first: 5) { nodes { id firstName } } }
    } } }
  }
}
`;

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
    // The cross-request cache off: every run of the deferred query waits for nCore, part by part.
    gateway = await startGatewayProcess({ SIMULATOR_LATENCY_MS: String(LATENCY_MS), CACHE_TTL_MS: '0' });
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
    // The editor can show the tab's text before GraphiQL has made it the operation to run, so a click that early runs
    // the previous tab's query; then it is clicked again, as a user would. A click never stops a running subscription:
    // it is repeated only while none has started.
    let request: Awaited<ReturnType<typeof page.waitForRequest>> | undefined;
    for (let attempt = 0; attempt < 3 && request === undefined; attempt++) {
      const streaming = page
        .waitForRequest((r) => `${r.url()} ${r.postData() ?? ''}`.includes('LiveEvents'), { timeout: 10_000 })
        .catch(() => undefined);
      await page.locator('.graphiql-execute-button').click();
      request = await streaming;
    }
    expect(request?.headers()['accept']).toContain('text/event-stream');
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

  it('shows a deferred family tree arriving in parts: the user first, then its children and theirs', async () => {
    // A tab of its own, so that the result pane starts empty. The query is pasted into the focused editor: typed,
    // the editor's own brackets and indentation would be added to the text.
    mkdirSync('test-results', { recursive: true });
    await page.locator('.graphiql-tab-add').dispatchEvent('click');
    const editor = page.locator('.graphiql-query-editor');
    await editor.locator('.monaco-editor').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.evaluate((text) => {
      const clipboardData = new DataTransfer();
      clipboardData.setData('text/plain', text);
      document.activeElement?.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }),
      );
    }, DEFERRED_FAMILY);
    await expect.poll(() => textOf(editor), { timeout: 15_000 }).toContain('query DeferredFamily');
    expect((await textOf(editor)).match(/@defer/g)).toHaveLength(2);

    const answered = page.waitForResponse(
      (r) => r.request().method() === 'POST' && (r.request().postData() ?? '').includes('DeferredFamily'),
    );
    // The body as the browser receives it, chunk by chunk: a streamed answer's body is not kept for reading after.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    const body = { requestId: '', buffered: '', chunks: [] as { at: number; text: string }[] };
    const received = () => body.buffered + body.chunks.map((c) => c.text).join('');
    cdp.on('Network.responseReceived', ({ requestId, response, timestamp }) => {
      if (body.requestId || !/multipart\/mixed/i.test(JSON.stringify(response.headers))) return;
      body.requestId = requestId;
      body.chunks.push({ at: timestamp, text: '' });
      // What arrived before streaming was on: the headers came with the first part.
      void cdp.send('Network.streamResourceContent', { requestId }).then(({ bufferedData }) => {
        body.buffered = Buffer.from(bufferedData, 'base64').toString();
      });
    });
    cdp.on('Network.dataReceived', ({ requestId, data, timestamp }) => {
      if (requestId === body.requestId && data)
        body.chunks.push({ at: timestamp, text: Buffer.from(data, 'base64').toString() });
    });
    await page.locator('.graphiql-execute-button').click();
    // Every distinct text the result pane shows until the whole tree is there, each part landing in turn.
    const pane = page.locator('.graphiql-response');
    const everyone = [root, ...children, ...grandchildren].map((u) => `"${u.first_name}"`);
    const states: string[] = [];
    for (const until = Date.now() + 20_000; Date.now() < until; ) {
      const shown = await textOf(pane);
      if (shown !== states.at(-1)) {
        states.push(shown);
        if (shown.includes(`"${root.first_name}"`) && !shown.includes('"children"'))
          await pane.screenshot({ path: 'test-results/graphiql-defer-first-part.png' });
      }
      if (everyone.every((name) => shown.includes(name))) break;
      await page.waitForTimeout(20);
    }

    const answer = await answered;
    expect(answer.status()).toBe(200);
    expect(answer.headers()['content-type']).toContain('multipart/mixed');
    // The body ends with the multipart terminator once the last part is in.
    await expect.poll(received, { timeout: 15_000 }).toMatch(/\r\n-----\r\n$/);
    await cdp.detach();
    // Three parts or more, the last at least one nCore round after the first: they came apart, as GraphiQL drew them.
    const parts = received()
      .split('\r\n---')
      .filter((chunk) => chunk.includes('\r\n\r\n'));
    expect(parts.length).toBeGreaterThanOrEqual(3);
    expect(parts[0]).toContain('"hasNext":true');
    expect(parts[0]).not.toContain('"children"');
    expect(parts.at(-1)).toContain('"hasNext":false');
    const spread = body.chunks.at(-1)!.at - body.chunks[0]!.at;
    expect(spread * 1000).toBeGreaterThanOrEqual(LATENCY_MS);

    // First the user alone, without the deferred fields; later the whole tree, and never an error.
    const userOnly = states.findIndex((s) => s.includes(`"${root.first_name}"`) && !s.includes('"children"'));
    const whole = states.findIndex((s) => everyone.every((name) => s.includes(name)));
    expect(userOnly, states.join('\n----\n')).toBeGreaterThanOrEqual(0);
    expect(states[userOnly]).toContain(`"${root.last_name}"`);
    for (const person of [...children, ...grandchildren])
      expect(states[userOnly]).not.toContain(`"${person.first_name}"`);
    expect(whole).toBeGreaterThan(userOnly);
    expect(states.some((s) => s.includes('"errors"'))).toBe(false);
    await page.screenshot({ path: 'test-results/graphiql-defer.png', fullPage: true });
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
