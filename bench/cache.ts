/**
 * The cross-request cache of users (src/cache/): what a family tree costs cold and warm, on the instance that filled
 * the cache and on a second one through Redis, beside Apollo Server + RESTDataSource; then a mixed run of reads and
 * writes over two instances, every answer judged against the simulator (bench/cacheStale.ts). Run by `npm run bench`
 * (and cheaply by `npm run bench:smoke`); also on its own: `tsx bench/cache.ts [--smoke]`.
 * `tsx bench/cache.ts --control` checks the judge instead: the same mixed run, 5 s, over two instances that share no
 * Redis (so not coherent with each other, as src/cache/README.md says) must count stale reads; it fails if it sees none.
 *
 * The simulator (the demo seed, every call 20 ms) runs in this process, so that its request log and its state can be
 * read at any moment; Redis, the gateways and the peer run in processes of their own, all on 127.0.0.1.
 */

import { existsSync } from 'node:fs';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { Pool } from 'undici';
import { createSimulator, DEMO_BUSINESS_ID, DEMO_ROOT_ID, type Simulator } from '../src/simulator/index.ts';
import { type RedisProcess, startRedis } from '../test/support/redis.ts';
import { type MixedFigures, measureMixed, WEBHOOK_ENV } from './cacheStale.ts';
import { machineLine } from './events.ts';
import { type Child, type GraphqlServer, PEERS, startGateway, startPeer, type Upstream } from './processes.ts';
import { writeBetween } from './report.ts';
import { fixed, percentile, whole } from './stats.ts';

/** How big a run is. */
export interface CacheMode {
  readonly name: 'full' | 'smoke';
  /** Timed turns of the tree, each sending it to every server once, the order rotating. */
  readonly turns: number;
  /** Untimed trees of another family first, on every server, so that each process has run the operation before. */
  readonly warmup: number;
  /** Rounds of back-to-back trees on each warm server (BUSY_RUN each, after one that finds it idle). */
  readonly busyRounds: number;
  readonly mixedSeconds: number;
  readonly mixedConcurrency: number;
}
export const CACHE_FULL: CacheMode = {
  name: 'full',
  turns: 300,
  warmup: 20,
  busyRounds: 10,
  mixedSeconds: 60,
  mixedConcurrency: 16,
};
export const CACHE_SMOKE: CacheMode = {
  name: 'smoke',
  turns: 5,
  warmup: 2,
  busyRounds: 1,
  mixedSeconds: 3,
  mixedConcurrency: 4,
};
const BUSY_RUN = 30;

export const CACHE_LATENCY_MS = 20;
/** Long enough that no entry expires during a run. */
const TTL_MS = 600_000;
const WARM_P50_GOAL_MS = 2;
const APOLLO_RATIO_GOAL = 20;

/** Khalid, his children and theirs: 10 users in the demo seed, 6 nCore calls in 3 rounds when nothing is cached. */
export const FAMILY_TREE = `query FamilyTree($id: ID!) {
  user(id: $id) {
    id firstName lastName status
    children(first: 5) { nodes {
      id firstName lastName status
      children(first: 5) { nodes { id firstName lastName status } }
    } }
  }
}`;

type Key = 'floor' | 'off' | 'noCache' | 'warmA' | 'warmB' | 'redis' | 'local' | 'apollo';
const LABELS: Record<Key, string> = {
  floor: 'gateway N, `{ __typename }`: no resolver, HTTP, Yoga and the plugins alone',
  off: 'gateway, cache off (`CACHE_TTL_MS=0`): cold',
  noCache: 'gateway N, `cache-control: no-cache`: cold, refills the shared cache',
  warmA: 'gateway A, warm (the instance that filled the cache)',
  warmB: 'gateway B, warm (a second instance, filled from Redis)',
  redis: 'gateway R, warm, every entry read from Redis (`CACHE_MAX_ENTRIES=1`)',
  local: 'gateway L, warm, without Redis (its own store only)',
  apollo: 'Apollo Server + RESTDataSource',
};

