import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The import rules of `src/`, read from the source itself. A unit is a folder of `src/` (`ncore`, `schema`,
 * `plugins`, ...) or one module at its top level (`errors.ts`, `context.ts`, ...): the units must form no
 * cycle, so each folder can be read, changed and tested from the units below it alone.
 */
const SRC = fileURLToPath(new URL('../src', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Relative imports of a file, static and dynamic, type-only ones included. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
  return specifiers.map((specifier) => resolve(dirname(file), specifier));
}

/** The unit a file belongs to: its top folder under src/, or the file itself at the top level. */
function unitOf(file: string): string {
  const [first, ...rest] = relative(SRC, file).split('/');
  return rest.length ? `${first}/` : first!;
}

const edges = new Map<string, Set<string>>();
const units = new Set<string>();
for (const file of sources(SRC)) {
  const from = unitOf(file);
  units.add(from);
  for (const target of importsOf(file)) {
    if (!target.startsWith(SRC)) continue;
    const to = unitOf(target);
    if (to === from) continue;
    if (!edges.has(from)) edges.set(from, new Set());
    edges.get(from)!.add(to);
  }
}

function findCycle(): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (unit: string): string[] | undefined => {
    if (state.get(unit) === 'done') return undefined;
    if (state.get(unit) === 'open') return [...path.slice(path.indexOf(unit)), unit];
    state.set(unit, 'open');
    path.push(unit);
    for (const next of edges.get(unit) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(unit, 'done');
    return undefined;
  };
  for (const unit of edges.keys()) {
    const cycle = visit(unit);
    if (cycle) return cycle;
  }
  return undefined;
}

const importers = (unit: string) => [...edges].filter(([, to]) => to.has(unit)).map(([from]) => from);
const fileImports = new Map(
  sources(SRC).map((file) => [relative(SRC, file), importsOf(file).map((t) => relative(SRC, t))]),
);
/** The units a file's imports reach outside its own unit. */
const reach = (file: string) => (fileImports.get(file) ?? []).map((target) => unitOf(join(SRC, target)));
const outside = (unit: string, allowed: string[]) =>
  [...(edges.get(unit) ?? [])].filter((to) => !allowed.includes(to)).sort();

/** The live-events branch stands beside the query path: these files never import events/. */
const QUERY_PATH = [...fileImports.keys()].filter(
  (file) =>
    /^(operation|cache|ncore|plugins|contract)\//.test(file) ||
    (file.startsWith('schema/') &&
      !['schema/index.ts', 'schema/resolvers/Subscription.ts', 'schema/resolvers/UserEvent.ts'].includes(file)),
);

describe('the import rules of src/', () => {
  it('has no import cycle between folders and top-level modules', () => {
    expect(findCycle()).toBeUndefined();
  });

  it('keeps the wire contract free of everything else', () => {
    expect([...(edges.get('contract/') ?? [])]).toEqual([]);
  });

  it('lets the simulator use only the wire contract, and only main.ts use the simulator', () => {
    expect([...(edges.get('simulator/') ?? [])]).toEqual(['contract/']);
    expect(importers('simulator/')).toEqual(['main.ts']);
  });

  it('keeps the upstream client below the graph: ncore/ imports only the contract and errors.ts', () => {
    expect(outside('ncore/', ['contract/', 'errors.ts'])).toEqual([]);
  });

  it('builds the operation scope from the upstream and the cache: operation/ imports only contract/, errors.ts, ncore/, cache/', () => {
    expect(outside('operation/', ['cache/', 'contract/', 'errors.ts', 'ncore/'])).toEqual([]);
  });

  it('keeps the cache below the operation: cache/ imports only contract/ and redis/', () => {
    expect(outside('cache/', ['contract/', 'redis/'])).toEqual([]);
  });

  it('keeps plugins on the operation: never schema/, server/ or events/', () => {
    expect(outside('plugins/', ['config/', 'contract/', 'errors.ts', 'ncore/', 'operation/'])).toEqual([]);
  });

  it('lets the server serve whatever it is given: server/ imports no gateway.ts, schema/ or events/', () => {
    expect(outside('server/', ['config/', 'contract/', 'errors.ts', 'operation/', 'plugins/'])).toEqual([]);
  });

  it('keeps live events out of the query path: no resolver but Subscription and UserEvent, no loader, plugin or nCore file imports events/', () => {
    expect(QUERY_PATH.length).toBeGreaterThan(20);
    expect(QUERY_PATH.filter((file) => reach(file).includes('events/'))).toEqual([]);
  });

  it('reads the environment in config/ alone (main.ts hands it over whole; the standalone simulator has its own)', () => {
    const readers = sources(SRC)
      .filter((file) => /process\.env\b/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(SRC, file))
      .filter((file) => !file.startsWith('config/') && file !== 'simulator/main.ts');
    expect(readers).toEqual(['main.ts']);
    expect(readFileSync(join(SRC, 'main.ts'), 'utf8').match(/process\.env[.[]/g)).toBeNull();
  });

  it('keeps at most six loose files at the top of src/', () => {
    const loose = readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.ts'));
    expect(loose.length).toBeLessThanOrEqual(6);
  });

  it('names every file of a folder in its README', () => {
    const folders = readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory());
    const unnamed = folders.flatMap(({ name }) => {
      const readme = readFileSync(join(SRC, name, 'README.md'), 'utf8');
      return readdirSync(join(SRC, name), { recursive: true, encoding: 'utf8' })
        .filter((file) => /\.(ts|json)$/.test(file) && !readme.includes(file.split('/').pop()!))
        .map((file) => `${name}/${file}`);
    });
    expect(unnamed).toEqual([]);
  });

  it('sees every folder of src/ (the rules above are not vacuous)', () => {
    expect([...units]).toEqual(
      expect.arrayContaining([
        'cache/',
        'contract/',
        'ncore/',
        'operation/',
        'plugins/',
        'schema/',
        'server/',
        'simulator/',
        'gateway.ts',
      ]),
    );
  });
});
