/**
 * The gateway's benchmarks (issue 5): nCore calls per query shape against their floor, tree latency against
 * the round-trip floor, overhead and throughput side by side with GraphQL Mesh, and memory under load.
 *
 *   npm run bench                 full run (about 7 minutes); prints the tables and writes bench/RESULTS.md
 *   npm run bench:smoke           tiny durations, for CI; prints only (add --write to write RESULTS.md)
 *   npm run bench -- --no-mesh    without the Mesh peer
 *   npm run bench -- --tracing    only section 5 (tracing on vs off); prints, never writes
 *
 * Exits non-zero when a section fails or an answer is wrong (wrong data, failed requests); a missed
 * performance target is reported, not failed, since a shared machine's figures vary.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { CALLS_HIERARCHY, measureCalls } from './calls.ts';
import { measureTrees, UPSTREAM_LATENCY_MS } from './latency.ts';
import { FULL, SMOKE } from './mode.ts';
import { MESH_DIR } from './processes.ts';
import {
  callsTable,
  type Figures,
  loadTable,
  memoryTable,
  sequentialTable,
  treesTable,
  verdicts,
  verdictTable,
  writeResults,
} from './report.ts';
import { OPERATIONS } from './targets.ts';
import { LOAD_HIERARCHY, measureThroughput } from './throughput.ts';
import { measureTracing, type TracingFigures, tracingTable, tracingVerdict } from './tracing.ts';

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    write: { type: 'boolean' },
    'no-mesh': { type: 'boolean', default: false },
    tracing: { type: 'boolean', default: false },
  },
});
const mode = values.smoke ? SMOKE : FULL;
const write = values.write ?? !values.smoke;
const began = performance.now();

/** Settings that lift the wide trees' limits, to show what the defaults cost them. */
const TUNED_ENV = { NCORE_CONCURRENCY: '100', NCORE_CONNECTIONS: '128', UPSTREAM_CALL_BUDGET: '2000' };

function step(what: string): void {
  console.error(`[bench ${((performance.now() - began) / 1000).toFixed(0)} s] ${what}`);
}

/** Installs the Mesh peer from its lock file when missing; in smoke mode a missing peer is skipped. */
function meshReady(): boolean {
  if (values['no-mesh']) return false;
  if (existsSync(new URL('node_modules/@graphql-hive/gateway-runtime/package.json', MESH_DIR))) return true;
  if (values.smoke) {
    console.error(
      'Mesh peer not installed (bench/peers/mesh/node_modules): skipped in smoke mode. `npm ci --prefix bench/peers/mesh` includes it.',
    );
    return false;
  }
  step('installing the Mesh peer: npm ci --prefix bench/peers/mesh');
  const result = spawnSync('npm', ['ci', '--prefix', 'bench/peers/mesh', '--no-audit', '--no-fund'], {
    stdio: 'inherit',
    cwd: new URL('..', import.meta.url),
  });
  return result.status === 0;
}

/** Section 5, shared by the full run and `--tracing`. */
function tracingSection(t: TracingFigures): string {
  return `### 5. Tracing cost

Two gateway processes as in section 3 over one simulator process, identical but for \`OTEL_EXPORTER_OTLP_ENDPOINT\`
on the second (http/protobuf, \`OTEL_TRACES_SAMPLER=always_on\`: every operation traced, with its parse, validate and
execute spans and one span per nCore call), exporting to a collector stand-in in the bench process that drains each
export and answers 200 (${t.exports} exports, ${Math.round(t.exportedBytes / 1024)} KB received). autocannon, ${t.connections} connections, ${t.seconds} s per
target, ${t.rounds} rounds, off and on taking turns in alternating order (mean of rounds). Goal: at most 10 % lost.

${tracingTable(t)}
`;
}

if (values.tracing) {
  step(`mode ${mode.name}: tracing cost only`);
  const t = await measureTracing(mode);
  const verdict = tracingVerdict(t);
  console.log(`${tracingSection(t)}\n${verdict.met ? 'met' : 'NOT met'}: ${verdict.target}: ${verdict.detail}`);
  const failures = t.rows.reduce((sum, r) => sum + r.failures, 0);
  if (failures) console.error(`FAILED: ${failures} failed requests`);
  process.exit(failures ? 1 : 0);
}

step(`mode ${mode.name}`);
const withMesh = meshReady();
step('1/4 nCore calls per query shape');
const calls = await measureCalls();
step('2/4 tree latency (production defaults)');
const trees = await measureTrees(mode);
step('2/4 tree latency (wide trees, limits raised)');
const treesTuned = await measureTrees(mode, TUNED_ENV, [10]);
step(`3/4 overhead and throughput${withMesh ? ', with Mesh' : ', without Mesh'}; 4/4 memory`);
const throughput = await measureThroughput(mode, withMesh);
step('5 tracing cost');
const tracing = await measureTracing(mode);
const figures: Figures = { calls, trees, treesTuned, tunedEnv: TUNED_ENV, throughput };

