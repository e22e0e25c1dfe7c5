import { afterEach, describe, expect, it } from 'vitest';
import { childrenOf, cpuTicks, type GatewayProcess, startGatewayProcess } from '../support/process.ts';

const FAMILY = JSON.stringify({
  query: '{ users(first: 3) { nodes { id firstName children { nodes { firstName } } } } }',
});
const post = (url: string, body = FAMILY) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

// Each test starts real processes (several, with workers), which a loaded two-core machine makes slow to start.
describe('the gateway process', { timeout: 60_000 }, () => {
  const started: GatewayProcess[] = [];
  const start = async (env: Record<string, string>, options?: { waitForReady?: boolean }) => {
    const gateway = await startGatewayProcess(env, options);
    started.push(gateway);
    return gateway;
  };
  afterEach(() => {
    for (const { child } of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('refuses to start on invalid settings, with one line per problem and exit code 1', async () => {
    const gateway = await start(
      { PORT: '70000', WORKERS: 'many', NCORE_BASE_URL: 'https://sandbox.example/v1' },
      { waitForReady: false },
    );
    expect(await gateway.exited).toBe(1);
    const lines = gateway.output().trim().split('\n');
    expect(lines[0]).toBe('Invalid configuration:');
    expect(lines.slice(1)).toEqual([
      '  - GATEWAY_AUTH must be set explicitly (none, bearer, jwt or forward) when NCORE_BASE_URL points at a real nCore',
      '  - NCORE_API_KEY is required with NCORE_BASE_URL (unless GATEWAY_AUTH=forward)',
      '  - PORT must be a whole number from 0 to 65535 (got "70000")',
      '  - WORKERS must be a whole number from 1 to 64 (got "many")',
    ]);
  });

  it('logs every operation on stdout: a lone line within the batching bound, and all that wait before exit', async () => {
    const gateway = await start({});
    const lines = () => gateway.output().match(/"msg":"graphql operation"/g)?.length ?? 0;
    expect((await post(gateway.url)).status).toBe(200);
    // Fewer bytes than a batch: the line still leaves within the time bound (250 ms), not when others come.
    await expect.poll(lines, { timeout: 2_000, interval: 50 }).toBe(1);
    const answers = await Promise.all(Array.from({ length: 5 }, () => post(gateway.url)));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
    expect(lines()).toBe(6);
  });

  it('finishes in-flight operations on SIGTERM, refuses new connections, and exits 0', async () => {
    const gateway = await start({ SIMULATOR_LATENCY_MS: '400' });
    const inFlight = post(gateway.url);
    await new Promise((r) => setTimeout(r, 150));
    gateway.child.kill('SIGTERM');
    // Once the signal is handled (how soon depends on the machine's load), new connections are refused.
    let refused = false;
    for (const until = Date.now() + 5_000; !refused && Date.now() < until; ) {
      refused = await post(gateway.url).then(
        () => false,
        () => true,
      );
    }
    expect(refused).toBe(true);
    const response = await inFlight;
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.errors).toBeUndefined();
    expect(body.data.users.nodes).toHaveLength(3);
    expect(await gateway.exited).toBe(0);
  });

  it('closes operations still running when the shutdown bound passes', async () => {
    const gateway = await start({ SIMULATOR_LATENCY_MS: '5000', SHUTDOWN_TIMEOUT_MS: '300' });
    const inFlight = post(gateway.url).then(
      () => 'answered',
      () => 'cut',
    );
    await new Promise((r) => setTimeout(r, 150));
    const stopped = Date.now();
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
    expect(Date.now() - stopped).toBeLessThan(4000);
    expect(await inFlight).toBe('cut');
  });

  it('serves one port from several workers that share the embedded demo data', async () => {
    const gateway = await start({ WORKERS: '2' });
    expect(gateway.output()).toContain('on 2 workers');
    const workers = childrenOf(gateway.child.pid!);
    expect(workers).toHaveLength(2);
    // Both workers answer: each one's CPU time grows under a burst of requests.
    const before = workers.map(cpuTicks);
    await Promise.all(Array.from({ length: 300 }, () => post(gateway.url)));
    const grew = workers.map((pid, i) => cpuTicks(pid) - before[i]!);
    expect(grew.every((ticks) => ticks >= 2)).toBe(true);
    const created = await (
      await post(
        gateway.url,
        JSON.stringify({ query: 'mutation { createUser(input: { firstName: "Shared" }) { id } }' }),
      )
    ).json();
    const id = created.data.createUser.id;
    const reads = await Promise.all(
      Array.from(
        { length: 12 },
        async () =>
          (await (await post(gateway.url, JSON.stringify({ query: `{ user(id: "${id}") { firstName } }` }))).json())
            .data.user,
      ),
    );
    expect(reads.every((user) => user?.firstName === 'Shared')).toBe(true);
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
  });

  it('replaces a worker that dies', async () => {
    const gateway = await start({ WORKERS: '2' });
    const [victim, survivor] = childrenOf(gateway.child.pid!);
    process.kill(victim!, 'SIGKILL');
    let workers: number[] = [];
    for (let i = 0; i < 100; i++) {
      await new Promise((r) => setTimeout(r, 100));
      workers = childrenOf(gateway.child.pid!);
      if (workers.length === 2 && !workers.includes(victim!)) break;
    }
    expect(workers).toHaveLength(2);
    expect(workers).toContain(survivor);
    expect(workers).not.toContain(victim);
    // Log lines are written asynchronously: give the primary's a moment to arrive.
    for (let i = 0; i < 50 && !gateway.output().includes('worker died'); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(gateway.output()).toContain('worker died; starting another');
    const answers = await Promise.all(Array.from({ length: 20 }, async () => (await post(gateway.url)).status));
    expect(answers.every((status) => status === 200)).toBe(true);
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
  });
});
