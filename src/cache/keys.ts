import { createHash } from 'node:crypto';

/**
 * Whose entries these are: a digest of the nCore key, never the key itself (it names Redis keys and messages). In
 * `forward` mode each caller's key is a tenant of its own; otherwise the gateway's one key is the only tenant.
 */
export type Tenant = string;

/** Stands for every tenant in an invalidation: a webhook in `forward` mode with `FORWARD_SINGLE_TENANT`. */
export const EVERY_TENANT: Tenant = '*';

/** One cached read: a user (`u`, by id) or one page of a parent's children (`c`, by parent id and `field`). */
export interface ItemKey {
  readonly kind: 'u' | 'c';
  /** The user's id, or the parent's: lower-case UUIDs, as nCore writes them. */
  readonly id: string;
  /** Which page of the parent's children (`limit:cursor digest`); empty for a user. */
  readonly field: string;
}

/** What a write or an event may have changed, for one tenant or for every tenant. */
export interface Invalidation {
  readonly tenant: Tenant;
  /** Users whose entries go. */
  readonly users: readonly string[];
  /** Parents whose children pages go (a page embeds its children whole). */
  readonly parents: readonly string[];
  /** Every children page of the tenant: when a parent that lost a child is not known. */
  readonly allPages: boolean;
}

/** A tenant names its entries by a digest of its key: 128 bits, domain-separated from the gateway's other digests. */
export function tenantOf(apiKey: string): Tenant {
  return createHash('sha256')
    .update('ncore-gateway cache tenant\u0000')
    .update(apiKey)
    .digest('base64url')
    .slice(0, 22);
}

export function userKey(id: string): ItemKey {
  return { kind: 'u', id, field: '' };
}

/** A children page by its parent, size and nCore's cursor; the cursor is opaque, so only its digest names the page. */
export function pageKey(parentId: string, limit: number, after: string | undefined): ItemKey {
  const cursor = after === undefined ? '' : createHash('sha256').update(after).digest('base64url').slice(0, 16);
  return { kind: 'c', id: parentId, field: `${limit}:${cursor}` };
}

/** One name for an item of a tenant, in this process (the in-flight map, the local store). */
export function localName(tenant: Tenant, key: ItemKey): string {
  return `${tenant}\u0000${key.kind}\u0000${key.id}\u0000${key.field}`;
}

/** Reads a message from another instance back into an invalidation; anything else is ignored. */
export function readInvalidation(value: unknown): Invalidation | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { t, u, c, p } = value as Record<string, unknown>;
  const ids = (list: unknown): list is string[] => Array.isArray(list) && list.every((id) => typeof id === 'string');
  if (typeof t !== 'string' || !ids(u) || !ids(c)) return undefined;
  return { tenant: t, users: u, parents: c, allPages: p === 1 };
}

/** An invalidation as it travels between instances: ids and a tenant digest, nothing about anyone. */
export function writeInvalidation(origin: string, { tenant, users, parents, allPages }: Invalidation): string {
  return JSON.stringify({ o: origin, t: tenant, u: users, c: parents, p: allPages ? 1 : 0 });
}
