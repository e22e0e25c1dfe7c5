import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { FamilyTreeQuery, fetchFamilyTree, formatFamilyTree } from '../../examples/typed-client/src/familyTree.ts';
import type { FamilyTreeQueryVariables, UserStatus } from '../../examples/typed-client/src/gql/graphql.ts';
import { DEMO_ROOT_ID } from '../../src/simulator/index.ts';
import {
  seedChildrenOf as childrenOf,
  itBuildsAsShipped,
  manifestOf,
  names,
  run,
  seedNames,
} from '../support/examples.ts';
import { type Stack, startStack } from '../support/stack.ts';

const EXAMPLE = 'examples/typed-client';
const MANIFEST = manifestOf(EXAMPLE);

describe('the typed client example (examples/typed-client)', () => {
  let stack: Stack;
  let url: string;

  // A real gateway on a real socket: the example is a separate program talking HTTP, as a frontend does.
  beforeAll(async () => {
    stack = await startStack();
    url = await stack.listen();
  });
  afterAll(() => stack?.close());

  itBuildsAsShipped(EXAMPLE);

  it('types results and variables from the schema', () => {
    type Tree = NonNullable<Awaited<ReturnType<typeof fetchFamilyTree>>>;
    expectTypeOf<Tree['root']['firstName']>().toEqualTypeOf<string>();
    expectTypeOf<Tree['root']['lastName']>().toEqualTypeOf<string | null>();
    expectTypeOf<Tree['root']['status']>().toEqualTypeOf<UserStatus | null>();
    expectTypeOf<FamilyTreeQueryVariables>().toHaveProperty('id');
  });

  it('fetches a family tree over HTTP: the user, three generations below and the way up', async () => {
    const tree = await fetchFamilyTree({ url }, DEMO_ROOT_ID);
    expect(tree?.errors).toEqual([]);
    expect(tree?.root).toMatchObject({
      id: DEMO_ROOT_ID,
      firstName: 'Khalid',
      lastName: 'Al Mansouri',
      status: 'ACTIVE',
      moreChildren: false,
    });
    expect(tree?.ancestors).toEqual([]);
    // Every generation matches the seed, whatever order the gateway lists them in.
    const children = tree!.root.children!;
    expect(names(children)).toEqual(seedNames(DEMO_ROOT_ID));
    for (const child of children) {
      expect(names(child.children)).toEqual(seedNames(child.id));
      for (const grandchild of child.children!) expect(names(grandchild.children)).toEqual(seedNames(grandchild.id));
    }
    // From a grandchild, the way up: its parent, then Khalid.
    const parent = children.find((c) => c.children!.length > 0)!;
    const down = await fetchFamilyTree({ url }, parent.children![0]!.id);
    expect(down?.ancestors?.map((a) => a.firstName)).toEqual([parent.firstName, 'Khalid']);
  });

  it('keeps the rest of the tree when nCore cannot return one page of children', async () => {
    // A non-JSON 200 is not retried, so the first children page (the user's own) fails and only it.
    stack.sim.setFaults({ kind: 'malformed', route: 'listChildren', times: 1 });
    const tree = await fetchFamilyTree({ url }, DEMO_ROOT_ID);
    stack.sim.clearFaults();
    expect(tree?.root).toMatchObject({ firstName: 'Khalid', children: null });
    expect(tree?.ancestors).toEqual([]);
    expect(tree?.errors).toMatchObject([{ path: ['user', 'children'], extensions: { code: 'UPSTREAM_BAD_RESPONSE' } }]);
    expect(formatFamilyTree(tree!)).toEqual(['Khalid Al Mansouri', '  (children unavailable)']);
  });

  it('answers null for a user the gateway does not know', async () => {
    await expect(fetchFamilyTree({ url }, '00000000-0000-4000-8000-000000000000')).resolves.toBeNull();
  });

  it("rejects with the gateway's error code when the request fails as a whole", async () => {
    await expect(fetchFamilyTree({ url }, '')).rejects.toMatchObject({
      name: 'GatewayRequestError',
      errors: [{ extensions: { code: 'BAD_USER_INPUT' } }],
    });
  });

  it('prints the tree from the command line', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', `${EXAMPLE}/src/main.ts`, url, DEMO_ROOT_ID]);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Khalid Al Mansouri');
    expect(lines).toContain('  Omar Al Mansouri (SON)');
    expect(lines.filter((l) => /^ {4}\S/.test(l)).length).toBe(
      childrenOf(DEMO_ROOT_ID).flatMap((c) => childrenOf(c.id)).length,
    );
    expect(lines).toContain('      Zayed Al Mansouri (SON)');
  }, 30_000);

  it('ships a persisted-documents manifest whose hashes match the documents the client holds', () => {
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, string>;
    const hash = (FamilyTreeQuery as { __meta__?: { hash?: string } }).__meta__?.hash;
    expect(Object.keys(manifest)).toEqual([hash]);
    const text = manifest[hash!]!;
    expect(hash).toBe(`sha256:${createHash('sha256').update(text).digest('hex')}`);
    expect(text).toMatch(/^fragment PersonFields on User .* query FamilyTree\(\$id: ID!\)/);
  });
});

describe('the typed client example against a gateway in trusted-documents mode', () => {
  let stack: Stack;
  let url: string;

  // The gateway runs only the documents of the example's own build, from the manifest its codegen wrote.
  beforeAll(async () => {
    stack = await startStack({ env: { TRUSTED_DOCUMENTS: MANIFEST } });
    url = await stack.listen();
  });
  afterAll(() => stack?.close());

  it('fetches the tree by document id', async () => {
    const tree = await fetchFamilyTree({ url, persisted: true }, DEMO_ROOT_ID);
    expect(tree?.root.firstName).toBe('Khalid');
    expect(tree?.root.children?.map((c) => c.firstName).sort()).toEqual(
      childrenOf(DEMO_ROOT_ID)
        .map((u) => u.first_name)
        .sort(),
    );
  });

  it('is refused when it sends the document text instead', async () => {
    await expect(fetchFamilyTree({ url }, DEMO_ROOT_ID)).rejects.toMatchObject({
      errors: [{ extensions: { code: 'PERSISTED_QUERY_ONLY' } }],
    });
  });
});
