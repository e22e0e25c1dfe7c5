import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { demoSeed } from '../../src/simulator/index.ts';

/** Runs a command-line tool; rejects with its output when it exits non-zero. */
export const run = promisify(execFile);
/** A tool installed in the project. */
export const bin = (name: string) => `node_modules/.bin/${name}`;

/** The persisted-documents manifest an example's codegen writes. */
export const manifestOf = (example: string) => `${example}/src/gql/persisted-documents.json`;

/** The checks every example passes as it ships: generated code fresh for the schema, and a strict type-check. */
export function itBuildsAsShipped(example: string): void {
  it('has generated code that is fresh for the schema and its documents', async () => {
    // Throws (non-zero exit) when schema.graphql or a document changed without regenerating.
    await expect(run(bin('graphql-codegen'), ['--check', '--config', `${example}/codegen.ts`])).resolves.toBeDefined();
  }, 60_000);

  it('type-checks under its own strict tsconfig', async () => {
    const result = await run(bin('tsc'), ['-p', `${example}/tsconfig.json`]).catch(
      (error: { stdout: string }) => error,
    );
    expect(result.stdout).toBe('');
  }, 60_000);
}

// The demo family as the seed holds it, to compare a client's trees with.
const seed = demoSeed();
/** A user's children in the demo seed. */
export const seedChildrenOf = (id: string) => seed.filter((u) => u.parent_user_id === id);
/** Their first names, sorted. */
export const seedNames = (id: string) =>
  seedChildrenOf(id)
    .map((u) => u.first_name)
    .sort();
/** The sorted first names of what a client answered. */
export const names = (members: readonly { firstName: string }[] | null | undefined) =>
  members?.map((m) => m.firstName).sort();

/** A fetch that notes each request's method and whether it carried the query text (the APQ protocol at work). */
export function countingFetch() {
  const seen: { method: string; query: boolean }[] = [];
  const counted: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const body = typeof init?.body === 'string' ? init.body : '';
    seen.push({ method: init?.method ?? 'GET', query: url.searchParams.has('query') || body.includes('"query"') });
    return fetch(input, init);
  };
  return { fetch: counted, seen };
}
