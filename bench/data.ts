import type { WireUser } from '../src/contract/types.ts';

/**
 * The seeded data as the floors read it: built from `sim.users()` alone, never from what a gateway did,
 * so that a floor is an independent yardstick.
 */
export class Hierarchy {
  readonly byId = new Map<string, WireUser>();
  readonly #children = new Map<string, WireUser[]>();

  /** `users` newest first, as `sim.users()` returns them (and as nCore lists children). */
  constructor(readonly users: readonly WireUser[]) {
    for (const user of users) {
      this.byId.set(user.id, user);
      const parent = user.parent_user_id;
      if (parent) {
        const list = this.#children.get(parent) ?? [];
        list.push(user);
        this.#children.set(parent, list);
      }
    }
  }

  user(id: string): WireUser {
    const user = this.byId.get(id);
    if (!user) throw new Error(`no user ${id} in the seed`);
    return user;
  }

  /** Direct children, newest first. */
  children(id: string): readonly WireUser[] {
    return this.#children.get(id) ?? [];
  }

  /** The children page `[offset, offset + limit)`, as nCore would answer it. */
  childrenPage(id: string, limit: number, offset = 0): readonly WireUser[] {
    return this.children(id).slice(offset, offset + limit);
  }

  /** Ancestors, nearest first. */
  ancestors(id: string): WireUser[] {
    const result: WireUser[] = [];
    const seen = new Set([id]);
    let next = this.user(id).parent_user_id;
    while (next && !seen.has(next)) {
      seen.add(next);
      const parent = this.byId.get(next);
      if (!parent) break;
      result.push(parent);
      next = parent.parent_user_id;
    }
    return result;
  }

  /** Level in its tree: 0 for a root. */
  level(id: string): number {
    return this.ancestors(id).length;
  }

  /** The oldest user at `level` that has at least `minChildren` children. */
  find(level: number, minChildren = 0): WireUser {
    const found = [...this.users]
      .reverse()
      .find((u) => this.level(u.id) === level && this.children(u.id).length >= minChildren);
    if (!found) throw new Error(`no user at level ${level} with ${minChildren} children`);
    return found;
  }
}
