import { firstValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { WebSocket } from 'ws';
import { createApolloClient } from '../../examples/apollo-client/src/client.ts';
import {
  FamilyTreeQuery,
  fetchFamilyTree,
  formatFamilyTree,
  watchFamilyEvents,
  watchFamilyTreeInParts,
} from '../../examples/apollo-client/src/familyTree.ts';
import type { FamilyTreeQueryVariables, UserStatus } from '../../examples/apollo-client/src/gql/graphql.ts';
import { DEMO_ROOT_ID } from '../../src/simulator/index.ts';
import { postWebhook, userEvent, WEBHOOK_ENV } from '../support/events.ts';
import {
  seedChildrenOf as childrenOf,
  countingFetch,
  itBuildsAsShipped,
  manifestOf,
  names,
  run,
  seedNames,
} from '../support/examples.ts';
import { type Stack, startStack } from '../support/stack.ts';

const EXAMPLE = 'examples/apollo-client';
const MANIFEST = manifestOf(EXAMPLE);

describe('the Apollo Client example (examples/apollo-client)', () => {
  let stack: Stack;
  let url: string;

  // A real gateway on a real socket, with the webhook receiver on so that subscriptions are served.
  beforeAll(async () => {
    stack = await startStack({ env: WEBHOOK_ENV });
    url = await stack.listen();
  });
  afterAll(() => stack?.close());

  itBuildsAsShipped(EXAMPLE);

  it('types results and variables from the schema', () => {
    type Tree = NonNullable<Awaited<ReturnType<typeof fetchFamilyTree>>>;
    expectTypeOf<Tree['root']['firstName']>().toEqualTypeOf<string>();
    expectTypeOf<Tree['root']['status']>().toEqualTypeOf<UserStatus | null>();
    expectTypeOf<Tree['root']['__typename']>().toEqualTypeOf<'User'>();
    expectTypeOf<FamilyTreeQueryVariables>().toEqualTypeOf<{ id: string | number }>();
  });

  it('fetches the family tree with the typed query: three generations below and the way up', async () => {
    const client = createApolloClient({ url, webSocketImpl: WebSocket });
    const tree = await fetchFamilyTree(client, DEMO_ROOT_ID);
    expect(tree?.root).toMatchObject({ id: DEMO_ROOT_ID, firstName: 'Khalid', status: 'ACTIVE' });
    expect(tree?.ancestors).toEqual([]);
    const children = tree!.root.children!;
    expect(names(children)).toEqual(seedNames(DEMO_ROOT_ID));
    for (const child of children) {
      expect(names(child.children)).toEqual(seedNames(child.id));
      for (const grandchild of child.children!) expect(names(grandchild.children)).toEqual(seedNames(grandchild.id));
    }
    const parent = children.find((c) => c.children!.length > 0)!;
    const down = await fetchFamilyTree(client, parent.children![0]!.id);
    expect(down?.ancestors?.map((a) => a.firstName)).toEqual([parent.firstName, 'Khalid']);
    await expect(fetchFamilyTree(client, '00000000-0000-4000-8000-000000000000')).resolves.toBeNull();
    await expect(fetchFamilyTree(client, '')).rejects.toMatchObject({
      errors: [{ extensions: { code: 'BAD_USER_INPUT' } }],
    });
  });

  it('receives a posted event over the WebSocket, and its user updates the cached tree', async () => {
    const client = createApolloClient({ url, webSocketImpl: WebSocket });
    await fetchFamilyTree(client, DEMO_ROOT_ID);
    const events: unknown[] = [];
    const subscription = watchFamilyEvents(client, DEMO_ROOT_ID).subscribe((event) => events.push(event));
    await expect.poll(() => stack.gateway.events.size).toBe(1);

    // nCore suspends a grandchild and says so through its webhook.
    const grandchild = childrenOf(childrenOf(DEMO_ROOT_ID).find((c) => childrenOf(c.id).length)!.id)[0]!;
    const changed = await fetch(new URL(`/_sim/users/${grandchild.id}/status`, stack.sim.url), {
      method: 'POST',
      headers: { apikey: stack.sim.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'SUSPENDED' }),
    });
    expect(changed.status).toBe(200);
    const event = userEvent('USER_STATUS_CHANGE', grandchild.id, { old_status: 'ACTIVE', new_status: 'SUSPENDED' });
    expect((await postWebhook(url, event)).status).toBe(202);

    await expect.poll(() => events.length).toBe(1);
    expect(events[0]).toMatchObject({
      id: event.event_token,
      type: 'USER_STATUS_CHANGE',
      userId: grandchild.id,
      previousStatus: 'ACTIVE',
      status: 'SUSPENDED',
      user: { id: grandchild.id, firstName: grandchild.first_name, status: 'SUSPENDED' },
    });
    // The tree fetched before is read from the cache alone, and holds the new status.
    const cached = await client.query({
      query: FamilyTreeQuery,
      variables: { id: DEMO_ROOT_ID },
      fetchPolicy: 'cache-only',
    });
    const statuses = cached.data?.user?.children?.nodes.flatMap((c) => c.children?.nodes ?? []);
    expect(statuses?.find((g) => g.id === grandchild.id)?.status).toBe('SUSPENDED');

    subscription.unsubscribe();
    await expect.poll(() => stack.gateway.events.size).toBe(0);
    stack.sim.reset();
  });

  // Needs the gateway's @defer (useDeferStream): without it the query fails validation.
  it('delivers the tree in parts with @defer: the user and children first, the generations below after', async () => {
    const client = createApolloClient({ url, webSocketImpl: WebSocket });
    const parts = await firstValueFrom(watchFamilyTreeInParts(client, DEMO_ROOT_ID).pipe(toArray()));
    expect(parts.length).toBeGreaterThan(1);
    const [first] = parts;
    expect(first).toMatchObject({ complete: false, tree: { firstName: 'Khalid' } });
    expect(names(first!.tree!.children)).toEqual(seedNames(DEMO_ROOT_ID));
    // Nothing of a deferred level is in the first part.
    expect(first!.tree!.children!.every((child) => child.children === undefined)).toBe(true);

    const last = parts.at(-1)!;
    expect(last.complete).toBe(true);
    for (const child of last.tree!.children!) {
      expect(names(child.children)).toEqual(seedNames(child.id));
      for (const grandchild of child.children!) expect(names(grandchild.children)).toEqual(seedNames(grandchild.id));
    }
  });

  it('prints the tree from the command line', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', `${EXAMPLE}/src/main.ts`, url, DEMO_ROOT_ID]);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Khalid Al Mansouri');
    expect(lines).toContain('  Omar Al Mansouri (SON)');
    expect(lines).toContain('      Zayed Al Mansouri (SON)');
    const client = createApolloClient({ url, webSocketImpl: WebSocket });
    expect(lines).toEqual(formatFamilyTree((await fetchFamilyTree(client, DEMO_ROOT_ID))!));
  }, 30_000);
});

