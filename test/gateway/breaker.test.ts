import { describe, expect, it } from 'vitest';
import type { Fault } from '../../src/simulator/index.ts';
import { graphql } from '../gql/index.ts';
import { type Stack, useStack } from '../support/stack.ts';

const Person = graphql(`
  query BreakerPerson($id: ID!) {
    user(id: $id) { id firstName }
  }
`);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every demo user but the first, each a different request upstream. */
const others = (stack: Stack) =>
  stack.sim
    .users()
    .slice(1)
    .map((u) => u.id);

/** The four answers of a broken record: a proxy's HTML 502, a truncated 200, an empty 503, a dropped connection. */
const POISON: Fault[] = [
  { kind: 'status', status: 502, body: 'html' },
  { kind: 'malformed' },
  { kind: 'status', status: 503, body: 'empty' },
  { kind: 'drop' },
];

describe('one poison record', () => {
  const stack = useStack({ env: { NCORE_TIMEOUT_MS: '500', NCORE_MAX_RETRIES: '1' } });

  it('asked for 100 times in a row, alone, changes nothing for the next query about another user', async () => {
    const [poison, healthy] = [stack.sim.users()[0]!.id, others(stack)[0]!];
    stack.sim.clearRequests();
    for (let i = 0; i < 100; i++) {
      stack.sim.setFaults({ ...POISON[i % POISON.length]!, id: poison });
      const { body } = await stack.run(Person, { id: poison });
      expect(body.errors?.[0]?.extensions?.['code']).toMatch(/^UPSTREAM_(UNAVAILABLE|BAD_RESPONSE)$/);
      expect(body.errors?.[0]?.extensions?.['circuit']).toBeUndefined();
    }
    // Retries included: the breaker saw far more than its minimum of failed attempts.
    expect(stack.calls('getUser')).toBeGreaterThan(150);
    expect(stack.gateway.upstream.breakers.worst()).toBe('closed');

    stack.sim.clearRequests();
    const { body } = await stack.run(Person, { id: healthy });
    expect(body.errors).toBeUndefined();
    expect(body.data?.user?.id).toBe(healthy);
    expect(stack.calls('getUser')).toBe(1);
  }, 60_000);
});

describe('a full outage', () => {
  const COOLDOWN_MS = 1_500;
  const stack = useStack({ env: { NCORE_MAX_RETRIES: '0', BREAKER_COOLDOWN_MS: String(COOLDOWN_MS) } });

  it('opens the breaker within the window, fails fast while open, and the first query after recovery succeeds within cool-down + 1 s', async () => {
    const ids = others(stack);
    stack.sim.setFaults({ kind: 'status', status: 503, body: 'html' });
    const outageBegan = Date.now();
    let asked = 0;
    while (stack.gateway.upstream.breakers.worst() !== 'open' && asked < 40) {
      const { body } = await stack.run(Person, { id: ids[asked++]! });
      expect(body.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_UNAVAILABLE');
    }
    expect(asked).toBe(20);
    expect(Date.now() - outageBegan).toBeLessThan(10_000);

    stack.sim.clearRequests();
    const started = performance.now();
    const fast = await stack.run(Person, { id: ids[30]! });
    expect(performance.now() - started).toBeLessThan(200);
    expect(fast.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', circuit: 'open' });
    expect(stack.calls()).toBe(0);

    stack.sim.clearFaults();
    const back = Date.now();
    let recovered: number | undefined;
    while (recovered === undefined && Date.now() - back < COOLDOWN_MS + 3_000) {
      const { body } = await stack.run(Person, { id: ids[31]! });
      if (body.errors === undefined && body.data?.user?.id === ids[31]) recovered = Date.now() - back;
      else await sleep(50);
    }
    expect(recovered).toBeDefined();
    expect(recovered!).toBeLessThanOrEqual(COOLDOWN_MS + 1_000);
    const metrics = await (await stack.gateway.fetch('http://gateway.test/metrics')).text();
    expect(metrics).toMatch(/^ncore_circuit_transitions_total\{to="open"\} 1$/m);
    expect(metrics).toMatch(/^ncore_circuit_transitions_total\{to="half-open"\} 1$/m);
  });
});

describe('breakers per tenant in forward mode', () => {
  const stack = useStack({ env: { GATEWAY_AUTH: 'forward', NCORE_API_KEY: '', NCORE_MAX_RETRIES: '0' } });
  const TENANT_A = 'tenant-a-key-0123456789';

  it("leaves tenant B served through tenant A's outage", async () => {
    const ids = others(stack);
    const tenantB = { apikey: stack.sim.apiKey };
    stack.sim.setFaults({ kind: 'status', status: 503, body: 'json', apiKey: TENANT_A });
    for (let i = 0; i < 20; i++) await stack.run(Person, { id: ids[i]! }, { apikey: TENANT_A });
    const failing = await stack.run(Person, { id: ids[20]! }, { apikey: TENANT_A });
    expect(failing.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', circuit: 'open' });

    stack.sim.clearRequests();
    for (const id of ids.slice(0, 25)) {
      const { body } = await stack.run(Person, { id }, tenantB);
      expect(body.errors).toBeUndefined();
      expect(body.data?.user?.id).toBe(id);
    }
    expect(stack.calls('getUser')).toBe(25);
    expect(stack.sim.requests.every((r) => r.headers.apikey === stack.sim.apiKey)).toBe(true);

    const ready = await stack.gateway.fetch('http://gateway.test/ready');
    expect(ready.status).toBe(200);
    const metrics = await (await stack.gateway.fetch('http://gateway.test/metrics')).text();
    expect(metrics).toMatch(/^ncore_circuit_state 2$/m);
    expect(metrics).toMatch(/^ncore_circuit_breakers\{state="open"\} 1$/m);
    expect(metrics).toMatch(/^ncore_circuit_breakers\{state="closed"\} [12]$/m);
    expect(metrics).not.toContain(TENANT_A);
    expect(metrics).not.toContain(stack.sim.apiKey);
  });
});

describe('an unreadable 2xx is not an outage', () => {
  const stack = useStack({ env: { NCORE_MAX_RETRIES: '0' } });

  it('but a bad answer for that call, for every one of 30 users', async () => {
    stack.sim.setFaults({ kind: 'malformed' });
    const answers = await Promise.all(
      others(stack)
        .slice(0, 30)
        .map((id) => stack.run(Person, { id })),
    );
    expect(answers.map((a) => a.body.errors?.[0]?.extensions?.['code'])).toEqual(
      Array(30).fill('UPSTREAM_BAD_RESPONSE'),
    );
    expect(stack.gateway.upstream.breakers.worst()).toBe('closed');
  });
});

describe('a caller giving up is not an outage', () => {
  const stack = useStack({
    env: { NCORE_MAX_RETRIES: '0', OPERATION_TIMEOUT_MS: '300', NCORE_TIMEOUT_MS: '5000' },
  });

  it('even at its deadline for every one of 30 users', async () => {
    stack.sim.setFaults({ kind: 'hang' });
    const answers = await Promise.all(
      others(stack)
        .slice(0, 30)
        .map((id) => stack.run(Person, { id })),
    );
    expect(answers.map((a) => a.body.errors?.[0]?.extensions?.['code'])).toEqual(Array(30).fill('UPSTREAM_TIMEOUT'));
    expect(stack.gateway.upstream.breakers.worst()).toBe('closed');
    stack.sim.clearFaults();
  });
});
