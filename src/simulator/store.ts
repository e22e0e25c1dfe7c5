import { randomUUID } from 'node:crypto';
import type { WirePage, WireUser, WireUserInput } from '../contract/types.ts';
import { CLIENT_FIELDS, SERVER_FIELDS } from '../contract/validation.ts';
import { pageOf } from './paging.ts';

// Wire key order for every user the simulator answers, so PUT never reshuffles a record.
const KEY_ORDER: readonly string[] = ['id', ...CLIENT_FIELDS, ...SERVER_FIELDS.filter((f) => f !== 'id')];

interface Row {
  user: WireUser;
  /** Creation sequence: the only ordering key, because timestamps can tie within a millisecond. */
  seq: number;
}

/**
 * The in-memory users: `byId` for O(1) lookups, `order` (oldest first, read backwards) for newest-first
 * lists, `childrenByParent` (oldest first as well) for direct children. Applies no rules of its own.
 */
export class UserStore {
  private readonly byId = new Map<string, Row>();
  private readonly order: string[] = [];
  private readonly childrenByParent = new Map<string, string[]>();
  private seq = 0;
  private lastStamp = 0;

  /** Loads users in `created` order (ties keep their given order), so parents precede children. */
  constructor(seed: readonly WireUser[] = []) {
    const sorted = [...seed].sort((a, b) => (a.created < b.created ? -1 : a.created > b.created ? 1 : 0));
    for (const user of sorted) this.put(structuredClone(user));
  }

  get size(): number {
    return this.order.length;
  }

  get(id: string): WireUser | undefined {
    return this.byId.get(id)?.user;
  }

  /** Every user, newest first. */
  all(): WireUser[] {
    return this.order.map((_, i) => this.userAt(this.order, i));
  }

  /** Stores a user verbatim, replacing one with the same id in place. */
  put(user: WireUser): void {
    const row = this.byId.get(user.id);
    if (!row) {
      this.byId.set(user.id, { user, seq: this.seq++ });
      this.order.push(user.id);
      if (user.parent_user_id) this.attach(user.id, user.parent_user_id);
      return;
    }
    const previousParent = row.user.parent_user_id;
    row.user = user;
    if (previousParent !== user.parent_user_id) {
      if (previousParent) this.detach(user.id, previousParent);
      if (user.parent_user_id) this.attach(user.id, user.parent_user_id);
    }
  }

  /** Creates a user from a validated body: a fresh id, ACTIVE, stamped now. */
  create(input: WireUserInput): WireUser {
    const stamp = this.stamp(0);
    const user = canonical({
      user_type: 'INDIVIDUAL',
      ...input,
      id: randomUUID(),
      status: 'ACTIVE',
      default_user: false,
      director_list: [],
      signature_list: [],
      shareholder_list: [],
      created: stamp,
      modified: stamp,
    } as WireUser);
    this.put(user);
    return user;
  }

  /** Applies a validated partial body; `parent_user_id: null` removes the parent. `modified` always moves. */
  update(id: string, input: WireUserInput): WireUser {
    const current = this.byId.get(id)!.user;
    const next: Record<string, unknown> = { ...current };
    for (const [key, value] of Object.entries(input)) {
      if (value === null) delete next[key];
      else next[key] = value;
    }
    next.modified = this.stamp(Date.parse(current.modified));
    const user = canonical(next as unknown as WireUser);
    this.put(user);
    return user;
  }

  /** True when making `parentId` the parent of `id` would make `id` its own ancestor. */
  wouldCycle(id: string, parentId: string): boolean {
    const seen = new Set<string>();
    for (let cur: string | undefined = parentId; cur !== undefined; cur = this.get(cur)?.parent_user_id) {
      if (cur === id) return true;
      // A cycle planted around `id` without reaching it: stop rather than spin.
      if (seen.has(cur)) return false;
      seen.add(cur);
    }
    return false;
  }

  /** Newest-first page of all users. */
  list(offset: number, limit: number): WirePage<WireUser> {
    return pageOf(this.order.length, offset, limit, (i) => this.userAt(this.order, i));
  }

  /** Newest-first page of the direct children of `parentId`. */
  children(parentId: string, offset: number, limit: number): WirePage<WireUser> {
    const ids = this.childrenByParent.get(parentId) ?? [];
    return pageOf(ids.length, offset, limit, (i) => this.userAt(ids, i));
  }

  /** Newest-first page of the users that pass `matches`; scans only as far as the page needs. */
  search(matches: (user: WireUser) => boolean, offset: number, limit: number): WirePage<WireUser> {
    const hits: WireUser[] = [];
    const wanted = offset + limit + 1;
    for (let i = 0; i < this.order.length && hits.length < wanted; i++) {
      const user = this.userAt(this.order, i);
      if (matches(user)) hits.push(user);
    }
    return pageOf(hits.length, offset, limit, (i) => hits[i]!);
  }

  // Position i counted from the newest end of an oldest-first id list.
  private userAt(ids: readonly string[], i: number): WireUser {
    return this.byId.get(ids[ids.length - 1 - i]!)!.user;
  }

  private attach(id: string, parentId: string): void {
    const seq = this.byId.get(id)!.seq;
    let siblings = this.childrenByParent.get(parentId);
    if (!siblings) {
      siblings = [];
      this.childrenByParent.set(parentId, siblings);
    }
    // Re-parenting can bring an older child: keep siblings in creation order.
    let at = siblings.length;
    while (at > 0 && this.byId.get(siblings[at - 1]!)!.seq > seq) at--;
    siblings.splice(at, 0, id);
  }

  private detach(id: string, parentId: string): void {
    const siblings = this.childrenByParent.get(parentId);
    const at = siblings?.indexOf(id) ?? -1;
    if (siblings && at >= 0) siblings.splice(at, 1);
  }

  // Strictly increasing across the store and past the record's previous value, even within one ms.
  private stamp(previous: number): string {
    const ms = Math.max(Date.now(), this.lastStamp + 1, Number.isFinite(previous) ? previous + 1 : 0);
    this.lastStamp = ms;
    return new Date(ms).toISOString();
  }
}

/** Returns the user with its keys in wire order (unknown keys last). */
export function canonical(user: WireUser): WireUser {
  const source = user as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of KEY_ORDER) if (source[key] !== undefined) out[key] = source[key];
  for (const key of Object.keys(source)) if (!(key in out) && source[key] !== undefined) out[key] = source[key];
  return out as unknown as WireUser;
}