const cpus = os.cpus();
const machine = `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, ${os.type()} ${os.release()}`;
const list = [...verdicts(figures), tracingVerdict(tracing)];
const tunedNote = Object.entries(TUNED_ENV)
  .map(([k, v]) => `${k}=${v}`)
  .join(' ');
const section = `
## Gateway benchmarks (issue 5)

Command: \`npm run bench\` (${mode.name === 'full' ? 'this run' : 'full mode'}); \`npm run bench:smoke\` runs every section with tiny
durations and prints without writing. This run: **${mode.name}** mode, ${new Date().toISOString().slice(0, 10)}, ${((performance.now() - began) / 1000).toFixed(0)} s.
Machine: ${machine}. The load generator, the simulator, the gateway and Mesh share these cores, and other
work on the machine moves absolute figures by a quarter or more between runs; the targets are interleaved so
that ratios are fairer than absolutes.

### Targets

${verdictTable(list)}

### 1. nCore calls per query shape

The simulator and the gateway (\`createGateway(loadConfig({ NODE_ENV: 'production', ... }))\`, \`gateway.fetch\`) in one
process over \`generateHierarchy(${JSON.stringify(CALLS_HIERARCHY)})\`, reset before every run. Calls are read from
the simulator's request log. The floor is computed from \`sim.users()\` and the query's shape alone (bench/shapes.ts):
one call per distinct user not yet in hand plus one per list or children page; a write is one call. The naive
resolvers (bench/naive.ts) run the same schema.graphql with one fetch per field that needs data, no DataLoader.

${callsTable(calls)}

### 2. Tree latency

Every nCore call waits ${UPSTREAM_LATENCY_MS} ms (\`latencyMs\`) in a simulator process of its own; the gateway runs in the bench
process. Query: \`user(id) { children(first: $first) { nodes { ... children ... } } }\`, $first = 10, nested so that the
answer takes L rounds; ${mode.treeRuns} timed runs after one warm-up. Floor L x ${UPSTREAM_LATENCY_MS} ms; bound floor x 1.15 + 10 ms.
"direct call" is a plain \`GET /users/{id}\` on the same simulator: what one round costs before any gateway.
The last column sends the same tree with \`first: 10\` written inline, which the cost limit weighs differently.

Production defaults:

${treesTable(trees)}

Wide trees with the per-operation limits raised (${tunedNote}):

${treesTable(treesTuned)}

### 3. Overhead and throughput, side by side

One simulator process (\`generateHierarchy(${JSON.stringify(LOAD_HIERARCHY)})\`, request log bounded to 10,000), the
gateway as production runs it (\`node --import tsx src/main.ts\`, NODE_ENV=production, GATEWAY_AUTH=none, WORKERS=1,
metrics, limits and info logs on, logs drained from stdout), and ${throughput.meshIncluded ? "GraphQL Mesh (bench/peers/mesh: Mesh Compose over the simulator's `/v1/openapi.json`, served by Hive Gateway's runtime, one process)" : 'no Mesh (not installed or --no-mesh)'}.
Reads cycle through 1,000 users; nested reads through users with a parent and ten children.

Operations:
- gateway user(id): \`${OPERATIONS.GATEWAY_USER}\`
- Mesh user(id): \`${OPERATIONS.MESH_USER}\`
- gateway nested: \`${OPERATIONS.GATEWAY_NESTED.replace(/\s+/g, ' ')}\`
- Mesh nested: \`${OPERATIONS.MESH_NESTED.replace(/\s+/g, ' ')}\`

Concurrency 1, one keep-alive connection per target, each request timed with \`process.hrtime.bigint()\` around
an undici request and its whole body, targets in interleaved rounds of 50:

${sequentialTable(throughput)}

autocannon, ${mode.connections} connections, ${mode.loadSeconds} s per target per round, ${mode.loadRounds} interleaved round(s) (mean of rounds):

${loadTable(throughput, mode.connections)}

### 4. Memory

The gateway process's RSS (from /proc) after two consecutive equal runs of load (half nested, half single reads, ${mode.connections} connections):

${memoryTable(throughput)}

${tracingSection(tracing)}`;

console.log(section);
if (write) {
  writeResults(new URL('./RESULTS.md', import.meta.url), section);
  step('wrote bench/RESULTS.md');
}

const wrong = [
  ...calls.filter((r) => r.sameData === false).map((r) => `different data from the naive resolvers: ${r.shape}`),
  ...throughput.load.filter((r) => r.failures > 0).map((r) => `${r.failures} failed requests: ${r.target}`),
  ...tracing.rows.filter((r) => r.failures > 0).map((r) => `${r.failures} failed requests: tracing, ${r.query}`),
];
for (const w of wrong) console.error(`FAILED: ${w}`);
step(`done; targets met: ${list.filter((v) => v.met).length} of ${list.length}`);
process.exit(wrong.length ? 1 : 0);
