import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../src/simulator/index.ts';
import { freePort } from '../support/hiveGateway.ts';
import { type GatewayProcess, startGatewayProcess } from '../support/process.ts';

const QUERY = 'query One($id: ID!) { user(id: $id) { id firstName parent { firstName } } }';

/** A collector that accepts connections and never answers: the worst a network can do to an exporter. */
async function blackHole() {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    connections: () => sockets.size,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('a collector that is down costs only the spans', () => {
  let sim: Simulator;
  let hole: Awaited<ReturnType<typeof blackHole>>;
  const gateways: Record<string, GatewayProcess> = {};

  beforeAll(async () => {
    sim = await createSimulator({ seed: 'demo' });
    hole = await blackHole();
    const env = (endpoint: string) => ({
      NCORE_BASE_URL: sim.url,
      NCORE_API_KEY: sim.apiKey,
      GATEWAY_AUTH: 'none',
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '20',
      OTEL_BSP_MAX_QUEUE_SIZE: '64',
    });
    const [refused, silent] = await Promise.all([
      startGatewayProcess(env(`http://127.0.0.1:${await freePort()}`)),
      startGatewayProcess(env(hole.endpoint)),
    ]);
    gateways['refusing connections'] = refused;
    gateways['never answering'] = silent;
  }, 60_000);

  afterAll(async () => {
    await Promise.all(Object.values(gateways).map((g) => g.stop()));
    await hole?.close();
    await sim?.close();
  });

  for (const kind of ['refusing connections', 'never answering']) {
    it(`answers every operation and stops cleanly with a collector ${kind}`, async () => {
      const gateway = gateways[kind]!;
      const users = sim.users().filter((u) => u.parent_user_id);
      // More spans than the export queue holds, in waves, while exports fail or hang.
      for (let wave = 0; wave < 10; wave++) {
        const answers = await Promise.all(
          users.slice(0, 20).map(async (u) => {
            const response = await fetch(gateway.url, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ query: QUERY, variables: { id: u.id } }),
            });
            return (await response.json()) as { data?: { user?: { id: string } }; errors?: unknown };
          }),
        );
        for (const [i, answer] of answers.entries()) {
          expect(answer.errors).toBeUndefined();
          expect(answer.data?.user?.id).toBe(users[i]!.id);
        }
      }
      if (kind === 'never answering') expect(hole.connections()).toBeGreaterThan(0);
      await gateway.stop();
      expect(await gateway.exited).toBe(0);
      expect(gateway.output()).not.toMatch(/unhandled|uncaught/i);
    });
  }
});
