import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeServices, compositionHasErrors } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WireUser } from '../../src/contract/types.ts';
import { type RouterProcess, startHiveGateway } from '../support/hiveGateway.ts';
import { type Stack, startStack } from '../support/stack.ts';
import { CARDS_SDL, type Card, type CardsService, startCards } from './cards.ts';

/** The router's start is mostly module loading: seconds on a quiet machine, more on a busy one. */
const ROUTER_START_MS = 90_000;
const MISSING = '00000000-0000-4000-8000-000000000000';

interface RouterResult {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

describe('behind Hive Gateway: the gateway and a cards subgraph composed into one supergraph', () => {
  let stack: Stack;
  let cards: CardsService;
  let router: RouterProcess;
  let folder: string;
  let cardList: Card[];
  let users: Map<string, WireUser>;

  const query = async (text: string, variables?: object): Promise<RouterResult> => {
    const response = await fetch(router.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: text, variables }),
    });
    return (await response.json()) as RouterResult;
  };

  beforeAll(async () => {
    stack = await startStack({ env: { FEDERATION: 'true' } });
    const gatewayUrl = await stack.listen();
    users = new Map(stack.sim.users().map((u) => [u.id, u]));
    // Holders: a child twice, its parent, a child of another parent, and a user nCore does not have.
    const children = [...users.values()].filter((u) => u.parent_user_id && users.has(u.parent_user_id));
    const a = children[0]!;
    const b = children.find((u) => u.parent_user_id !== a.parent_user_id && u.id !== a.parent_user_id)!;
    cardList = [
      { last4: '1111', holderId: a.id },
      { last4: '2222', holderId: a.parent_user_id! },
      { last4: '3333', holderId: b.id },
      { last4: '4444', holderId: a.id },
      { last4: '5555', holderId: MISSING },
    ];
    cards = await startCards(cardList);

    // Composition reads each subgraph's SDL from `_service`, as a router's tooling does.
    const sdl = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ _service { sdl } }' }),
    }).then(async (r) => ((await r.json()) as { data: { _service: { sdl: string } } }).data._service.sdl);
    const composed = composeServices([
      { name: 'ncore', typeDefs: parse(sdl), url: gatewayUrl },
      { name: 'cards', typeDefs: parse(CARDS_SDL), url: cards.url },
    ]);
    if (compositionHasErrors(composed)) {
      throw new Error(`composition failed:\n${composed.errors.map((e) => e.message).join('\n')}`);
    }
    folder = mkdtempSync(join(tmpdir(), 'supergraph-'));
    const file = join(folder, 'supergraph.graphql');
    writeFileSync(file, composed.supergraphSdl);
    router = await startHiveGateway(file, ROUTER_START_MS - 10_000);
  }, ROUTER_START_MS);

  afterAll(async () => {
    await router?.stop();
    await cards?.close();
    await stack?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  beforeEach(() => {
    stack.sim.clearRequests();
    cards.entityBatches.splice(0);
  });

  it('answers cards { last4 holder { firstName parent { firstName } } } with one nCore call per distinct user', async () => {
    const answer = await query('{ cards { last4 holder { firstName parent { firstName } } } }');
    // The gateway answers null for the holder nCore does not have; the router, finding no `firstName` (non-null)
    // on it, reports that one holder and nulls it. Every other card is whole.
    const missing = cardList.findIndex((c) => c.holderId === MISSING);
    expect(answer.errors?.map((e) => e.path?.slice(0, 3))).toEqual([['cards', missing, 'holder']]);
    const expected = cardList.map((card) => {
      const holder = users.get(card.holderId);
      const parent = holder?.parent_user_id ? users.get(holder.parent_user_id) : undefined;
      return {
        last4: card.last4,
        holder: holder
          ? { firstName: holder.first_name, parent: parent ? { firstName: parent.first_name } : null }
          : null,
      };
    });
    expect(answer.data).toEqual({ cards: expected });

    // Every user the answer names (holders, the missing one included, and their parents), each asked once.
    const distinct = new Set(cardList.map((c) => c.holderId));
    for (const card of cardList) {
      const parentId = users.get(card.holderId)?.parent_user_id;
      if (parentId) distinct.add(parentId);
    }
    expect(stack.calls('getUser')).toBe(distinct.size);
    expect(stack.calls()).toBe(distinct.size);
  });

  it('answers user(id) { firstName cards { last4 } } across to the cards subgraph with one nCore call', async () => {
    const holder = users.get(cardList[0]!.holderId)!;
    const answer = await query('query($id: ID!) { user(id: $id) { firstName cards { last4 } } }', { id: holder.id });
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({
      user: {
        firstName: holder.first_name,
        cards: cardList.filter((c) => c.holderId === holder.id).map((c) => ({ last4: c.last4 })),
      },
    });
    expect(cards.entityBatches).toEqual([[holder.id]]);
    expect(stack.calls()).toBe(1);
  });

  it('passes the gateway errors through the router with their codes', async () => {
    const answer = await query('{ user(id: "not-a-uuid") { firstName cards { last4 } } }');
    expect(answer.data).toEqual({ user: null });
    expect(answer.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(stack.calls()).toBe(0);
  });
});
