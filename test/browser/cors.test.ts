import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { type GatewayProcess, startGatewayProcess } from '../support/process.ts';

/** Debian's chromium, as in graphiql.test.ts. */

/** A page of another site: it tries to call the gateway and read what comes back, as a hostile page would. */
const PAGE = `<!doctype html><title>another site</title><script>
  window.attempt = async (url, init) => {
    try {
      const response = await fetch(url, init);
      return { status: response.status, type: response.type, text: await response.text() };
    } catch (error) {
      return { error: String(error) };
    }
  };
</script>`;

/** Serves PAGE on 127.0.0.1 and a free port: an origin of its own, distinct from the gateway's. */
async function servePage(): Promise<{ server: Server; origin: string }> {
  const server = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

interface Attempt {
  status?: number;
  type?: string;
  text?: string;
  error?: string;
}

describe('a page on another origin, in Chromium', () => {
  let gateway: GatewayProcess;
  let browser: Browser;
  let stranger: { server: Server; origin: string };
  let partner: { server: Server; origin: string };
  let page: Page;

  beforeAll(async () => {
    stranger = await servePage();
    partner = await servePage();
    gateway = await startGatewayProcess({ CORS_ORIGINS: partner.origin });
    browser = await launchChromium();
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
    for (const site of [stranger, partner]) if (site) await new Promise((resolve) => site.server.close(resolve));
  });

  const from = async (origin: string, init: RequestInit): Promise<Attempt> => {
    await page.goto(`${origin}/`);
    return page.evaluate(
      ([url, init]) =>
        (window as never as { attempt: (url: string, init: RequestInit) => Promise<Attempt> }).attempt(url, init),
      [gateway.url, init] as const,
    );
  };
  const create = (firstName: string) =>
    JSON.stringify({ query: `mutation { createUser(input: { firstName: "${firstName}" }) { id firstName } }` });
  /** Asks the gateway directly (not from a browser) whether a user of that name exists. */
  const exists = async (name: string): Promise<boolean> => {
    const query = `{ searchUsers(filter: { name: "${name}" }) { nodes { id } } }`;
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { data: { searchUsers: { nodes: unknown[] } } };
    return body.data.searchUsers.nodes.length > 0;
  };

  it('cannot read a query answer: the browser blocks it for want of CORS headers', async () => {
    const attempt = await from(stranger.origin, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ users(first: 1) { nodes { id firstName } } }' }),
    });
    expect(attempt.error).toMatch(/Failed to fetch/);
    expect(attempt.text).toBeUndefined();
  });

  it('cannot create a user: the preflight fails, so the mutation is never sent', async () => {
    const attempt = await from(stranger.origin, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: create('Crossorigin'),
    });
    expect(attempt.error).toMatch(/Failed to fetch/);
    expect(await exists('Crossorigin')).toBe(false);
  });

  it('cannot slip a mutation past the preflight as a simple request, nor read the answer', async () => {
    const attempt = await from(stranger.origin, {
      method: 'POST',
      mode: 'no-cors',
      headers: { 'content-type': 'text/plain' },
      body: create('Simplerequest'),
    });
    expect(attempt).toMatchObject({ type: 'opaque', status: 0, text: '' });
    expect(await exists('Simplerequest')).toBe(false);
  });

  it('can, from an origin CORS_ORIGINS lists, read the answer', async () => {
    const attempt = await from(partner.origin, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ users(first: 1) { nodes { id } } }' }),
    });
    expect(attempt.status).toBe(200);
    expect(JSON.parse(attempt.text ?? '{}').data.users.nodes).toHaveLength(1);
  });
});