describe("the Apollo Client example's persisted queries", () => {
  it('sends the full query once: by hash over GET, the text on PERSISTED_QUERY_NOT_FOUND, then the hash alone', async () => {
    // A gateway of its own, so that no other test registered the query first.
    const stack = await startStack();
    try {
      const counting = countingFetch();
      const client = createApolloClient({ url: await stack.listen(), fetch: counting.fetch, webSocketImpl: WebSocket });
      for (let i = 0; i < 3; i++) expect((await fetchFamilyTree(client, DEMO_ROOT_ID))?.root.firstName).toBe('Khalid');
      expect(counting.seen).toEqual([
        { method: 'GET', query: false },
        { method: 'POST', query: true },
        { method: 'GET', query: false },
        { method: 'GET', query: false },
      ]);
    } finally {
      await stack.close();
    }
  });

  it("runs by the manifest's ids on a gateway in trusted-documents mode, never sending the text", async () => {
    const stack = await startStack({ env: { TRUSTED_DOCUMENTS: MANIFEST } });
    try {
      const counting = countingFetch();
      const url = await stack.listen();
      const client = createApolloClient({
        url,
        fetch: counting.fetch,
        trustedDocuments: true,
        webSocketImpl: WebSocket,
      });
      const tree = await fetchFamilyTree(client, DEMO_ROOT_ID);
      expect(names(tree?.root.children)).toEqual(seedNames(DEMO_ROOT_ID));
      expect(counting.seen).toEqual([{ method: 'GET', query: false }]);
    } finally {
      await stack.close();
    }
  });
});
