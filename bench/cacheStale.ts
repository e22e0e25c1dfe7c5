/**
 * The cache section's mixed run (bench/cache.ts runs it): two gateway instances sharing one Redis, clients sending
 * 80 % reads and 20 % writes for a fixed time, and every answer judged against what the simulator held.
 *
 * Writes: `updateUser` (a new last name) and `createUser` (a child of one of Khalid's children) through either
 * instance, and status changes through the simulator's control route, which nCore's way reaches the gateways only as a
 * USER_STATUS_CHANGE webhook. The simulator delivers its webhooks to a relay in this process that hands each one to
 * the instances in turn (as a load balancer in front of them would) and notes the moment its 2xx came back.
 *
 * Judging: the bench is the only writer, and writes to one user (or to one parent's children) never overlap, so each
 * item's values form one sequence. A write is acknowledged when its mutation's answer arrived, or for a status change
 * when the gateway's 2xx to its webhook did; a read must show, for every user and children page in its answer, the
 * last value acknowledged before the read began, or a newer one. Showing an older one is a stale read; showing a value
 * the simulator never held is wrong data. Answers are also compared with the simulator's state at the moment they
 * arrived: a difference whose change was not yet acknowledged (its write in flight, its webhook not yet answered) is
 * allowed and counted apart.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { USER_EVENT_TYPES } from '../src/contract/types.ts';
import { DEMO_ROOT_ID, type Simulator } from '../src/simulator/index.ts';
import type { GraphqlServer } from './processes.ts';
import { percentile } from './stats.ts';

/** The credentials the gateways expect on their webhook receiver and the simulator's registration sends. */
export const WEBHOOK = { username: 'bench', password: 'bench-webhook-password-0123456789' };
export const WEBHOOK_ENV = { NCORE_WEBHOOK_USERNAME: WEBHOOK.username, NCORE_WEBHOOK_PASSWORD: WEBHOOK.password };

export interface MixedOptions {
  readonly seconds: number;
  /** Clients sending operations one after another, each on either instance at random. */
  readonly concurrency: number;
}

/** Children per page, on both levels of the tree. */
const PAGE = 5;
const READ_SHARE = 0.8;
/** How long a status change may wait for its webhook's 2xx before the run calls it lost. */
const ACK_TIMEOUT_MS = 15_000;
const STATUSES = ['ACTIVE', 'SUSPENDED', 'INACTIVE'] as const;

export const MIXED_TREE = `query MixedTree($id: ID!) {
  user(id: $id) { id firstName lastName status
    children(first: ${PAGE}) { nodes { id firstName lastName status
      children(first: ${PAGE}) { nodes { id firstName lastName status } } } } }
}`;
const MIXED_USER = 'query MixedUser($id: ID!) { user(id: $id) { id firstName lastName status parent { id } } }';
const UPDATE =
  'mutation MixedUpdate($id: ID!, $lastName: String!) { updateUser(id: $id, input: { lastName: $lastName }) { id lastName } }';
const CREATE =
  'mutation MixedCreate($parent: ID!, $lastName: String!) { createUser(input: { firstName: "Bench", lastName: $lastName, parentUserId: $parent }) { id lastName } }';

export interface MixedFigures {
  seconds: number;
  concurrency: number;
  reads: { trees: number; users: number; perInstance: [number, number] };
  readMs: { treeP50: number; treeP99: number; userP50: number; userP99: number };
  writes: { updates: number; creates: number; statusChanges: number };
  webhooks: {
    /** Deliveries the relay handed to an instance, by event type. */
    byType: Record<string, number>;
    /** Of them, answered 2xx. */
    accepted: number;
    notAccepted: number;
    /** Deliveries the simulator still had not seen acknowledged when the run ended. */
    undelivered: number;
    /** Status changes: from the control call to the webhook's 2xx, p50 and p99. */
    ackP50Ms: number;
    ackP99Ms: number;
  };
  /** Reads whose answer showed something older than a change acknowledged before they began. */
  stale: { reads: number; items: { user: number; page: number }; examples: string[] };
  /** Reads that differed from the simulator's state when they arrived, every difference not yet acknowledged. */
  behind: number;
  ncore: {
    /** nCore calls made for the reads, and what the same answers cost without the cache. */
    readCalls: number;
    readFloor: number;
    writeCalls: number;
    /** Calls that carried no request id of this run (the gateways' own). */
    otherCalls: number;
  };
  problems: string[];
}

