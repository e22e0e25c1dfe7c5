import type { Socket } from 'node:net';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { serve } from '../../src/serve.ts';
import { createSimulator, DEMO_ROOT_ID } from '../../src/simulator/index.ts';
import { postWebhook, subscribeWs, userEvent, WEBHOOK_ENV, wsClient } from '../support/events.ts';

const SUBSCRIPTIONS = 20;

describe('a live event to many subscriptions of one WebSocket', () => {
  it('leaves the gateway in one write, every subscription getting its message', async () => {
    const sim = await createSimulator();
    const config = loadConfig({
      NCORE_BASE_URL: sim.url,
      NCORE_API_KEY: sim.apiKey,
      GATEWAY_AUTH: 'none',
      PORT: '0',
      ...WEBHOOK_ENV,
    });
    const serving = await serve(config, { logger: pino({ level: 'silent' }) });
    // What each upgraded socket hands to the kernel: one `_write` or `_writev` is one system call.
    let handedOver = 0;
    serving.server.on('upgrade', (_req, socket: Socket & { _writev?: Socket['_writev'] }) => {
      const write = socket._write.bind(socket);
      const writev = socket._writev!.bind(socket);
      socket._write = (...args) => {
        handedOver++;
        write(...args);
      };
      socket._writev = (...args) => {
        handedOver++;
        writev(...args);
      };
    });
    try {
      const url = `http://127.0.0.1:${serving.port}/graphql`;
      const client = wsClient(url);
      const readings = Array.from({ length: SUBSCRIPTIONS }, () =>
        subscribeWs(client, 'subscription { userEvents { id type } }'),
      );
      await expect.poll(() => sizeOf(url)).toBe(String(SUBSCRIPTIONS));

      const before = handedOver;
      expect((await postWebhook(url, userEvent('USER_CREATED', DEMO_ROOT_ID))).status).toBe(202);
      for (const reading of readings) expect(await reading.waitFor(1)).toHaveLength(1);
      expect(handedOver - before).toBe(1);

      for (const reading of readings) reading.stop();
      await client.dispose();
    } finally {
      await serving.stop();
      await sim.close();
    }
  });
});

async function sizeOf(url: string): Promise<string | undefined> {
  const text = await (await fetch(new URL('/metrics', url))).text();
  return /^gateway_subscriptions_open (\d+)/m.exec(text)?.[1];
}
