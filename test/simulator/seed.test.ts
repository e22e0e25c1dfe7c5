import { describe, expect, it } from 'vitest';
import type { WireUser } from '../../src/contract/types.ts';
import { validateUserInput } from '../../src/contract/validation.ts';
import { DEMO_ROOT_ID, demoSeed, generateHierarchy } from '../../src/simulator/index.ts';
import { DEMO_BUSINESS_ID } from '../../src/simulator/seed.ts';
import { inputOf } from '../support/simulator.ts';

/** Levels below each root: 1 for a root alone. */
function depthOf(users: readonly WireUser[], rootId: string): number {
  const children = new Map<string, string[]>();
  for (const u of users)
    if (u.parent_user_id) children.set(u.parent_user_id, [...(children.get(u.parent_user_id) ?? []), u.id]);
  const walk = (id: string): number => 1 + Math.max(0, ...(children.get(id) ?? []).map(walk));
  return walk(rootId);
}

function expectWellFormed(users: readonly WireUser[]): void {
  const seen = new Set<string>();
  for (const user of users) {
    expect(validateUserInput(inputOf(user), 'create'), user.first_name).toEqual([]);
    if (user.parent_user_id) expect(seen.has(user.parent_user_id), 'parents come first').toBe(true);
    expect(seen.has(user.id)).toBe(false);
    seen.add(user.id);
    expect(user.modified >= user.created).toBe(true);
    expect(JSON.stringify(user)).not.toContain('null');
  }
}

describe('the demo seed', () => {
  const users = demoSeed();

  it('is about fifty valid users, deterministic', () => {
    expect(users.length).toBeGreaterThanOrEqual(45);
    expect(users.length).toBeLessThanOrEqual(60);
    expect(demoSeed()).toEqual(users);
    expectWellFormed(users);
  });

  it('roots GraphiQL’s example at a patriarch four levels deep', () => {
    const root = users.find((u) => u.id === DEMO_ROOT_ID)!;
    expect(root).toMatchObject({ first_name: 'Khalid', last_name: 'Al Mansouri' });
    expect(root).not.toHaveProperty('parent_user_id');
    expect(depthOf(users, DEMO_ROOT_ID)).toBe(4);
  });

  it('spans regions: many nationalities, native scripts, several statuses', () => {
    const nationalities = new Set(users.map((u) => u.nationality).filter(Boolean));
    expect(nationalities.size).toBeGreaterThanOrEqual(10);
    for (const code of ['ARE', 'IND', 'JPN', 'NGA', 'BRA', 'MEX', 'DEU']) expect(nationalities).toContain(code);
    expect(users.filter((u) => u.native_name).length).toBeGreaterThanOrEqual(10);
    expect(new Set(users.map((u) => u.status)).size).toBeGreaterThanOrEqual(3);
    const withReason = users.filter((u) => u.status !== 'ACTIVE');
    for (const u of withReason) expect(u.status_reason_code).toBeTruthy();
  });

  it('has a business whose directors are its children and its director_list', () => {
    const business = users.find((u) => u.id === DEMO_BUSINESS_ID)!;
    expect(business.user_type).toBe('BUSINESS');
    const directors = users.filter((u) => u.parent_user_id === DEMO_BUSINESS_ID);
    expect(directors.length).toBeGreaterThanOrEqual(2);
    for (const d of directors) expect(d.user_type).toBe('DIRECTOR');
    expect(business.director_list).toEqual(directors.map((d) => d.id));
    for (const u of users) if (u.id !== DEMO_BUSINESS_ID) expect(u.director_list).toEqual([]);
  });
});

describe('generateHierarchy', () => {
  it('makes roots * (1 + f + ... + f^(depth-1)) users with the requested shape', () => {
    const users = generateHierarchy({ roots: 3, fanOut: 4, depth: 3 });
    expect(users).toHaveLength(3 * (1 + 4 + 16));
    const roots = users.filter((u) => !u.parent_user_id);
    expect(roots).toHaveLength(3);
    for (const root of roots) expect(depthOf(users, root.id)).toBe(3);
    const childCounts = new Map<string, number>();
    for (const u of users)
      if (u.parent_user_id) childCounts.set(u.parent_user_id, (childCounts.get(u.parent_user_id) ?? 0) + 1);
    expect(new Set(childCounts.values())).toEqual(new Set([4]));
    expectWellFormed(users);
  });

  it('is deterministic per seed', () => {
    const a = generateHierarchy({ roots: 2, fanOut: 3, depth: 3, seed: 42 });
    expect(generateHierarchy({ roots: 2, fanOut: 3, depth: 3, seed: 42 })).toEqual(a);
    expect(generateHierarchy({ roots: 2, fanOut: 3, depth: 3, seed: 43 })[0]!.id).not.toBe(a[0]!.id);
  });

  it('makes 10,000+ valid users quickly, and very deep chains without recursion limits', () => {
    const start = performance.now();
    const users = generateHierarchy({ roots: 10, fanOut: 10, depth: 4 });
    expect(performance.now() - start).toBeLessThan(3000);
    expect(users).toHaveLength(11_110);
    expect(new Set(users.map((u) => u.id)).size).toBe(11_110);
    expect(new Set(users.map((u) => u.nationality)).size).toBeGreaterThan(5);
    expectWellFormed(users);
    const chain = generateHierarchy({ roots: 1, fanOut: 1, depth: 5000 });
    expect(chain).toHaveLength(5000);
    expectWellFormed(chain);
  });

  it('refuses a nonsensical shape', () => {
    expect(() => generateHierarchy({ roots: -1, fanOut: 2, depth: 2 })).toThrow(RangeError);
    expect(() => generateHierarchy({ roots: 1, fanOut: 2, depth: 0 })).toThrow(RangeError);
    expect(() => generateHierarchy({ roots: 1.5, fanOut: 2, depth: 2 })).toThrow(RangeError);
  });
});