/** One item's values in the order they were written, each with when it was acknowledged (Infinity until then). */
class History<T> {
  readonly values: T[];
  readonly acks: number[];
  readonly ackedAt: number[];

  constructor(initial: T) {
    this.values = [initial];
    this.acks = [0];
    this.ackedAt = [0];
  }

  get latest(): T {
    return this.values.at(-1)!;
  }

  /** A value written now, acknowledged later. */
  push(value: T): number {
    this.values.push(value);
    this.acks.push(Number.POSITIVE_INFINITY);
    this.ackedAt.push(Number.NaN);
    return this.values.length - 1;
  }

  ack(index: number, seq: number): void {
    this.acks[index] = seq;
    this.ackedAt[index] = performance.now();
  }

  /** The newest value acknowledged at or before `seq`, -1 when none. */
  required(seq: number): number {
    for (let i = this.acks.length - 1; i >= 0; i--) if (this.acks[i]! <= seq) return i;
    return -1;
  }

  /** `ok` when `matches` some value at or after the required one, `stale` when only an older one, else `never`. */
  judge(seq: number, matches: (value: T) => boolean): { verdict: 'ok' | 'stale' | 'never'; required: number } {
    const required = this.required(seq);
    let older = false;
    for (let i = this.values.length - 1; i >= 0; i--) {
      if (!matches(this.values[i]!)) continue;
      if (i >= required) return { verdict: 'ok', required };
      older = true;
    }
    return { verdict: older ? 'stale' : 'never', required };
  }
}

interface UserRecord {
  readonly firstName: string;
  readonly parent: string | null;
  readonly lastName: History<string | null>;
  readonly status: History<string>;
}

interface PageRecord {
  readonly children: History<readonly string[]>;
  /** A create under this parent is under way: its new child may already show, its id not yet known here. */
  pending: boolean;
}

interface Node {
  id: string;
  firstName: string;
  lastName: string | null;
  status: string | null;
  children?: { nodes: Node[] };
  parent?: { id: string } | null;
}

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** What the bench knows the simulator holds: every value it was given, and what was acknowledged when. */
class Ledger {
  /** Bumped at every acknowledgement; a read records it as it begins. */
  clock = 0;
  readonly users = new Map<string, UserRecord>();
  readonly pages = new Map<string, PageRecord>();
  readonly locks = new Set<string>();

  constructor(private readonly sim: Simulator) {
    const all = sim.users();
    for (const user of all) this.#add(user.id);
    for (const user of all) if (user.parent_user_id) this.#page(user.parent_user_id);
    // `users()` is newest first, as nCore lists children.
    for (const [parent] of this.pages) {
      const ids = all.filter((u) => u.parent_user_id === parent).map((u) => u.id);
      this.pages.set(parent, { children: new History(ids), pending: false });
    }
  }

  #add(id: string): UserRecord | undefined {
    const user = this.sim.getUser(id);
    if (!user) return undefined;
    const record: UserRecord = {
      firstName: user.first_name,
      parent: user.parent_user_id ?? null,
      lastName: new History(user.last_name ?? null),
      status: new History(user.status ?? 'ACTIVE'),
    };
    this.users.set(id, record);
    return record;
  }

  #page(parent: string): PageRecord {
    let page = this.pages.get(parent);
    if (!page) {
      page = { children: new History<readonly string[]>([]), pending: false };
      this.pages.set(parent, page);
    }
    return page;
  }

  /** A user, adopted from the simulator when a create made it and an answer shows it before the create's answer. */
  user(id: string): UserRecord | undefined {
    return this.users.get(id) ?? this.#add(id);
  }

  page(parent: string): PageRecord {
    return this.#page(parent);
  }

  /** A user a create just made: known from now on (if an answer did not show it first), with no children. */
  created(id: string): void {
    if (!this.users.has(id)) this.#add(id);
    this.#page(id);
  }

  ack(history: History<unknown>, index: number): void {
    history.ack(index, ++this.clock);
  }
}

