/**
 * The soak's clients: a mix of what frontends do (single reads, searches, four-level trees, creates with and
 * without idempotency keys, re-parents, updates), each operation one or more GraphQL requests whose outcome
 * the recorder keeps. Creates carry a unique marker in `lastName`, so that the users they made can be
 * counted in nCore afterwards.
 */
import { randomUUID } from 'node:crypto';
import { type CreateLedger, markerOf } from './ledger.ts';
import { outcomeOf, type Recorder } from './record.ts';

/** What the clients know of the data: every seeded id, the roots, names to search for, users they made. */
export interface World {
  readonly ids: readonly string[];
  readonly roots: readonly string[];
  readonly names: readonly string[];
  readonly made: string[];
}

export type OperationKind = 'read' | 'search' | 'tree' | 'createKeyed' | 'createUnkeyed' | 'reparent' | 'update';

/** The mix of operations, by weight. */
export const MIX: readonly [OperationKind, number][] = [
  ['read', 30],
  ['search', 15],
  ['tree', 15],
  ['createKeyed', 15],
  ['createUnkeyed', 10],
  ['reparent', 7],
  ['update', 8],
];

const READ = 'query SoakRead($id: ID!) { user(id: $id) { id firstName status parent { id } } }';
const SEARCH =
  'query SoakSearch($name: String!) { searchUsers(filter: { name: $name }, first: 10) { nodes { id firstName } } }';
const TREE = `query SoakTree($id: ID!) { user(id: $id) { id children(first: 10) { nodes { id children(first: 10) {
  nodes { id children(first: 10) { nodes { id firstName } } } } } } } }`;
const CREATE = `mutation SoakCreate($input: CreateUserInput!, $key: String) {
  createUser(input: $input, idempotencyKey: $key) { id lastName } }`;
const UPDATE = 'mutation SoakUpdate($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id } }';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class Traffic {
  #serial = 0;

  constructor(
    private readonly url: string,
    private readonly world: World,
    private readonly recorder: Recorder,
    private readonly ledger: CreateLedger,
    private readonly createRetryMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  /** Picks an operation by the mix's weights. */
  pick(): OperationKind {
    let roll = this.random() * MIX.reduce((sum, [, weight]) => sum + weight, 0);
    for (const [kind, weight] of MIX) {
      roll -= weight;
      if (roll < 0) return kind;
    }
    return 'read';
  }

  async run(kind: OperationKind): Promise<void> {
    const { ids, roots, names, made } = this.world;
    switch (kind) {
      case 'read':
        return void (await this.#send(kind, READ, { id: this.#any(ids) }));
      case 'search':
        return void (await this.#send(kind, SEARCH, { name: this.#any(names) }));
      case 'tree':
        return void (await this.#send(kind, TREE, { id: this.#any(roots) }));
      case 'createKeyed':
      case 'createUnkeyed':
        return this.#create(kind === 'createKeyed');
      case 'reparent':
        if (made.length === 0) return;
        return void (await this.#send(kind, UPDATE, {
          id: this.#any(made),
          input: { parentUserId: this.#any(roots) },
        }));
      case 'update':
        if (made.length === 0) return;
        return void (await this.#send(kind, UPDATE, {
          id: this.#any(made),
          input: { middleName: `v${++this.#serial}` },
        }));
    }
  }

  /** A create; a keyed one that fails is retried by the client under the same key until it succeeds. */
  async #create(keyed: boolean): Promise<void> {
    const entry = this.ledger.intend(keyed);
    const variables = { input: { firstName: 'Soak', lastName: markerOf(entry) }, key: keyed ? randomUUID() : null };
    const kind = keyed ? 'createKeyed' : 'createUnkeyed';
    const giveUpAt = Date.now() + this.createRetryMs;
    for (let attempt = 0; ; attempt++) {
      const { ok, body } = await this.#send(kind, CREATE, variables);
      const id = (body as { data?: { createUser?: { id?: string } } } | null)?.data?.createUser?.id;
      if (ok && id) {
        this.ledger.answered(entry, id, attempt);
        this.world.made.push(id);
        return;
      }
      this.ledger.failed(entry);
      if (!keyed || Date.now() >= giveUpAt) return;
      await sleep(Math.min(2_000, 200 * 2 ** attempt));
    }
  }

  async #send(kind: string, query: string, variables: unknown): Promise<{ ok: boolean; body: unknown }> {
    const started = performance.now();
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await response.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      const outcome = outcomeOf(response.status, body);
      this.recorder.add(kind, started, outcome, response.status);
      return { ok: outcome === 'OK', body };
    } catch {
      this.recorder.add(kind, started, 'NETWORK_ERROR', undefined);
      return { ok: false, body: undefined };
    }
  }

  #any<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }
}
