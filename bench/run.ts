/**
 * The gateway's benchmarks: nCore calls per query shape against their floor, tree latency against the
 * round-trip floor, overhead, throughput and CPU per request side by side with two peers (Apollo Server +
 * RESTDataSource, GraphQL Mesh), one worker against two, memory under load; and live events (bench/events.ts):
 * webhook-to-subscriber latency over two instances and Redis; and @defer (bench/defer.ts): time to the first part
 * and to the whole answer of a family tree, with and without `@defer`; and the call governor (bench/governor.ts):
 * nCore calls per second, refusals and p50/p99 with and without NCORE_RATE_LIMIT under the same overload; and the
 * cache of users (bench/cache.ts): a family tree cold and warm over two instances sharing Redis, beside Apollo, and
 * stale reads counted under mixed reads and writes.
 *
 *   npm run bench                  full run (about 11 minutes); prints the tables and writes bench/RESULTS.md
 *   npm run bench:smoke            tiny durations, for CI; prints only (add --write to write RESULTS.md)
 *   npm run bench -- --no-mesh     without the Mesh peer (likewise --no-apollo)
 *   npm run bench:profile          where the gateway's CPU time goes (bench/profile.ts)
 *   npm run bench -- --tracing     only the tracing section (tracing on vs off); prints, never writes
 *
 * Exits non-zero when a section fails or an answer is wrong (wrong data, failed requests); a missed
 * performance target is reported, not failed, since a shared machine's figures vary.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CACHE_FULL, CACHE_SMOKE, cacheSection, measureCache, writeCacheSection } from './cache.ts';
import { CALLS_HIERARCHY, measureCalls } from './calls.ts';
import { writeCharts } from './charts.ts';
import { DEFER_FULL, DEFER_SMOKE, deferSection, measureDefer, writeDeferSection } from './defer.ts';
import { EVENTS_FULL, EVENTS_SMOKE, eventsSection, measureEvents, writeEventsSection } from './events.ts';
import { GOVERNOR_FULL, GOVERNOR_SMOKE, governorSection, measureGovernor, writeGovernorSection } from './governor.ts';
import { measureTrees, TUNED, UPSTREAM_LATENCY_MS } from './latency.ts';
import { FULL, SMOKE } from './mode.ts';
import { PEERS, type PeerName } from './processes.ts';
import {
  callsTable,
  type Figures,
  loadTable,
  memoryTable,
  sequentialTable,
  treesTable,
  verdicts,
  verdictTable,
  workersTable,
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
    'no-apollo': { type: 'boolean', default: false },
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

/** Installs a peer from its lock file when missing (CI installs both beforehand); a failed install skips it. */
function peerReady(name: PeerName): boolean {
  if (values[`no-${name}`]) return false;
  const { dir, probe, label } = PEERS[name];
  if (existsSync(new URL(`node_modules/${probe}/package.json`, dir))) return true;
  const prefix = fileURLToPath(dir);
  step(`installing the ${label} peer: npm ci --prefix ${prefix}`);
  const result = spawnSync('npm', ['ci', '--prefix', prefix, '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (result.status !== 0) console.error(`${label} peer could not be installed: left out of this run.`);
  return result.status === 0;
}

/** Section 6, shared by the full run and `--tracing`. */
function tracingSection(t: TracingFigures): string {
  return `### 6. Tracing cost

Gateway processes as in section 3 over one simulator process, two of each kind, identical but for their tracing: none;
\`OTEL_EXPORTER_OTLP_ENDPOINT\` alone (http/protobuf, the production default sampler: a tenth of the operations); and
the same with \`OTEL_TRACES_SAMPLER=always_on\` (every operation: its span and one span per nCore call). They export to
a collector stand-in in the bench process that drains each export and answers 200 (${t.exports} exports,
${Math.round(t.exportedBytes / 1024)} KB received). autocannon, ${t.connections} connections, ${t.seconds} s per gateway, query and round, ${t.rounds} rounds,
the order rotating each round; the two processes of a kind are pooled round by round, and losses are the median of
the rounds' (each round's sides meet the machine in about the same state). Goal: at most 10 % lost with the default
sampler.

${tracingTable(t)}
`;
}

if (values.tracing) {
  step(`mode ${mode.name}: tracing cost only`);
  const t = await measureTracing(mode);
  const verdict = tracingVerdict(t);
  // A failed request stops the measurement with an error (tracing.ts), so reaching here means none failed.
  console.log(`${tracingSection(t)}\n${verdict.met ? 'met' : 'NOT met'}: ${verdict.target}: ${verdict.detail}`);
  process.exit(0);
}

step(`mode ${mode.name}`);
const peers = (['apollo', 'mesh'] as const).filter(peerReady);
step(`1/9 nCore calls per query shape`);
const calls = await measureCalls();
step(`2/9 tree latency: gateway, ${peers.join(', ') || 'no peers'}, and the gateway with limits raised on wide trees`);
const trees = await measureTrees(mode, peers, { env: TUNED_ENV, fanOuts: [10] });
step(`3/9 overhead, throughput, CPU and workers: gateway, ${peers.join(', ') || 'no peers'}; 4/9 memory`);
const throughput = await measureThroughput(mode, peers);
const figures: Figures = { calls, trees, throughput };
step('5/9 live events: webhook to subscribers over two instances and Redis');
const events = await measureEvents(values.smoke ? EVENTS_SMOKE : EVENTS_FULL);
step('6/9 tracing cost: requests/s with tracing on and off');
const tracing = await measureTracing(mode);
step('7/9 @defer: time to the first part and to the whole answer, with and without @defer');
const deferred = await measureDefer(values.smoke ? DEFER_SMOKE : DEFER_FULL);
step('8/9 call governor: nCore calls/s, refusals and p50/p99 with and without NCORE_RATE_LIMIT under overload');
const governed = await measureGovernor(values.smoke ? GOVERNOR_SMOKE : GOVERNOR_FULL);
step('9/9 cache of users: a family tree cold and warm over two instances and Redis, stale reads under writes');
const cached = await measureCache(values.smoke ? CACHE_SMOKE : CACHE_FULL, { apollo: peers.includes('apollo') });

const cpus = os.cpus();
const machine = `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, ${os.type()} ${os.release()}`;
const list = [...verdicts(figures), tracingVerdict(tracing)];
const tunedNote = Object.entries(TUNED_ENV)
  .map(([k, v]) => `${k}=${v}`)
  .join(' ');
const PEER_NOTES: Record<PeerName, string> = {
  apollo:
    "Apollo Server 5 + RESTDataSource (bench/peers/apollo: written as Apollo's documentation shows, one process, no DataLoader, metrics, logs or limits)",
  mesh: "GraphQL Mesh (bench/peers/mesh: Mesh Compose over the simulator's `/v1/openapi.json`, served by Hive Gateway's runtime, one process)",
};
const peerNote = peers.length
  ? peers.map((p) => PEER_NOTES[p]).join(', and ')
  : 'no peers (not installed, or left out)';
const section = `
## Gateway benchmarks

Command: \`npm run bench\` (${mode.name === 'full' ? 'this run' : 'full mode'}); \`npm run bench:smoke\` runs every section with tiny
durations and prints without writing. This run: **${mode.name}** mode, ${new Date().toISOString().slice(0, 10)}, ${((performance.now() - began) / 1000).toFixed(0)} s.
Machine: ${machine}. The load generator, the simulator, the gateway and its peers share these cores, and other
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

Every nCore call waits ${UPSTREAM_LATENCY_MS} ms (\`latencyMs\`) in a simulator process of its own; the gateway (as in section 3) and
each peer run in processes of their own. Query: \`user(id) { children(first: $first) { nodes { ... children ... } } }\`
(Mesh: \`getUser(id) { children(limit: $first) { data { ... } } }\`), $first = 10, nested so that the answer takes L
rounds; ${mode.treeRuns} timed runs after one warm-up, each run sending the tree to every server in turn over one keep-alive
connection each. Floor L x ${UPSTREAM_LATENCY_MS} ms; bound floor x 1.15 + 10 ms. "direct call" is a plain \`GET /users/{id}\` on the same
simulator: what one round costs before any gateway. "direct REST walk" is the same tree fetched straight from the
simulator, in the same turns, by a client that sends every children page of a level at once over 128 connections:
what the rounds cost with nothing in between, and so the floor any server in front of this simulator stands on;
"gateway - walk" is what the gateway adds to it. "${TUNED}" is the gateway with ${tunedNote}, on wide
trees only. The last column sends the gateway the same tree with \`first: 10\` written inline, which the cost limit
weighs differently. The peers have no call budget: they make every call a tree asks for.

${treesTable(trees)}

### 3. Overhead and throughput, side by side

One simulator process (\`generateHierarchy(${JSON.stringify(LOAD_HIERARCHY)})\`, request log bounded to 10,000), the
gateway as production runs it (compiled, as \`npm start\` runs it: NODE_ENV=production, GATEWAY_AUTH=none, WORKERS=1,
metrics, limits and info logs on, logs drained from stdout), ${peerNote}.
Reads cycle through 1,000 users; nested reads through users with a parent and ten children. The "plain Node relay"
(bench/relay-server.ts) is the floor of any Node server in between: node:http in, one undici call out, nCore's user
passed on, and nothing else (no GraphQL, checks or logs); what it adds and costs, the extra process and hop cost
on this machine before any server's own work.

Operations (Apollo Server is sent the gateway's):
- gateway user(id): \`${OPERATIONS.GATEWAY_USER}\`
- Mesh user(id): \`${OPERATIONS.MESH_USER}\`
- gateway nested: \`${OPERATIONS.GATEWAY_NESTED.replace(/\s+/g, ' ')}\`
- Mesh nested: \`${OPERATIONS.MESH_NESTED.replace(/\s+/g, ' ')}\`

Concurrency 1: one keep-alive undici connection per target from the same client, each request timed with
\`process.hrtime.bigint()\` around the request and its whole body. The targets take turns request by request (the
order rotating each turn), so the direct call and the gateway's call of the same turn meet the machine in the same
state; the last column is the median over turns of the difference, which a slow spell moves far less than either p50.

${sequentialTable(throughput)}

autocannon, ${mode.connections} connections, ${mode.loadSeconds} s per target per round, ${mode.loadRounds} interleaved round(s) (mean of rounds). CPU per
request is the serving process's user + system time (its workers' too) from \`/proc/<pid>/stat\` before and after each
run, divided by the requests answered; for the direct call it is the simulator's.

${loadTable(throughput, mode.connections)}

![requests per second](charts/throughput.svg) ![p99 latency](charts/latency-p99.svg)
![CPU per request](charts/cpu.svg) ![concurrency 1](charts/sequential.svg)

### 4. One worker or two

The same gateway with WORKERS=2 (node:cluster, two workers sharing the port), loaded in the same rounds as above. On
this machine the two cores are shared with the simulator and autocannon, so a second worker can only take what they
leave.

${workersTable(throughput)}

### 5. Memory

Each server's RSS (from /proc): idle (every server started, none yet asked anything), then during and after two
equal runs of load (half nested, half single reads, ${mode.connections} connections), the servers taking turns run by
run. Startup is from the process's spawn to its readiness (the gateway's "ready at" line, a peer's first message),
module loading included; the gateway runs compiled, as \`npm start\` runs it.

${memoryTable(throughput)}

${tracingSection(tracing)}`;

const liveEvents = eventsSection(events, machine, values.smoke ? 'npm run bench:smoke' : 'npm run bench');
const deferring = deferSection(deferred, machine, values.smoke ? 'npm run bench:smoke' : 'npm run bench');
console.log(section);
console.log(liveEvents);
console.log(deferring);
const governing = governorSection(governed, machine, values.smoke ? 'npm run bench:smoke' : 'npm run bench');
console.log(governing);
const caching = cacheSection(cached, machine, values.smoke ? 'npm run bench:smoke' : 'npm run bench');
console.log(caching);
// Drawn on every run, so the charts never rot; kept beside RESULTS.md only when it is written.
writeCharts(
  throughput,
  write ? new URL('./charts/', import.meta.url) : pathToFileURL(`${mkdtempSync(join(os.tmpdir(), 'charts-'))}/`),
);
if (write) {
  writeResults(new URL('./RESULTS.md', import.meta.url), section);
  writeEventsSection(liveEvents);
  writeDeferSection(deferring);
  writeGovernorSection(governing);
  writeCacheSection(caching);
  step('wrote bench/RESULTS.md');
}

const wrong = [
  ...calls.filter((r) => r.sameData === false).map((r) => `different data from the naive resolvers: ${r.shape}`),
  ...throughput.load.filter((r) => r.failures > 0).map((r) => `${r.failures} failed requests: ${r.target}`),
  ...(events.deliveries === events.expectedDeliveries
    ? []
    : [`live events: ${events.deliveries} of ${events.expectedDeliveries} deliveries`]),
  ...(events.refused === 0 ? [] : [`live events: ${events.refused} webhooks not accepted`]),
  ...deferred.problems.map((p) => `@defer: ${p}`),
  ...governed.problems.map((p) => `call governor: ${p}`),
  ...cached.problems.map((p) => `cache: ${p}`),
];
for (const w of wrong) console.error(`FAILED: ${w}`);
step(`done; targets met: ${list.filter((v) => v.met).length} of ${list.length}`);
process.exit(wrong.length ? 1 : 0);