/** How one answer compares with the ledger: stale items, values never held, differences from the simulator. */
interface Judgement {
  stale: string[];
  never: string[];
  staleKinds: { user: number; page: number };
  differs: boolean;
}

function judgeUser(ledger: Ledger, sim: Simulator, node: Node, seq: number, j: Judgement, where: string): void {
  const record = ledger.user(node.id);
  if (!record) return void j.never.push(`${where}: user ${node.id} unknown to the simulator`);
  if (node.firstName !== record.firstName) j.never.push(`${where}: firstName ${node.firstName} of ${node.id}`);
  const now = sim.getUser(node.id);
  if ((now?.last_name ?? null) !== node.lastName || (now?.status ?? null) !== node.status) j.differs = true;
  for (const field of ['lastName', 'status'] as const) {
    const history = record[field] as History<string | null>;
    const { verdict, required } = history.judge(seq, (v) => v === node[field]);
    if (verdict === 'ok') continue;
    const detail = `${where}: ${field} of ${node.id.slice(0, 8)} was ${JSON.stringify(node[field])}, acknowledged ${JSON.stringify(history.values[required])}`;
    if (verdict === 'never') j.never.push(detail);
    else {
      j.staleKinds.user += 1;
      j.stale.push(`${detail} ${(performance.now() - history.ackedAt[required]!).toFixed(0)} ms before the answer`);
    }
  }
}

function judgePage(
  ledger: Ledger,
  sim: Simulator,
  parent: string,
  nodes: Node[],
  seq: number,
  j: Judgement,
  where: string,
): void {
  const page = ledger.page(parent);
  const shown = nodes.map((n) => n.id);
  const same = (ids: readonly string[]) => {
    const first = ids.slice(0, PAGE);
    return first.length === shown.length && first.every((id, i) => id === shown[i]);
  };
  if (!same(page.children.latest)) j.differs = true;
  const { verdict, required } = page.children.judge(seq, same);
  if (verdict === 'ok') return;
  // A create under way: its child may show first, before the bench knows its id.
  const head = shown[0];
  if (page.pending && head && !page.children.latest.includes(head) && sim.getUser(head)?.parent_user_id === parent)
    if (same([head, ...page.children.latest])) return;
  const detail = `${where}: children of ${parent.slice(0, 8)} were [${shown.map((id) => id.slice(0, 8))}], acknowledged [${(page.children.values[required] ?? []).slice(0, PAGE).map((id) => id.slice(0, 8))}]`;
  if (verdict === 'never') j.never.push(detail);
  else {
    j.staleKinds.page += 1;
    j.stale.push(`${detail} ${(performance.now() - page.children.ackedAt[required]!).toFixed(0)} ms before the answer`);
  }
}

/** One instance: a pool of keep-alive connections and its /graphql path. */
class Instance {
  readonly pool: Pool;
  readonly path: string;

  constructor(
    readonly name: string,
    readonly server: GraphqlServer,
    connections: number,
  ) {
    const url = new URL(server.url);
    this.pool = new Pool(url.origin, { connections });
    this.path = url.pathname;
  }

