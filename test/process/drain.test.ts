import { Agent, request } from 'undici';
import { describe, expect, it } from 'vitest';
import { startGatewayProcess } from '../support/process.ts';

const QUERY = JSON.stringify({ query: '{ users(first: 2) { nodes { id } } }' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Outcome {
  afterSignal: boolean;
  status?: number;
  connection?: string;
  error?: string;
}

describe('SIGTERM drains before it stops', () => {
  it('answers /ready 503 at once and serves on with connection: close through the delay: no request is cut', async () => {
    const gateway = await startGatewayProcess({ SHUTDOWN_DELAY_MS: '1500' });
    const origin = new URL(gateway.url).origin;
    const agent = new Agent({ keepAliveTimeout: 30_000, connections: 4 });
    let signalled = 0;
    let running = true;
    // What a load balancer does: it routes here while /ready says 200, and stops once it has seen a 503.
    let routable = true;
    const outcomes: Outcome[] = [];
    // Four keep-alive clients behind that balancer, each sending one query after another (bounded).
    const client = async () => {
      for (let i = 0; i < 5_000 && running && routable; i++) {
        const outcome: Outcome = { afterSignal: signalled > 0 };
        try {
          const answer = await request(gateway.url, {
            method: 'POST',
            body: QUERY,
            headers: { 'content-type': 'application/json' },
            dispatcher: agent,
          });
          await answer.body.text();
          outcome.status = answer.statusCode;
          outcome.connection = String(answer.headers['connection'] ?? '');
        } catch (error) {
          outcome.error = (error as { code?: string }).code ?? String(error);
          await sleep(20);
        }
        outcomes.push(outcome);
      }
    };
    const load = Promise.all(Array.from({ length: 4 }, client));
    try {
      await sleep(300);
      expect(outcomes.filter((o) => o.status === 200).length).toBeGreaterThan(0);
      signalled = performance.now();
      gateway.child.kill('SIGTERM');
      let readyAfter = Number.POSITIVE_INFINITY;
      for (let i = 0; i < 100; i++) {
        const ready = await request(`${origin}/ready`, { dispatcher: new Agent() });
        await ready.body.text();
        if (ready.statusCode === 503) {
          readyAfter = performance.now() - signalled;
          break;
        }
        await sleep(5);
      }
      // The goal is 100 ms; the bound here leaves room for a busy machine.
      expect(readyAfter).toBeLessThan(500);
      // A balancer notices on its next probe, a few hundred ms later, well inside the drain delay.
      await sleep(300);
      routable = false;
      expect(await gateway.exited).toBe(0);
    } finally {
      running = false;
      await load;
      await agent.close();
      await gateway.stop();
    }
    const during = outcomes.filter((o) => o.afterSignal && o.status !== undefined);
    // Served through the delay, each answer telling its keep-alive client to go.
    expect(during.length).toBeGreaterThan(4);
    expect(during.every((o) => o.status === 200 && o.connection === 'close')).toBe(true);
    // Nothing was cut or refused: everything sent before the balancer stopped routing here was answered.
    expect(outcomes.filter((o) => o.error !== undefined)).toEqual([]);
    expect(outcomes.every((o) => o.status === 200)).toBe(true);
  }, 30_000);
});
