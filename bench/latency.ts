/**
 * Section 2: the latency floor. Every nCore call takes 20 ms (the simulator's `latencyMs`), and a tree L
 * levels deep needs L rounds one after another, so no server can answer it in under L x 20 ms. The bound
 * is L x 20 ms x 1.15 + 10 ms. The simulator, the gateway (as production runs it) and each peer run in
 * their own processes; every timed run sends the tree to each of them in turn, over one keep-alive
 * connection each, so that the machine's other work falls on all of them alike.
 */
import { Pool } from 'undici';
import type { Mode } from './mode.ts';
import { type Child, type PeerName, startGateway, startPeer, startUpstream } from './processes.ts';
import { median } from './stats.ts';

export const UPSTREAM_LATENCY_MS = 20;
const LEVELS = [2, 3, 4, 5] as const;

/** One server's times for one tree. */
export interface TreeTimes {
  medianMs: number;
  maxMs: number;
  /** Why the server answered with an error instead of the tree (a limit), or undefined. */
  refused?: string;
}

/** One tree size: its times on every server and how they compare with the floor and the bound. */
export interface TreeRow {
  fanOut: number;
  levels: number;
  /** nCore calls the tree needs: the root plus one children page per node above the last level. */
  calls: number;
  floorMs: number;
  boundMs: number;
  /** Keyed by server: `gateway`, then each peer, then `gateway, limits raised` where measured. */
  times: Record<string, TreeTimes>;
  /** Median of a direct `GET /users/{id}` on the same simulator: what one round really costs upstream. */
  directMs: number;
  /**
   * Median of the same tree walked straight over REST (`DirectTreeWalk`): the root, then every children page of
   * a level at once. What a client of nCore itself would wait, with nothing in between; the gateway's real floor.
   */
  directTreeMs: number;
  /** The gateway with `first: 10` written inline: refused by a static limit, or undefined when answered. */
  literalRefused?: string;
}

/** The gateway with the per-operation limits lifted, to show what the defaults cost wide trees. */
export const TUNED = 'gateway, limits raised';

/**
 * `user(id) { children(first: 10) { nodes { ... } } }` nested so that the answer takes `levels` rounds.
 * `first` goes in a variable, as generated clients send it, or inline as a literal. Mesh names the same
 * tree `getUser(id) { children(limit) { data { ... } } }`.
 */
export function treeQuery(levels: number, first: 'variable' | number, mesh = false): string {
  const arg = first === 'variable' ? '$first' : String(first);
  let inner = mesh ? 'id first_name' : 'id firstName';
  for (let l = 1; l < levels; l++)
    inner = mesh
      ? `id first_name children(limit: ${arg}) { ... on UserPage { data { ${inner} } } }`
      : `id firstName children(first: ${arg}) { nodes { ${inner} } }`;
  const root = mesh ? `getUser(id: $id) { ... on User { ${inner} } }` : `user(id: $id) { ${inner} }`;
  const idType = mesh ? 'UUID!' : 'ID!';
  return first === 'variable'
    ? `query Tree($id: ${idType}, $first: Int) { ${root} }`
    : `query Tree($id: ${idType}) { ${root} }`;
}

/** One GraphQL server over one keep-alive connection. */
class TreeClient {
  readonly #pool: Pool;
  readonly #path: string;

  constructor(
    readonly name: string,
    url: string,
    readonly mesh: boolean,
  ) {
    this.#pool = new Pool(new URL(url).origin, { connections: 1 });
    this.#path = new URL(url).pathname;
  }

  /** Posts one operation; resolves with its time and the first error, if any. */
  async post(query: string, variables: Record<string, unknown>): Promise<{ ms: number; error?: string }> {
    const started = performance.now();
    const res = await this.#pool.request({
      method: 'POST',
      path: this.#path,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const text = await res.body.text();
    const ms = performance.now() - started;
    const body = JSON.parse(text) as { errors?: { message: string; extensions?: { code?: string } }[] };
    const first = body.errors?.[0];
    return { ms, error: first ? `${first.extensions?.code ?? 'ERROR'}: ${first.message}` : undefined };
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}

/**
 * The tree of `treeQuery` walked straight over nCore's REST API, as fast as a client can: the root, then, level by
 * level, every children page of the level above at once (over as many connections as the gateway may use), each
 * answer parsed. No GraphQL, no batching to do, no limits: what the upstream alone costs for the same rounds.
 */
class DirectTreeWalk {
  readonly #pool: Pool;
  readonly #base: URL;

  constructor(
    url: string,
    private readonly apiKey: string,
  ) {
    this.#base = new URL(url);
    this.#pool = new Pool(this.#base.origin, { connections: 128 });
  }

