import { describe, expect, it } from 'vitest';
import { localChannel } from '../../src/cache/channel.ts';
import { InFlight, type Owner } from '../../src/cache/inflight.ts';
import { EVERY_TENANT, pageKey, tenantOf, userKey } from '../../src/cache/keys.ts';
import { LocalStore } from '../../src/cache/local.ts';
import { NO_CACHE_METRICS } from '../../src/cache/metrics.ts';
import { UserCache } from '../../src/cache/userCache.ts';
import type { WireUser } from '../../src/contract/types.ts';

const ID = '0b6f6d3c-5d7e-4f1a-9c2b-8a7e6d5c4b3a';
const OTHER = '1c7a7e4d-6e8f-4a2b-8d3c-9b8f7e6d5c4b';
const T = tenantOf('tenant-key');
const user = (first_name: string, parent?: string): WireUser =>
  ({ id: ID, first_name, status: 'ACTIVE', ...(parent && { parent_user_id: parent }) }) as WireUser;

function store(overrides: Partial<ConstructorParameters<typeof LocalStore>[0]> = {}) {
  let now = 1_000_000;
  const local = new LocalStore({
    maxEntries: 100,
    maxBytes: 10_000,
    ttlMs: 1_000,
    keepMs: 5_000,
    now: () => now,
    ...overrides,
  });
  return { local, tick: (ms: number) => (now += ms) };
}

describe('the local store', () => {
  it('serves an entry until CACHE_TTL_MS after its read began, then never again', () => {
    const { local, tick } = store();
    const began = local.now();
    tick(400);
    local.set(T, userKey(ID), user('A'), 50, local.seq, began);
    tick(599);
    expect(local.get(T, userKey(ID))).toEqual(user('A'));
    tick(1);
    expect(local.get(T, userKey(ID))).toBeUndefined();
  });

  it('is bounded in entries and in bytes, the least recently used going first', () => {
    const { local } = store({ maxEntries: 2, maxBytes: 100 });
    const ids = [ID, OTHER, '2d8b8f5e-7f9a-4b3c-9e4d-0c9a8f7e6d5c'];
    for (const id of ids) local.set(T, userKey(id), { id }, 10, local.seq, local.now());
    expect(ids.map((id) => local.get(T, userKey(id)) !== undefined)).toEqual([false, true, true]);
    local.set(T, userKey(ID), { id: ID }, 95, local.seq, local.now());
    expect(local.entries).toBe(1);
    expect(local.bytes).toBe(95);
  });

  it('never stores what a read that began before an invalidation found', () => {
    const { local } = store();
    const seq = local.seq;
    local.invalidate({ tenant: T, users: [ID], parents: [OTHER], allPages: false });
    local.set(T, userKey(ID), user('Stale'), 10, seq, local.now());
    local.set(T, pageKey(OTHER, 10, undefined), { data: [] }, 10, seq, local.now());
    expect(local.get(T, userKey(ID))).toBeUndefined();
    expect(local.get(T, pageKey(OTHER, 10, undefined))).toBeUndefined();
    local.set(T, userKey(ID), user('Fresh'), 10, local.seq, local.now());
    expect(local.get(T, userKey(ID))).toEqual(user('Fresh'));
  });

  it('forgets every page of a tenant, and what an every-tenant invalidation names, without listing them', () => {
    const { local } = store();
    const other = tenantOf('another-key');
    const pages = [pageKey(ID, 10, undefined), pageKey(OTHER, 20, 'cursor')];
    for (const tenant of [T, other])
      for (const key of pages) local.set(tenant, key, { data: [] }, 10, local.seq, local.now());
    local.set(other, userKey(ID), user('A'), 10, local.seq, local.now());
    local.invalidate({ tenant: T, users: [], parents: [], allPages: true });
    expect(pages.map((key) => local.get(T, key))).toEqual([undefined, undefined]);
    expect(pages.map((key) => local.get(other, key) !== undefined)).toEqual([true, true]);
    local.invalidate({ tenant: EVERY_TENANT, users: [ID], parents: [OTHER], allPages: false });
    expect(local.get(other, userKey(ID))).toBeUndefined();
    expect(local.get(other, pages[1]!)).toBeUndefined();
    expect(local.get(other, pages[0]!)).toBeDefined();
  });

  it('forgets everything on a flush', () => {
    const { local } = store();
    const seq = local.seq;
    local.set(T, userKey(ID), user('A'), 10, seq, local.now());
    local.flush();
    expect(local.get(T, userKey(ID))).toBeUndefined();
    local.set(T, userKey(ID), user('A'), 10, seq, local.now());
    expect(local.get(T, userKey(ID))).toBeUndefined();
  });
});