/** The rows that must cost no nCore call: the floor and every warm read. */
const WARM: readonly Key[] = ['floor', 'warmA', 'warmB', 'redis', 'local'];

export interface TreeRow {
  key: Key;
  label: string;
  samples: number;
  p50: number;
  p95: number;
  p99: number;
  /** nCore calls per tree: mean and most. */
  callsMean: number;
  callsMax: number;
  /** Warm rows: p50 and p95 of trees sent one right after another to the same server (its process never idle). */
  busyP50?: number;
  busyP95?: number;
}

export interface CacheFigures {
  mode: string;
  turns: number;
  warmup: number;
  busyRounds: number;
  users: number;
  rows: TreeRow[];
  /** The first read of the tree on A (every entry missing: nCore, then filled) and then on B (every entry from Redis). */
  firstA: { ms: number; calls: number };
  firstB: { ms: number; calls: number };
  mixed: MixedFigures;
  /** The machine's 1-minute load average when the section began, after the trees, and at its end. */
  load: [number, number, number];
  problems: string[];
}

/** One server over one keep-alive connection. */
class Client {
  readonly #pool: Pool;
  readonly #path: string;

  constructor(
    readonly key: Key,
    url: string,
    private readonly headers: Record<string, string> = {},
    private readonly query = FAMILY_TREE,
  ) {
    this.#pool = new Pool(new URL(url).origin, { connections: 1 });
    this.#path = new URL(url).pathname;
  }

  async post(requestId: string, root: string = DEMO_ROOT_ID): Promise<{ ms: number; data: unknown; error?: string }> {
    const started = performance.now();
    const res = await this.#pool.request({
      method: 'POST',
      path: this.#path,
      headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...this.headers },
      body: JSON.stringify({ query: this.query, variables: { id: root } }),
    });
    const text = await res.body.text();
    const ms = performance.now() - started;
    if (res.statusCode !== 200) return { ms, data: undefined, error: `HTTP ${res.statusCode}: ${text.slice(0, 200)}` };
    const body = JSON.parse(text) as { data?: unknown; errors?: { message: string }[] };
    return { ms, data: body.data, error: body.errors ? JSON.stringify(body.errors).slice(0, 200) : undefined };
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}

async function metric(server: GraphqlServer, name: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', server.url))).text();
  return Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
}