  async #get(path: string): Promise<{ id: string; data?: { id: string }[] }> {
    const res = await this.#pool.request({
      method: 'GET',
      path: this.#base.pathname + path,
      headers: { apikey: this.apiKey, accept: 'application/json' },
    });
    if (res.statusCode !== 200) {
      await res.body.dump();
      throw new Error(`direct walk: ${path} answered ${res.statusCode}`);
    }
    return (await res.body.json()) as { id: string; data?: { id: string }[] };
  }

  /** Walks `levels` levels below and including `rootId`, `first` children per node; resolves with its time. */
  async walk(rootId: string, levels: number, first: number): Promise<number> {
    const started = performance.now();
    let level = [(await this.#get(`/users/${rootId}`)).id];
    for (let l = 1; l < levels; l++) {
      const pages = await Promise.all(
        level.map((id) => this.#get(`/users/${id}:getLinkedRelationships?limit=${first}`)),
      );
      level = pages.flatMap((page) => (page.data ?? []).map((u) => u.id));
    }
    return performance.now() - started;
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}

/**
 * Times tree queries of 2 to 5 levels over a narrow (fan-out 2) and a wide (fan-out 10) hierarchy, on the
 * gateway with production defaults, on each peer, and for fan-outs in `tuned.fanOuts` on a second gateway
 * with `tuned.env` added.
 */
export async function measureTrees(
  mode: Mode,
  peers: readonly PeerName[],
  tuned: { env: Record<string, string>; fanOuts: readonly number[] },
  fanOuts: readonly number[] = [2, 10],
): Promise<TreeRow[]> {
  const rows: TreeRow[] = [];
  for (const fanOut of fanOuts) {
    const started: Child[] = [];
    const clients: TreeClient[] = [];
    const closers: { close(): Promise<void> }[] = [];
    try {
      const upstream = await startUpstream({ roots: 1, fanOut, depth: 5, seed: 5 }, UPSTREAM_LATENCY_MS);
      started.push(upstream);
      const gateway = await startGateway(upstream);
      started.push(gateway);
      clients.push(new TreeClient('gateway', gateway.url, false));
      for (const name of peers) {
        const peer = await startPeer(name, upstream);
        started.push(peer);
        clients.push(new TreeClient(name, peer.url, name === 'mesh'));
      }
      if (tuned.fanOuts.includes(fanOut)) {
        const raised = await startGateway(upstream, tuned.env);
        started.push(raised);
        clients.push(new TreeClient(TUNED, raised.url, false));
      }
      const rootId = upstream.ids[0]!;
      const directMs = await directCallMs(upstream.url, upstream.apiKey, rootId, Math.max(10, mode.treeRuns));
      const walk = new DirectTreeWalk(upstream.url, upstream.apiKey);
      closers.push(walk);
      for (const levels of LEVELS) {
        const calls = Array.from({ length: levels - 1 }, (_, l) => fanOut ** l).reduce((a, b) => a + b, 1);
        const floorMs = levels * UPSTREAM_LATENCY_MS;
        const literal = await clients[0]!.post(treeQuery(levels, 10), { id: rootId });
        const samples = new Map(clients.map((c) => [c.name, [] as number[]]));
        const walks: number[] = [];
        const refused = new Map<string, string>();
        // One untimed run warms the connection pools and the servers' caches of parsed documents.
        for (let run = 0; run <= mode.treeRuns; run++) {
          for (const client of clients) {
            if (refused.has(client.name)) continue;
            const { ms, error } = await client.post(treeQuery(levels, 'variable', client.mesh), {
              id: rootId,
              first: 10,
            });
            if (error) refused.set(client.name, error);
            else if (run > 0) samples.get(client.name)!.push(ms);
          }
          const ms = await walk.walk(rootId, levels, 10);
          if (run > 0) walks.push(ms);
        }
        const times: Record<string, TreeTimes> = {};
        for (const client of clients) {
          const list = samples.get(client.name)!;
          times[client.name] = refused.has(client.name)
            ? { medianMs: Number.NaN, maxMs: Number.NaN, refused: refused.get(client.name) }
            : { medianMs: median(list), maxMs: Math.max(...list) };
        }
        rows.push({
          fanOut,
          levels,
          calls,
          floorMs,
          boundMs: floorMs * 1.15 + 10,
          times,
          directMs,
          directTreeMs: median(walks),
          literalRefused: literal.error,
        });
      }
    } finally {
      await Promise.all([...clients, ...closers].map((c) => c.close()));
      for (const child of started.reverse()) await child.stop();
    }
  }
  return rows;
}

/** Median time of `runs` sequential direct reads of one user, after one to open the connection. */
async function directCallMs(url: string, apiKey: string, id: string, runs: number): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run <= runs; run++) {
    const started = performance.now();
    const res = await fetch(`${url}/users/${id}`, { headers: { apikey: apiKey } });
    await res.arrayBuffer();
    if (run > 0) times.push(performance.now() - started);
  }
  return median(times);
}
