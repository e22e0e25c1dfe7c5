import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSimulator, DEMO_ROOT_ID, type Simulator } from '../../src/simulator/index.ts';
import { call, errorOf, newUser } from '../support/simulator.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await createSimulator({ seed: 'empty' });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const MISSING = '00000000-0000-4000-8000-000000000000';

async function create(body: Record<string, unknown> = {}): Promise<string> {
  const answer = await call(sim, 'POST', '/users', { body: newUser(body) });
  expect(answer.status).toBe(201);
  return answer.json.id;
}

async function childIds(id: string): Promise<string[]> {
  const answer = await call(sim, 'GET', `/users/${id}:getLinkedRelationships?limit=100`);
  return answer.json.data.map((u: { id: string }) => u.id);
}

describe('a parent must exist', () => {
  it('POST with an unknown parent_user_id is 404 and creates nothing', async () => {
    const answer = await call(sim, 'POST', '/users', { body: newUser({ parent_user_id: MISSING }) });
    expect(answer.status).toBe(404);
    expect(errorOf(answer).code).toBe('NOT_FOUND');
    expect(errorOf(answer).message).toMatch(/^Resource Not Exist/);
    expect(sim.users()).toHaveLength(0);
  });

  it('PUT with an unknown parent_user_id is 404 and changes nothing', async () => {
    const id = await create();
    const before = sim.getUser(id);
    const answer = await call(sim, 'PUT', `/users/${id}`, { body: { parent_user_id: MISSING, title: 'DR' } });
    expect(answer.status).toBe(404);
    expect(sim.getUser(id)).toEqual(before);
  });

  it('null parent_user_id on create is a validation error', async () => {
    const answer = await call(sim, 'POST', '/users', { body: newUser({ parent_user_id: null }) });
    expect(answer.status).toBe(400);
    expect(errorOf(answer).fields?.[0]?.field).toBe('parent_user_id');
  });
});

describe('a user never becomes its own ancestor', () => {
  it('refuses itself as parent with 400 HIERARCHY_CYCLE', async () => {
    const id = await create();
    const answer = await call(sim, 'PUT', `/users/${id}`, { body: { parent_user_id: id } });
    expect(answer.status).toBe(400);
    expect(errorOf(answer).code).toBe('HIERARCHY_CYCLE');
    expect(sim.getUser(id)).not.toHaveProperty('parent_user_id');
  });

  it('refuses a descendant at any depth as parent', async () => {
    const a = await create();
    const b = await create({ parent_user_id: a });
    const c = await create({ parent_user_id: b });
    const d = await create({ parent_user_id: c });
    for (const descendant of [b, c, d]) {
      const answer = await call(sim, 'PUT', `/users/${a}`, { body: { parent_user_id: descendant } });
      expect(answer.status).toBe(400);
      expect(errorOf(answer).code).toBe('HIERARCHY_CYCLE');
    }
    expect(sim.getUser(a)).not.toHaveProperty('parent_user_id');
  });

  it('still answers when a cycle planted behind the API does not involve the user', async () => {
    const x = await create();
    const y = await create({ parent_user_id: x });
    const planted = sim.getUser(x)!;
    sim.insertRaw({ ...planted, parent_user_id: y });
    const z = await create();
    const answer = await call(sim, 'PUT', `/users/${z}`, { body: { parent_user_id: x } });
    expect(answer.status).toBe(200);
    expect(answer.json.parent_user_id).toBe(x);
    expect(await childIds(y)).toEqual([x]);
  });
});

describe('re-parenting and detaching', () => {
  it('moves a user between parents, keeping children lists newest first', async () => {
    const p1 = await create({ first_name: 'P1' });
    const p2 = await create({ first_name: 'P2' });
    const older = await create({ parent_user_id: p1 });
    const newer = await create({ parent_user_id: p2 });
    const moved = await call(sim, 'PUT', `/users/${older}`, { body: { parent_user_id: p2 } });
    expect(moved.status).toBe(200);
    expect(moved.json.parent_user_id).toBe(p2);
    expect(await childIds(p1)).toEqual([]);
    expect(await childIds(p2)).toEqual([newer, older]);
  });

  it('parent_user_id null detaches, and the field is then absent', async () => {
    const parent = await create();
    const child = await create({ parent_user_id: parent });
    const answer = await call(sim, 'PUT', `/users/${child}`, { body: { parent_user_id: null } });
    expect(answer.status).toBe(200);
    expect(answer.json).not.toHaveProperty('parent_user_id');
    expect(answer.text).not.toContain('null');
    expect(await childIds(parent)).toEqual([]);
  });

  it('keeps the parent when the body leaves parent_user_id out', async () => {
    const parent = await create();
    const child = await create({ parent_user_id: parent });
    const answer = await call(sim, 'PUT', `/users/${child}`, { body: { title: 'MR' } });
    expect(answer.json.parent_user_id).toBe(parent);
  });
});

describe('the hierarchy may be n levels deep', () => {
  it('builds a chain 40 deep and walks it back', async () => {
    const ids = [await create()];
    for (let i = 1; i < 40; i++) ids.push(await create({ parent_user_id: ids[i - 1] }));
    for (let i = 1; i < 40; i++) expect(sim.getUser(ids[i]!)!.parent_user_id).toBe(ids[i - 1]);
    expect(await childIds(ids[38]!)).toEqual([ids[39]]);
  });

  it('the demo patriarch has great-grandchildren (four levels)', async () => {
    const demo = await createSimulator();
    try {
      let level = [DEMO_ROOT_ID];
      let levels = 0;
      while (level.length > 0) {
        levels++;
        const next: string[] = [];
        for (const id of level) {
          const answer = await call(demo, 'GET', `/users/${id}:getLinkedRelationships?limit=100`);
          next.push(...answer.json.data.map((u: { id: string }) => u.id));
        }
        level = next;
      }
      expect(levels).toBe(4);
    } finally {
      await demo.close();
    }
  });
});