  async post(query: string, variables: Record<string, unknown>, requestId: string): Promise<Answer> {
    const res = await this.pool.request({
      method: 'POST',
      path: this.path,
      headers: { 'content-type': 'application/json', 'x-request-id': requestId },
      body: JSON.stringify({ query, variables }),
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) return { errors: [{ message: `HTTP ${res.statusCode}: ${text.slice(0, 200)}` }] };
    return JSON.parse(text) as Answer;
  }
}

const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;

/**
 * Runs the mixed load for `options.seconds` over the two gateways (both with `WEBHOOK_ENV`, sharing one Redis) and
 * the in-process simulator they call; registers the webhook relay with the simulator first. The caller owns and
 * stops every process; this stops the relay and its pools.
 */
export async function measureMixed(
  sim: Simulator,
  gateways: readonly [GraphqlServer, GraphqlServer],
  options: MixedOptions,
): Promise<MixedFigures> {
  const ledger = new Ledger(sim);
  const problems = new Set<string>();
  const problem = (what: string) => {
    if (problems.size < 20) problems.add(what);
  };
  const instances = gateways.map((g, i) => new Instance(i === 0 ? 'A' : 'B', g, options.concurrency + 2)) as [
    Instance,
    Instance,
  ];

  // The webhook relay: each delivery to the next instance in turn; a status change is acknowledged at its 2xx.
  const waiting = new Map<string, { index: number; status: string; started: number; done: () => void }>();
  const byType: Record<string, number> = {};
  const ackMs: number[] = [];
  let accepted = 0;
  let notAccepted = 0;
  let turn = 0;
  const relay = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const target = gateways[turn++ % 2]!;
      void fetch(new URL('/webhooks/ncore', target.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: req.headers.authorization ?? '' },
        body: text,
      })
        .then(async (response) => {
          await response.arrayBuffer();
          return response.status;
        })
        .catch(() => 502)
        .then((status) => {
          const body = JSON.parse(text) as { event?: string; user_id?: string; new_status?: string };
          const type = body.event ?? 'unknown';
          byType[type] = (byType[type] ?? 0) + 1;
          const ok = status >= 200 && status < 300;
          if (ok) accepted++;
          else notAccepted++;
          const wait = body.user_id ? waiting.get(body.user_id) : undefined;
          if (ok && type === 'USER_STATUS_CHANGE' && wait && wait.status === body.new_status) {
            // Acknowledged now, before the simulator hears the 2xx: a read that begins after this must see it.
            ledger.ack(ledger.user(body.user_id!)!.status, wait.index);
            ackMs.push(performance.now() - wait.started);
            waiting.delete(body.user_id!);
            wait.done();
          }
          res.writeHead(status).end();
        });
    });
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const relayUrl = `http://127.0.0.1:${(relay.address() as AddressInfo).port}/webhooks/ncore`;
  const control = sim.url.replace(/\/v1$/, '/_sim');

  // nCore calls, attributed by the request id each operation carried (`mx-r-…` reads, `mx-w-…` writes).
  const calls = { read: 0, write: 0, other: 0 };
  const tally = () => {
    for (const r of sim.requests) {
      if (r.route === null || r.route === 'openapi') continue;
      const id = r.headers['x-request-id'] ?? '';
      if (id.startsWith('mx-r-')) calls.read++;
      else if (id.startsWith('mx-w-')) calls.write++;
      else calls.other++;
    }
    sim.clearRequests();
  };

  const reads = { trees: 0, users: 0, perInstance: [0, 0] as [number, number] };
  const writes = { updates: 0, creates: 0, statusChanges: 0 };
  const stale = { reads: 0, items: { user: 0, page: 0 }, examples: [] as string[] };
  const treeMs: number[] = [];
  const userMs: number[] = [];
  let behind = 0;
  let readFloor = 0;
  let n = 0;
  // What the last tree answer showed: every user in it, and Khalid's children (the parents creates go under).
  let shownUsers: string[] = [];
  let shownParents: string[] = [];

  const judged = (j: Judgement) => {
    for (const w of j.never) problem(`a value the simulator never held: ${w}`);
    if (j.stale.length) {
      stale.reads++;
      stale.items.user += j.staleKinds.user;
      stale.items.page += j.staleKinds.page;
      if (stale.examples.length < 5) stale.examples.push(...j.stale.slice(0, 5 - stale.examples.length));
    } else if (j.differs) behind++;
  };

  async function readTree(instance: Instance, index: 0 | 1): Promise<void> {
    const seq = ledger.clock;
    const started = performance.now();
    const answer = await instance.post(MIXED_TREE, { id: DEMO_ROOT_ID }, `mx-r-${++n}`);
    treeMs.push(performance.now() - started);
    const root = answer.data?.['user'] as Node | undefined;
    if (answer.errors || !root)
      return problem(`tree on ${instance.name}: ${JSON.stringify(answer.errors ?? answer.data).slice(0, 200)}`);
    const j: Judgement = { stale: [], never: [], staleKinds: { user: 0, page: 0 }, differs: false };
    const where = `tree on ${instance.name}`;
    judgeUser(ledger, sim, root, seq, j, where);
    const level1 = root.children?.nodes ?? [];
    judgePage(ledger, sim, root.id, level1, seq, j, where);
    const users = [root.id];
    for (const child of level1) {
      judgeUser(ledger, sim, child, seq, j, where);
      const level2 = child.children?.nodes ?? [];
      judgePage(ledger, sim, child.id, level2, seq, j, where);
      users.push(child.id);
      for (const grandchild of level2) {
        judgeUser(ledger, sim, grandchild, seq, j, where);
        users.push(grandchild.id);
      }
    }
    judged(j);
    reads.trees++;
    reads.perInstance[index]++;
    // Without the cache: the root, its children page, and one children page per child.
    readFloor += 2 + level1.length;
    shownUsers = users;
    shownParents = level1.map((c) => c.id);
  }

  async function readUser(instance: Instance, index: 0 | 1, id: string): Promise<void> {
    const seq = ledger.clock;
    const started = performance.now();
    const answer = await instance.post(MIXED_USER, { id }, `mx-r-${++n}`);
    userMs.push(performance.now() - started);
    const user = answer.data?.['user'] as Node | undefined;
    if (answer.errors || !user)
      return problem(`user on ${instance.name}: ${JSON.stringify(answer.errors ?? answer.data).slice(0, 200)}`);
    const j: Judgement = { stale: [], never: [], staleKinds: { user: 0, page: 0 }, differs: false };
    const where = `user(id) on ${instance.name}`;
    judgeUser(ledger, sim, user, seq, j, where);
    if ((user.parent?.id ?? null) !== ledger.user(id)?.parent) j.never.push(`${where}: parent of ${id}`);
    judged(j);
    reads.users++;
    reads.perInstance[index]++;
    readFloor += 1;
  }

  /** Takes the first of `candidates` nobody is writing; undefined when all are taken. */
  const claim = (prefix: string, candidates: readonly string[]): string | undefined => {
    const start = Math.floor(Math.random() * candidates.length);
    for (let k = 0; k < candidates.length; k++) {
      const id = candidates[(start + k) % candidates.length]!;
      if (!ledger.locks.has(prefix + id)) {
        ledger.locks.add(prefix + id);
        return id;
      }
    }
    return undefined;
  };

  async function updateLastName(instance: Instance, id: string): Promise<void> {
    const history = ledger.user(id)!.lastName;
    const lastName = `Mixed ${++n}`;
    const index = history.push(lastName);
    const answer = await instance.post(UPDATE, { id, lastName }, `mx-w-${n}`);
    const written = answer.data?.['updateUser'] as { lastName?: string } | undefined;
    if (answer.errors || written?.lastName !== lastName)
      return problem(`updateUser on ${instance.name}: ${JSON.stringify(answer.errors ?? answer.data).slice(0, 200)}`);
    ledger.ack(history, index);
    writes.updates++;
  }

  async function createChild(instance: Instance, parent: string): Promise<void> {
    const page = ledger.page(parent);
    const lastName = `Born ${++n}`;
    page.pending = true;
    try {
      const answer = await instance.post(CREATE, { parent, lastName }, `mx-w-${n}`);
      const made = answer.data?.['createUser'] as { id?: string; lastName?: string } | undefined;
      if (answer.errors || !made?.id || made.lastName !== lastName)
        return problem(`createUser on ${instance.name}: ${JSON.stringify(answer.errors ?? answer.data).slice(0, 200)}`);
      ledger.created(made.id);
      ledger.ack(page.children, page.children.push([made.id, ...page.children.latest]));
      writes.creates++;
    } finally {
      page.pending = false;
    }
  }

  async function changeStatus(id: string): Promise<void> {
    const history = ledger.user(id)!.status;
    const status = pick(STATUSES.filter((s) => s !== history.latest));
    const index = history.push(status);
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const acked = new Promise<boolean>((resolve) => {
      waiting.set(id, { index, status, started, done: () => resolve(true) });
      timer = setTimeout(() => resolve(false), ACK_TIMEOUT_MS);
    });
    const response = await fetch(`${control}/users/${id}/status`, {
      method: 'POST',
      headers: { apikey: sim.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ status }),
    });
    await response.arrayBuffer();
    if (response.status !== 200) problem(`status control: ${response.status}`);
    const ok = await acked;
    clearTimeout(timer);
    if (!ok) {
      waiting.delete(id);
      return problem(`USER_STATUS_CHANGE for ${id} not acknowledged within ${ACK_TIMEOUT_MS} ms`);
    }
    writes.statusChanges++;
  }

  /** One operation: 80 % reads (a tree or one user, either instance), 20 % writes (a status, a last name, a child). */
  async function operation(): Promise<void> {
    const index: 0 | 1 = Math.random() < 0.5 ? 0 : 1;
    const instance = instances[index];
    const read = () =>
      Math.random() < 0.5 || shownUsers.length === 0
        ? readTree(instance, index)
        : readUser(instance, index, pick(shownUsers));
    if (Math.random() < READ_SHARE) return read();
    const kind = Math.random();
    if (kind < 0.8) {
      const id = claim('u:', shownUsers.length ? shownUsers : [DEMO_ROOT_ID]);
      if (id === undefined) return read();
      try {
        await (kind < 0.4 ? changeStatus(id) : updateLastName(instance, id));
      } finally {
        ledger.locks.delete(`u:${id}`);
      }
      return;
    }
    const parent = claim('c:', shownParents);
    if (parent === undefined) return read();
    try {
      await createChild(instance, parent);
    } finally {
      ledger.locks.delete(`c:${parent}`);
    }
  }

  const tallying = setInterval(tally, 100);
  try {
    const registered = await fetch(`${sim.url}/webhooks`, {
      method: 'POST',
      headers: { apikey: sim.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({
        endpoint: relayUrl,
        events: USER_EVENT_TYPES,
        config: { basic_auth_username: WEBHOOK.username, basic_auth_password: WEBHOOK.password },
      }),
    });
    await registered.arrayBuffer();
    if (registered.status !== 201) throw new Error(`webhook registration answered ${registered.status}`);
    // The first tree, read alone, shows what the writes aim at.
    await readTree(instances[0], 0);
    const until = performance.now() + options.seconds * 1000;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (performance.now() < until) {
          try {
            await operation();
          } catch (error) {
            problem(`an operation failed: ${(error as Error).message}`);
          }
        }
      }),
    );
    // Every delivery acknowledged (or retried to its end) before the figures are taken.
    for (let i = 0; i < 100 && sim.webhooks.deliveries.some((d) => !d.delivered); i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
  } finally {
    clearInterval(tallying);
    tally();
    await Promise.all(instances.map((i) => i.pool.close()));
    relay.closeAllConnections();
    await new Promise<void>((resolve) => relay.close(() => resolve()));
  }
  const undelivered = sim.webhooks.deliveries.filter((d) => !d.delivered).length;
  if (undelivered) problem(`${undelivered} webhook deliveries never acknowledged`);
  if (notAccepted) problem(`${notAccepted} webhook deliveries answered other than 2xx`);
  return {
    seconds: options.seconds,
    concurrency: options.concurrency,
    reads,
    readMs: {
      treeP50: percentile(treeMs, 50),
      treeP99: percentile(treeMs, 99),
      userP50: percentile(userMs, 50),
      userP99: percentile(userMs, 99),
    },
    writes,
    webhooks: {
      byType,
      accepted,
      notAccepted,
      undelivered,
      ackP50Ms: percentile(ackMs, 50),
      ackP99Ms: percentile(ackMs, 99),
    },
    stale,
    behind,
    ncore: { readCalls: calls.read, readFloor, writeCalls: calls.write, otherCalls: calls.other },
    problems: [...problems],
  };
}