describe('reads in flight', () => {
  const deadline = (ms = 10_000): Owner & { controller: AbortController } => {
    const controller = new AbortController();
    return { controller, signal: controller.signal, deadline: Date.now() + ms };
  };
  const flight = <V>(start: () => Promise<V>, extra: { ownFailure?: (e: unknown) => boolean } = {}) => ({
    join: true,
    joinable: () => true,
    seq: 0,
    start,
    ownFailure: extra.ownFailure ?? (() => false),
    timeout: () => new Error('own deadline'),
  });
  const later = <V>(value: V | Error, ms = 30) =>
    new Promise<V>((resolve, reject) =>
      setTimeout(() => (value instanceof Error ? reject(value) : resolve(value)), ms),
    );

  it('makes one call for equal reads, and shares what nCore answered, a refusal too', async () => {
    const inflight = new InFlight();
    let made = 0;
    const start = () => {
      made += 1;
      return later('answer');
    };
    const results = await Promise.all([1, 2, 3].map(() => inflight.run('k', deadline(), flight(start))));
    expect(made).toBe(1);
    expect(results.map((r) => r.shared)).toEqual([false, true, true]);
    const refused = new Error('UPSTREAM_UNAUTHORIZED');
    const both = [
      inflight.run(
        'r',
        deadline(),
        flight(() => later(refused)),
      ),
      inflight.run(
        'r',
        deadline(),
        flight(() => later('no')),
      ),
    ];
    await expect(Promise.all(both)).rejects.toBe(refused);
    expect(inflight.size).toBe(0);
  });

  it('does not let the maker\u2019s deadline or budget end another operation\u2019s read', async () => {
    const inflight = new InFlight();
    const maker = deadline();
    const first = inflight.run(
      'k',
      maker,
      flight(() => later(new Error('timed out'), 20)),
    );
    const second = inflight.run(
      'k',
      deadline(),
      flight(() => later('its own answer')),
    );
    maker.controller.abort();
    await expect(first).rejects.toThrow('timed out');
    expect(await second).toEqual({ value: 'its own answer', shared: false });

    const overBudget = new Error('QUERY_TOO_COMPLEX');
    const own = (error: unknown) => error === overBudget;
    const broke = inflight.run(
      'b',
      deadline(),
      flight(() => Promise.reject(overBudget), { ownFailure: own }),
    );
    const waiting = inflight.run(
      'b',
      deadline(),
      flight(() => later('asked itself'), { ownFailure: own }),
    );
    await expect(broke).rejects.toBe(overBudget);
    expect((await waiting).value).toBe('asked itself');
  });

  it('stops waiting at the waiting operation\u2019s own deadline', async () => {
    const inflight = new InFlight();
    void inflight
      .run(
        'k',
        deadline(),
        flight(() => later('slow', 200)),
      )
      .catch(() => {});
    const impatient = deadline();
    const waiting = inflight.run(
      'k',
      impatient,
      flight(() => later('unused')),
    );
    setTimeout(() => impatient.controller.abort(), 10);
    await expect(waiting).rejects.toThrow('own deadline');
  });

  it('never joins a read that began before an invalidation of what it reads', async () => {
    const inflight = new InFlight();
    let made = 0;
    const start = () => {
      made += 1;
      return later(`answer ${made}`);
    };
    const first = inflight.run('k', deadline(), flight(start));
    const second = inflight.run('k', deadline(), { ...flight(start), joinable: () => false });
    expect((await Promise.all([first, second])).map((r) => r.value)).toEqual(['answer 1', 'answer 2']);
  });
});

describe('forward keys', () => {
  it('are served cached entries only once nCore accepted them lately', async () => {
    const { local } = store({ ttlMs: 60_000, keepMs: 60_000 });
    const cache = new UserCache({
      local,
      channel: localChannel(),
      metrics: NO_CACHE_METRICS,
      callerKeys: true,
      eventsTenant: undefined,
      keyProofMs: 50,
    });
    const options = (apiKey: string) => ({
      apiKey,
      owner: { deadline: Date.now() + 10_000 },
      readThrough: false,
      ownFailure: () => false,
      timeout: () => new Error('timeout'),
    });
    let calls = 0;
    const read = async (apiKey: string, answer: () => Promise<WireUser | null>) => {
      const view = cache.forOperation(options(apiKey));
      const { held, load } = await view.users([ID]);
      return (
        held[0] ??
        load(0, () => {
          calls += 1;
          return answer();
        })
      );
    };
    expect(await read('key', async () => user('A'))).toEqual(user('A'));
    expect(await read('key', async () => user('B'))).toEqual(user('A'));
    expect(calls).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 80));
    // The proof lapsed: nCore is asked again, and its refusal is the answer, whatever is cached.
    await expect(read('key', () => Promise.reject(new Error('UPSTREAM_UNAUTHORIZED')))).rejects.toThrow('UNAUTHORIZED');
    await expect(read('key', () => Promise.reject(new Error('UPSTREAM_UNAUTHORIZED')))).rejects.toThrow('UNAUTHORIZED');
    expect(calls).toBe(3);
  });
});
