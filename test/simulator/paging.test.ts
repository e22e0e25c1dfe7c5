import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireUser } from '../../src/contract/types.ts';
import { createSimulator, generateHierarchy, type Simulator } from '../../src/simulator/index.ts';
import { call, errorOf } from '../support/simulator.ts';

const b64 = (text: string) => Buffer.from(text).toString('base64');

/** Walks every page of a list with the given limit; returns the ids and the pages' shapes. */
async function walk(sim: Simulator, path: string, limit: number) {
  const ids: string[] = [];
  const pages: { size: number; has_more: boolean; after?: string }[] = [];
  let after: string | undefined;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const answer = await call(
      sim,
      'GET',
      `${path}${sep}limit=${limit}${after ? `&after=${encodeURIComponent(after)}` : ''}`,
    );
    expect(answer.status).toBe(200);
    ids.push(...answer.json.data.map((u: WireUser) => u.id));
    pages.push({ size: answer.json.data.length, has_more: answer.json.has_more, after: answer.json.after });
    after = answer.json.after;
  } while (after);
  return { ids, pages };
}

describe('an empty list', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await createSimulator({ seed: 'empty' });
  });
  afterAll(() => sim.close());

  it('is one empty page without a cursor', async () => {
    const answer = await call(sim, 'GET', '/users');
    expect(answer.json).toEqual({ data: [], has_more: false });
  });
});

describe('paging through 40 users', () => {
  let sim: Simulator;
  const users = generateHierarchy({ roots: 4, fanOut: 9, depth: 2 });
  const newestFirst = users.map((u) => u.id).reverse();
  beforeAll(async () => {
    sim = await createSimulator({ seed: users });
  });
  afterAll(() => sim.close());

  it('has 40 users, newest first', () => {
    expect(users).toHaveLength(40);
    expect(sim.users().map((u) => u.id)).toEqual(newestFirst);
  });

  it('an exact multiple of the limit ends with has_more false and no cursor, and no empty page', async () => {
    const { ids, pages } = await walk(sim, '/users', 20);
    expect(ids).toEqual(newestFirst);
    expect(pages).toEqual([
      { size: 20, has_more: true, after: b64('20') },
      { size: 20, has_more: false, after: undefined },
    ]);
  });

  it('a short last page', async () => {
    const { ids, pages } = await walk(sim, '/users', 15);
    expect(ids).toEqual(newestFirst);
    expect(pages.map((p) => p.size)).toEqual([15, 15, 10]);
    expect(pages.at(-1)).toEqual({ size: 10, has_more: false, after: undefined });
  });

  it('reads the documented cursor "MTA=" as offset 10', async () => {
    const answer = await call(sim, 'GET', '/users?limit=5&after=MTA%3D');
    expect(answer.json.data.map((u: WireUser) => u.id)).toEqual(newestFirst.slice(10, 15));
    expect(answer.json.after).toBe(b64('15'));
  });

  it('a cursor past the end is an empty last page', async () => {
    const answer = await call(sim, 'GET', `/users?after=${b64('500')}`);
    expect(answer.json).toEqual({ data: [], has_more: false });
  });

  it('limit defaults to 20 and goes up to 100, as a number string', async () => {
    expect((await call(sim, 'GET', '/users')).json.data).toHaveLength(20);
    expect((await call(sim, 'GET', '/users?limit=100')).json.data).toHaveLength(40);
    expect((await call(sim, 'GET', '/users?limit=1')).json.data).toHaveLength(1);
    expect((await call(sim, 'GET', '/users?limit=07')).json.data).toHaveLength(7);
  });

  it.each(['0', '101', 'ten', '-1', '2.5', '', '1e1', ' 5'])('limit=%j is 400 INVALID_LIMIT', async (limit) => {
    const answer = await call(sim, 'GET', `/users?limit=${encodeURIComponent(limit)}`);
    expect(answer.status).toBe(400);
    expect(errorOf(answer).code).toBe('INVALID_LIMIT');
  });

  it.each(['garbage!', b64('ten'), b64('-5'), b64('1.5'), 'MTA', '', b64('')])(
    'after=%j is 400 INVALID_CURSOR',
    async (after) => {
      const answer = await call(sim, 'GET', `/users?after=${encodeURIComponent(after)}`);
      expect(answer.status).toBe(400);
      expect(errorOf(answer).code).toBe('INVALID_CURSOR');
    },
  );

  it('children are paged the same way', async () => {
    const root = users[0]!.id;
    const expected = users
      .filter((u) => u.parent_user_id === root)
      .map((u) => u.id)
      .reverse();
    const { ids, pages } = await walk(sim, `/users/${root}:getLinkedRelationships`, 4);
    expect(ids).toEqual(expected);
    expect(pages.map((p) => p.size)).toEqual([4, 4, 1]);
    const bad = await call(sim, 'GET', `/users/${root}:getLinkedRelationships?limit=101`);
    expect(errorOf(bad).code).toBe('INVALID_LIMIT');
    const badCursor = await call(sim, 'GET', `/users/${root}:getLinkedRelationships?after=%%%`);
    expect(errorOf(badCursor).code).toBe('INVALID_CURSOR');
  });

  it('search is paged through limit and after in the body, limit as number or string', async () => {
    const all = sim.users().map((u) => u.id);
    const first = await call(sim, 'POST', '/users:search', { body: { name: 'a', limit: '3' } });
    expect(first.status).toBe(200);
    expect(first.json.data).toHaveLength(3);
    expect(first.json.has_more).toBe(true);
    const second = await call(sim, 'POST', '/users:search', { body: { name: 'a', limit: 3, after: first.json.after } });
    const firstIds = first.json.data.map((u: WireUser) => u.id);
    const secondIds = second.json.data.map((u: WireUser) => u.id);
    expect(secondIds.some((id: string) => firstIds.includes(id))).toBe(false);
    expect(all.indexOf(firstIds[2])).toBeLessThan(all.indexOf(secondIds[0]));
    for (const limit of [0, 101, 'ten', 2.5, -1, null, true]) {
      const answer = await call(sim, 'POST', '/users:search', { body: { name: 'a', limit } });
      expect(errorOf(answer).code, String(limit)).toBe('INVALID_LIMIT');
    }
    for (const after of ['nope', 10, b64('x')]) {
      const answer = await call(sim, 'POST', '/users:search', { body: { name: 'a', after } });
      expect(errorOf(answer).code, String(after)).toBe('INVALID_CURSOR');
    }
  });
});

describe('newest first is creation order, not timestamps', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await createSimulator({ seed: 'empty' });
  });
  afterAll(() => sim.close());

  it('orders a burst of creations by arrival', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 25; i++)
      ids.push((await call(sim, 'POST', '/users', { body: { first_name: `U${i}` } })).json.id);
    const { ids: listed } = await walk(sim, '/users', 10);
    expect(listed).toEqual(ids.reverse());
  });
});