/** Waits until every instance says its invalidation channel is up (it serves nothing from the cache before). */
async function coherent(servers: readonly GraphqlServer[]): Promise<void> {
  for (const server of servers) {
    for (let i = 0; (await metric(server, 'gateway_cache_coherent')) !== 1; i++) {
      if (i > 200) throw new Error('a gateway never reported gateway_cache_coherent 1');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

function usersIn(data: unknown): number {
  const count = (node: { children?: { nodes: unknown[] } } | undefined): number =>
    node ? 1 + (node.children?.nodes ?? []).reduce<number>((sum, c) => sum + count(c as never), 0) : 0;
  return count((data as { user?: never } | undefined)?.user);
}

/** The demo simulator in this process, as the upstream the bench's servers are started over. */
async function demoUpstream(): Promise<{ sim: Simulator; upstream: Upstream }> {
  const sim = await createSimulator({ seed: 'demo', latencyMs: CACHE_LATENCY_MS, requestLogLimit: 10_000 });
  const upstream: Upstream = {
    url: sim.url,
    apiKey: sim.apiKey,
    ids: [DEMO_ROOT_ID],
    pid: process.pid,
    stop: async () => {},
  };
  return { sim, upstream };
}

/**
 * Starts the simulator here, Redis and the servers in processes of their own, measures the tree in turns, then the
 * mixed run on the two Redis instances; stops everything it started.
 */
export async function measureCache(mode: CacheMode, options: { apollo: boolean }): Promise<CacheFigures> {
  const { sim, upstream } = await demoUpstream();
  const problems = new Set<string>();
  const load: [number, number, number] = [os.loadavg()[0]!, Number.NaN, Number.NaN];
  const started: Child[] = [];
  const clients: Client[] = [];
  let redis: RedisProcess | undefined;
  try {
    redis = await startRedis();
    const shared = { REDIS_URL: redis.url, CACHE_TTL_MS: String(TTL_MS), ...WEBHOOK_ENV };
    const apollo =
      options.apollo && existsSync(new URL(`node_modules/${PEERS.apollo.probe}/package.json`, PEERS.apollo.dir));
    // N serves the two rows that are not warm reads, so that A's process is never warmed by another row's request.
    const [off, a, b, r, l, nn, peer] = await Promise.all([
      startGateway(upstream, { CACHE_TTL_MS: '0' }),
      startGateway(upstream, shared),
      startGateway(upstream, shared),
      startGateway(upstream, { ...shared, CACHE_MAX_ENTRIES: '1' }),
      startGateway(upstream, { CACHE_TTL_MS: String(TTL_MS) }),
      startGateway(upstream, shared),
      apollo ? startPeer('apollo', upstream) : undefined,
    ]);
    started.push(off, a, b, r, l, nn, ...(peer ? [peer] : []));
    await coherent([a, b, r, nn]);

    const byKey: Partial<Record<Key, Client>> = {
      floor: new Client('floor', nn.url, {}, 'query Floor { __typename }'),
      off: new Client('off', off.url),
      warmA: new Client('warmA', a.url),
      warmB: new Client('warmB', b.url),
      redis: new Client('redis', r.url),
      local: new Client('local', l.url),
      noCache: new Client('noCache', nn.url, { 'cache-control': 'no-cache' }),
      ...(peer && { apollo: new Client('apollo', peer.url) }),
    };
    clients.push(...Object.values(byKey));
    const samples = new Map<Key, { ms: number[]; calls: number[] }>(clients.map((c) => [c.key, { ms: [], calls: [] }]));
    let reference: unknown;
    let n = 0;

    /** One tree on one server, its nCore calls read from the simulator's log (the peer sends no request id). */
    const send = async (client: Client) => {
      sim.clearRequests();
      const id = `cache-tree-${++n}`;
      const answer = await client.post(id);
      const calls = sim.requests.filter(
        (q) => q.route !== null && (client.key === 'apollo' || q.headers['x-request-id'] === id),
      ).length;
      if (answer.error) problems.add(`${LABELS[client.key]}: ${answer.error}`);
      else if (client.key === 'floor') {
        if (!isDeepStrictEqual(answer.data, { __typename: 'Query' })) problems.add(`${LABELS.floor}: other data`);
      } else if (reference === undefined) reference = answer.data;
      else if (!isDeepStrictEqual(answer.data, reference))
        problems.add(`${LABELS[client.key]}: other data than the cold tree`);
      return { ms: answer.ms, calls };
    };

    // Another family's tree on every server: each process has parsed, planned and served the operation (from its
    // cache too) before Khalid's is first asked for.
    for (let i = 0; i < mode.warmup; i++)
      for (const client of clients) {
        const answer = await client.post(`cache-warmup-${++n}`, DEMO_BUSINESS_ID);
        if (answer.error) problems.add(`${LABELS[client.key]}, warm-up: ${answer.error}`);
      }

    // Untimed first turn: the cold reference, then A fills the cache, then B's first read finds it all in Redis.
    await send(byKey.off!);
    const firstA = await send(byKey.warmA!);
    const firstB = await send(byKey.warmB!);
    for (const client of clients)
      if (client.key !== 'off' && client.key !== 'warmA' && client.key !== 'warmB') await send(client);

    for (let turn = 0; turn < mode.turns; turn++) {
      // A fresh random order every turn: no server always follows the same one.
      const order = [...clients];
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (const client of order) {
        const { ms, calls } = await send(client);
        samples.get(client.key)!.ms.push(ms);
        samples.get(client.key)!.calls.push(calls);
      }
    }
    // The warm servers again, each sent trees one right after another: in the turns above every request finds its
    // server idle since its last one (about the turn's length), and a process woken on a busy machine pays for it.
    const busy = new Map<Key, number[]>();
    for (let round = 0; round < mode.busyRounds; round++)
      for (const client of clients) {
        if (!WARM.includes(client.key)) continue;
        const list = busy.get(client.key) ?? [];
        busy.set(client.key, list);
        for (let i = 0; i <= BUSY_RUN; i++) {
          const { ms, calls } = await send(client);
          if (calls > 0) problems.add(`${LABELS[client.key]}: ${calls} nCore calls on a warm tree`);
          if (i > 0) list.push(ms);
        }
      }
    const rows: TreeRow[] = (Object.keys(LABELS) as Key[])
      .filter((key) => samples.has(key))
      .map((key) => {
        const { ms, calls } = samples.get(key)!;
        const b = busy.get(key);
        return {
          ...(b && { busyP50: percentile(b, 50), busyP95: percentile(b, 95) }),
          key,
          label: LABELS[key],
          samples: ms.length,
          p50: percentile(ms, 50),
          p95: percentile(ms, 95),
          p99: percentile(ms, 99),
          callsMean: calls.reduce((s, c) => s + c, 0) / calls.length,
          callsMax: Math.max(...calls),
        };
      });
    for (const row of rows)
      if (WARM.includes(row.key) && row.callsMax > 0)
        problems.add(`${row.label}: ${row.callsMax} nCore calls on a warm tree`);
    await Promise.all(clients.splice(0).map((c) => c.close()));
    // The mixed run has the machine to the two instances it loads.
    for (const child of [off, r, l, nn, ...(peer ? [peer] : [])]) {
      await child.stop();
      started.splice(started.indexOf(child), 1);
    }

    load[1] = os.loadavg()[0]!;
    const mixed = await measureMixed(sim, [a, b], { seconds: mode.mixedSeconds, concurrency: mode.mixedConcurrency });
    for (const p of mixed.problems) problems.add(`mixed run: ${p}`);
    if (mixed.stale.reads) problems.add(`mixed run: ${mixed.stale.reads} stale reads`);
    return {
      mode: mode.name,
      turns: mode.turns,
      warmup: mode.warmup,
      busyRounds: mode.busyRounds,
      users: usersIn(reference),
      rows,
      firstA,
      firstB,
      mixed,
      load: [load[0], load[1], os.loadavg()[0]!],
      problems: [...problems],
    };
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    for (const child of started.reverse()) await child.stop();
    await redis?.stop();
    await sim.close();
  }
}

export interface CacheVerdict {
  target: string;
  met: boolean;
  detail: string;
}

/** The section's targets, each met or missed by how much. */
export function cacheVerdicts(f: CacheFigures): CacheVerdict[] {
  const row = (key: Key) => f.rows.find((r) => r.key === key);
  const list: CacheVerdict[] = [];
  for (const key of ['warmA', 'warmB'] as const) {
    const r = row(key)!;
    list.push({
      target: `warm p50 at most ${WARM_P50_GOAL_MS} ms, ${key === 'warmA' ? 'instance A' : 'instance B'}`,
      met: r.p50 <= WARM_P50_GOAL_MS,
      detail: `${
        r.p50 <= WARM_P50_GOAL_MS
          ? `${fixed(r.p50, 2)} ms`
          : `${fixed(r.p50, 2)} ms: ${fixed(r.p50 - WARM_P50_GOAL_MS, 2)} ms over (x ${fixed(r.p50 / WARM_P50_GOAL_MS, 2)})`
      }; back-to-back ${fixed(r.busyP50 ?? Number.NaN, 2)} ms`,
    });
  }
  const apollo = row('apollo');
  for (const key of ['warmA', 'warmB'] as const) {
    const r = row(key)!;
    const ratio = apollo ? apollo.p50 / r.p50 : Number.NaN;
    list.push({
      target: `warm at least ${APOLLO_RATIO_GOAL} x faster than Apollo's p50, ${key === 'warmA' ? 'instance A' : 'instance B'}`,
      met: ratio >= APOLLO_RATIO_GOAL,
      detail: apollo
        ? `${fixed(ratio, 1)} x (${fixed(apollo.p50, 2)} / ${fixed(r.p50, 2)} ms)${ratio >= APOLLO_RATIO_GOAL ? '' : `: needs p50 <= ${fixed(apollo.p50 / APOLLO_RATIO_GOAL, 2)} ms`}; back-to-back ${fixed(apollo.p50 / (r.busyP50 ?? Number.NaN), 1)} x`
        : 'Apollo not in this run',
    });
  }
  const warmCalls = Math.max(
    ...f.rows.filter((r) => ['warmA', 'warmB', 'redis', 'local'].includes(r.key)).map((r) => r.callsMax),
  );
  list.push({ target: 'nCore calls per warm tree: 0', met: warmCalls === 0, detail: `at most ${warmCalls}` });
  const m = f.mixed;
  list.push({
    target: 'stale reads in the mixed run: 0',
    met: m.stale.reads === 0,
    detail: `${whole(m.stale.reads)} of ${whole(m.reads.trees + m.reads.users)} reads`,
  });
  return list;
}

/** The section for RESULTS.md. */
export function cacheSection(f: CacheFigures, machine: string, command: string): string {
  const m = f.mixed;
  const reads = m.reads.trees + m.reads.users;
  const writes = m.writes.updates + m.writes.creates + m.writes.statusChanges;
  const saved = m.ncore.readFloor - m.ncore.readCalls;
  const cold = f.rows.find((r) => r.key === 'off')!;
  const types = Object.entries(m.webhooks.byType)
    .sort()
    .map(([type, count]) => `${whole(count)} ${type}`)
    .join(', ');
  const table = f.rows
    .map(
      (r) =>
        `| ${r.label} | ${r.samples} | ${fixed(r.p50, 2)} | ${fixed(r.p95, 2)} | ${fixed(r.p99, 2)} | ${r.busyP50 === undefined ? '-' : `${fixed(r.busyP50, 2)} / ${fixed(r.busyP95!, 2)}`} | ${fixed(r.callsMean, 2)} | ${r.callsMax} |`,
    )
    .join('\n');
  const verdicts = cacheVerdicts(f)
    .map((v) => `| ${v.target} | ${v.met ? 'met' : '**not met**'} | ${v.detail} |`)
    .join('\n');
  return `
## Cache of users: a family tree cold and warm, and stale reads under writes

Command: \`${command}\` (**${f.mode}** mode), ${new Date().toISOString().slice(0, 10)}. Machine: ${machine}. The bench
process (the simulator and the clients), Redis, the gateways and the peer share these cores with other work on the
machine (1-minute load average ${f.load.map((l) => fixed(l, 1)).join(', then ')} at the start, after the trees and at the
end): absolute figures move between runs; the servers take turns so that it falls on all of them alike.

Setup: the simulator in the bench process (the demo seed, \`latencyMs: ${CACHE_LATENCY_MS}\` on every call); a redis-server of its
own; gateway processes as production runs them (compiled, as \`npm start\` runs it: NODE_ENV=production, WORKERS=1, info
logs on and drained): one with \`CACHE_TTL_MS=0\`; A, B, R and N with \`REDIS_URL\` and \`CACHE_TTL_MS=${TTL_MS}\` (no entry
expires during the run), R also with \`CACHE_MAX_ENTRIES=1\` so that its own store holds nothing and every entry of every
tree is read from Redis, N serving the rows that are not warm reads (so that no other row's request warms A's process);
L with the same TTL and no Redis (its own store only); Apollo Server + RESTDataSource (bench/peers/apollo) over the same
simulator. A and B go on to the mixed run; the others are stopped before it.

### Targets

| target | verdict | figure |
| --- | --- | --- |
${verdicts}

### 1. The family tree

The demo's Khalid, his children and theirs (${f.users} users, 3 levels: ${fixed(cold.callsMean, 0)} nCore calls in 3 rounds when
nothing is cached), the same operation to every server:

\`\`\`graphql
${FAMILY_TREE}
\`\`\`

Untimed first: ${f.warmup} trees of another family (the demo's business, \`DEMO_BUSINESS_ID\`) on every server, so that each
process has run the operation, from its cache too, before Khalid's is asked for; then one turn in this order: the
cold gateway (the reference answer), A (every entry missing: ${fixed(f.firstA.ms, 1)} ms,
${f.firstA.calls} nCore calls, and the cache filled), B (its first read, every entry found in Redis: ${fixed(f.firstB.ms, 1)} ms,
${f.firstB.calls} nCore calls), then the others. Then ${f.turns} turns, each sending the tree once to every server over one
keep-alive connection each, the order shuffled every turn. Each time runs from just before the request to the end of
its body. nCore calls are counted per tree from the simulator's request log (for the gateways, the calls that carried
the tree's \`x-request-id\`). Every answer must equal the cold reference. In these turns each request finds its server idle
since its previous one (a turn, about a quarter of a second), as a page load would; "back-to-back" then sends the warm
servers ${f.busyRounds} round(s) of ${BUSY_RUN} trees one right after another (the first of each run, which finds the server idle, left out):
what the same read costs a process that is already busy.

| server | trees | p50 ms | p95 ms | p99 ms | back-to-back p50 / p95 ms | nCore calls per tree (mean) | most |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${table}

### 2. Mixed reads and writes on two instances

Gateways A and B as above (${m.seconds} s, ${m.concurrency} clients, each sending one operation after another to either instance at
random). 80 % reads: half the tree above (with \`status\` and \`lastName\` on every user), half \`user(id) { id firstName
lastName status parent { id } }\` of a user the last tree showed. 20 % writes: 40 % a status change through the
simulator's control route (\`POST /_sim/users/{id}/status\`), which reaches the gateways only as nCore's
USER_STATUS_CHANGE webhook; 40 % \`updateUser\` (a new last name) and 20 % \`createUser\` (a child of one of Khalid's
children), each through either instance. The simulator's webhook registration points at a relay in the bench process
that hands each delivery to A and B in turn, as a load balancer would, and notes when the gateway's 2xx came back.
Writes to one user, or under one parent, never overlap.

A read is **stale** when, for any user or children page in its answer, it shows something older than the last change
acknowledged before the read began: a mutation's answer received, or a webhook's 2xx. Every answer is also compared
with the simulator's state at the moment it arrived; a difference whose change was not yet acknowledged (the write in
flight, the webhook not yet answered) is not stale, and is counted apart. A value the simulator never held fails the run.

| figure | value |
| --- | ---: |
| reads (trees + users; on A / on B) | ${whole(reads)} (${whole(m.reads.trees)} + ${whole(m.reads.users)}; ${whole(m.reads.perInstance[0])} / ${whole(m.reads.perInstance[1])}) |
| read latency p50 / p99, tree | ${fixed(m.readMs.treeP50, 2)} / ${fixed(m.readMs.treeP99, 2)} ms |
| read latency p50 / p99, user(id) | ${fixed(m.readMs.userP50, 2)} / ${fixed(m.readMs.userP99, 2)} ms |
| writes (status changes + updateUser + createUser) | ${whole(writes)} (${whole(m.writes.statusChanges)} + ${whole(m.writes.updates)} + ${whole(m.writes.creates)}) |
| webhooks delivered to the gateways | ${types || 'none'}; ${whole(m.webhooks.accepted)} answered 2xx, ${whole(m.webhooks.notAccepted)} not, ${whole(m.webhooks.undelivered)} never acknowledged |
| status change to its webhook's 2xx, p50 / p99 | ${fixed(m.webhooks.ackP50Ms, 1)} / ${fixed(m.webhooks.ackP99Ms, 1)} ms |
| **stale reads** | **${whole(m.stale.reads)}** (${whole(m.stale.items.user)} users, ${whole(m.stale.items.page)} children pages) |
| reads that differed from the simulator, the change not yet acknowledged | ${whole(m.behind)} |
| nCore calls for the reads / the same answers without the cache | ${whole(m.ncore.readCalls)} / ${whole(m.ncore.readFloor)} |
| nCore calls saved | ${whole(saved)} (${fixed((100 * saved) / Math.max(1, m.ncore.readFloor), 1)} %) |
| nCore calls for the writes; the gateways' own | ${whole(m.ncore.writeCalls)}; ${whole(m.ncore.otherCalls)} |
${m.stale.examples.length ? `\nStale reads seen (first ${m.stale.examples.length}):\n\n${m.stale.examples.map((e) => `- ${e}`).join('\n')}\n` : ''}
"Without the cache" counts what the same answers cost with \`CACHE_TTL_MS=0\`: 2 + one per child shown for a tree, 1 for
\`user(id)\`. nCore calls are attributed to operations by the \`x-request-id\` each carried.
`;
}

const START =
  '<!-- bench:cache:start (written by npm run bench and tsx bench/cache.ts; edit outside these markers) -->';
const END = '<!-- bench:cache:end -->';

/** Writes the section between its own markers in RESULTS.md. */
export function writeCacheSection(section: string): void {
  writeBetween(START, END, section);
}

/**
 * The judge's control: the mixed run over two instances with the cache on and no Redis, each hearing only the webhooks
 * delivered to it and none of the other's writes. A judge that counts no stale read there could not see one.
 */
export async function measureControl(seconds: number): Promise<MixedFigures> {
  const { sim, upstream } = await demoUpstream();
  const gateways: GraphqlServer[] = [];
  try {
    const env = { CACHE_TTL_MS: String(TTL_MS), ...WEBHOOK_ENV };
    gateways.push(...(await Promise.all([startGateway(upstream, env), startGateway(upstream, env)])));
    return await measureMixed(sim, [gateways[0]!, gateways[1]!], { seconds, concurrency: 8 });
  } finally {
    for (const g of gateways) await g.stop();
    await sim.close();
  }
}

// `tsx bench/cache.ts --control`: the judge's control run alone (prints only).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv.includes('--control')) {
  const m = await measureControl(5);
  console.log(
    `control, two instances without Redis, 5 s: ${m.stale.reads} stale reads of ${m.reads.trees + m.reads.users} (${m.stale.items.user} users, ${m.stale.items.page} children pages), ${m.writes.statusChanges + m.writes.updates + m.writes.creates} writes`,
  );
  for (const e of m.stale.examples) console.log(`- ${e}`);
  for (const p of m.problems) console.error(`FAILED: ${p}`);
  process.exit(m.stale.reads > 0 && m.problems.length === 0 ? 0 : 1);
}

// `tsx bench/cache.ts [--smoke]`: this section alone (written to RESULTS.md in full mode).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && !process.argv.includes('--control')) {
  const smoke = process.argv.includes('--smoke');
  const figures = await measureCache(smoke ? CACHE_SMOKE : CACHE_FULL, {
    apollo: !process.argv.includes('--no-apollo'),
  });
  const section = cacheSection(figures, machineLine(), `tsx bench/cache.ts${smoke ? ' --smoke' : ''}`);
  console.log(section);
  if (!smoke) writeCacheSection(section);
  for (const p of figures.problems) console.error(`FAILED: ${p}`);
  process.exit(figures.problems.length ? 1 : 0);
}
