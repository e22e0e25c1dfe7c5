import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../src/simulator/index.ts';
import { call, errorOf, newUser } from '../support/simulator.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await createSimulator({ seed: 'empty' });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const key = (k: string) => ({ 'x-nymos-idempotency-key': k });

describe('a repeated POST with the same key replays the first answer', () => {
  it('same status and byte-identical body, and nothing new is created', async () => {
    const first = await call(sim, 'POST', '/users', { body: newUser(), headers: key('k-1') });
    const second = await call(sim, 'POST', '/users', { body: newUser(), headers: key('k-1') });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.text).toBe(first.text);
    expect(sim.users()).toHaveLength(1);
  });

  it('treats bodies that differ only in key order as the same request', async () => {
    const first = await call(sim, 'POST', '/users', {
      raw: '{"first_name":"A","last_name":"B"}',
      headers: { ...key('k-2'), 'content-type': 'application/json' },
    });
    const second = await call(sim, 'POST', '/users', {
      raw: '{"last_name":"B","first_name":"A"}',
      headers: { ...key('k-2'), 'content-type': 'application/json' },
    });
    expect(second.status).toBe(201);
    expect(second.json.id).toBe(first.json.id);
    expect(sim.users()).toHaveLength(1);
  });

  it('replays concurrent repeats too', async () => {
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => call(sim, 'POST', '/users', { body: newUser(), headers: key('k-3') })),
    );
    expect(new Set(answers.map((a) => a.json.id)).size).toBe(1);
    expect(sim.users()).toHaveLength(1);
  });

  it('replays searches', async () => {
    await call(sim, 'POST', '/users', { body: newUser({ first_name: 'Zed' }) });
    const first = await call(sim, 'POST', '/users:search', { body: { name: 'zed' }, headers: key('s-1') });
    await call(sim, 'POST', '/users', { body: newUser({ first_name: 'Zed' }) });
    const second = await call(sim, 'POST', '/users:search', { body: { name: 'zed' }, headers: key('s-1') });
    expect(second.text).toBe(first.text);
    expect(second.json.data).toHaveLength(1);
  });
});

describe('the same key with a different request is 409 DUPLICATE_REQUEST', () => {
  it('a different body', async () => {
    await call(sim, 'POST', '/users', { body: newUser(), headers: key('k-4') });
    const answer = await call(sim, 'POST', '/users', { body: newUser({ first_name: 'Other' }), headers: key('k-4') });
    expect(answer.status).toBe(409);
    expect(errorOf(answer).code).toBe('DUPLICATE_REQUEST');
    expect(errorOf(answer).message).toMatch(/^Duplicate Request/);
    expect(sim.users()).toHaveLength(1);
  });

  it('another endpoint', async () => {
    await call(sim, 'POST', '/users', { body: { first_name: 'x' }, headers: key('k-5') });
    const answer = await call(sim, 'POST', '/users:search', { body: { first_name: 'x' }, headers: key('k-5') });
    expect(answer.status).toBe(409);
  });
});

describe('what the key does not cover', () => {
  it('a different key or no key creates again', async () => {
    await call(sim, 'POST', '/users', { body: newUser(), headers: key('a') });
    await call(sim, 'POST', '/users', { body: newUser(), headers: key('b') });
    await call(sim, 'POST', '/users', { body: newUser() });
    await call(sim, 'POST', '/users', { body: newUser() });
    expect(sim.users()).toHaveLength(4);
  });

  it('a refused request leaves the key free for a corrected retry', async () => {
    const bad = await call(sim, 'POST', '/users', { body: { last_name: 'NoFirst' }, headers: key('k-6') });
    expect(bad.status).toBe(400);
    const good = await call(sim, 'POST', '/users', { body: newUser(), headers: key('k-6') });
    expect(good.status).toBe(201);
  });

  it('an unauthenticated request is not recorded', async () => {
    await call(sim, 'POST', '/users', { body: newUser(), headers: { ...key('k-7'), apikey: 'wrong' } });
    const answer = await call(sim, 'POST', '/users', { body: newUser({ first_name: 'Real' }), headers: key('k-7') });
    expect(answer.status).toBe(201);
  });

  it('reset forgets every key', async () => {
    await call(sim, 'POST', '/users', { body: newUser(), headers: key('k-8') });
    sim.reset();
    const answer = await call(sim, 'POST', '/users', { body: newUser({ first_name: 'After' }), headers: key('k-8') });
    expect(answer.status).toBe(201);
    expect(sim.users()).toHaveLength(1);
  });
});
