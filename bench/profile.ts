/**
 * Where the gateway's CPU time goes: `npm run bench:profile` (flags in bench/README.md). The gateway as production
 * runs it, with `--cpu-prof`, under a bounded load, one process per shape; prints the self time of the samples taken
 * during the load by where the code lives, then the busiest functions. Profiles go to bench/.profiles/ (not
 * committed), for Chrome DevTools or speedscope.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateHierarchy } from '../src/simulator/index.ts';
import { cpuMs } from './cpu.ts';
import { treeQuery, UPSTREAM_LATENCY_MS } from './latency.ts';
import { load, SequentialClient, type Target } from './load.ts';
import { startGateway, startUpstream } from './processes.ts';
import { fixed } from './stats.ts';
import { nestedTarget, userTarget } from './targets.ts';
import { LOAD_HIERARCHY } from './throughput.ts';
import { startSink } from './tracing.ts';

const { values } = parseArgs({
  options: {
    shape: { type: 'string', multiple: true },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    env: { type: 'string', multiple: true },
    'node-arg': { type: 'string', multiple: true },
    top: { type: 'string', default: '15' },
    'in-process': { type: 'boolean', default: false },
    tracing: { type: 'boolean', default: false },
  },
});
const shapes = values.shape ?? ['flat', 'nested'];
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const env = Object.fromEntries((values.env ?? []).map((pair) => pair.split('=', 2) as [string, string]));
const PROFILES = new URL('./.profiles/', import.meta.url);
mkdirSync(PROFILES, { recursive: true });

/** Where a sampled function lives, by its script's URL: the usual suspects of a Node GraphQL server, then the rest. */
const GROUPS: [string, RegExp][] = [
  [
    'prom-client (metrics)',
    /node_modules\/(prom-client|@envelop\/prometheus|@graphql-yoga\/plugin-prometheus|tdigest|bintrees)\//,
  ],
  [
    'yoga / whatwg-node',
    /node_modules\/(graphql-yoga|@graphql-yoga|@whatwg-node|@envelop|@graphql-tools|@repeaterjs|@fastify)\//,
  ],
  ['graphql-js', /node_modules\/graphql\//],
  ['graphql-armor', /node_modules\/@escape\.tech\//],
  ['undici', /node_modules\/undici\//],
  [
    'pino',
    /node_modules\/(pino|sonic-boom|thread-stream|fast-redact|quick-format-unescaped|on-exit-leak-free|atomic-sleep|safe-stable-stringify)/,
  ],
  ['dataloader', /node_modules\/dataloader\//],
  ['OpenTelemetry: export (OTLP encoding, transport)', /node_modules\/@opentelemetry\/(otlp-|exporter-)/],
  ['OpenTelemetry: spans (api, sdk-trace, core)', /node_modules\/@opentelemetry\//],
  ['other packages', /node_modules\//],
  ['project (src/)', /\/src\//],
  [
    'node: http, net, streams',
    /^node:(internal\/)?(http|_http|net|stream|streams|internal\/streams|internal\/http|internal\/webstreams|events|internal\/event_target|internal\/abort_controller|timers|internal\/timers)/,
  ],
  ['node: other', /^node:/],
];

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

function groupOf(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(program)') return 'V8 (unattributed)';
  for (const [name, pattern] of GROUPS) if (pattern.test(url)) return name;
  // Builtins without a script: socket writes (writev, writeString), JSON, string and buffer work.
  return url ? 'other' : 'native builtins (socket writes, JSON, buffers)';
}

/** Self time per group and per function, of the samples between `from` and `to` (microseconds, monotonic). */
function summarise(profile: CpuProfile, from: number, to: number) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const groups = new Map<string, number>();
  const functions = new Map<string, number>();
  let at = profile.startTime;
  let busy = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i]!;
    const next = profile.timeDeltas[i + 1] ?? 0;
    if (at < from || at > to) continue;
    const node = byId.get(profile.samples[i]!)!;
    const group = groupOf(node);
    if (group === 'idle') continue;
    busy += next;
    groups.set(group, (groups.get(group) ?? 0) + next);
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/src\//, 'src/');
    const key = `${functionName || '(anonymous)'} ${where}${url ? `:${lineNumber + 1}` : ''}`;
    functions.set(key, (functions.get(key) ?? 0) + next);
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return { busy, groups: sorted(groups), functions: sorted(functions) };
}

/**
 * Where the tracing time goes. A sample is tracing's when the innermost frame on its stack that is neither Node's
 * nor V8's own belongs to OpenTelemetry or to the project's tracing code (so Node's http and socket work under the
 * exporter counts, and the GraphQL work a tracing hook wraps does not). Each part counts the tracing samples with
 * one of its frames in that innermost stretch; the parts overlap, the first row counts each sample once. Not
 * counted: the collector's answers read by Node's http parser before any OpenTelemetry callback, and the garbage
 * collector's share of the spans' allocations (GC samples carry no stack).
 */
const TRACING_CODE = /@opentelemetry|src\/plugins\/tracing\.[jt]s|src\/ncore\/spans\.[jt]s|src\/telemetry\.[jt]s/;
const TRACING_PARTS: [string, (fn: string, url: string) => boolean][] = [
  ['all tracing', () => true],
  [
    'span start (Tracer.startSpan: ids, sampler, SpanImpl)',
    (fn, url) => fn === 'startSpan' && /sdk-trace\/build\/src\/Tracer\.js/.test(url),
  ],
  ['span end (Span.end, span processor onEnd)', (fn, url) => fn === 'end' && /\/Span\.js/.test(url)],
  [
    'attributes, name, status (setAttribute(s), updateName, setStatus)',
    (fn, url) => /^(setAttributes?|updateName|setStatus)$/.test(fn) && /\/Span\.js/.test(url),
  ],
  [
    'traceparent read and written (propagation extract, inject)',
    (fn, url) => /^(extract|inject)$/.test(fn) && /@opentelemetry|src\/telemetry\.[jt]s/.test(url),
  ],
  ['export: OTLP protobuf serialisation (otlp-transformer)', (_, url) => /otlp-transformer/.test(url)],
  [
    'export: batching, HTTP request and answer (BatchSpanProcessor, otlp-exporter-base)',
    (_, url) => /BatchSpanProcessorBase|otlp-exporter-base|exporter-trace-otlp/.test(url),
  ],
  ["the plugin's own code (src/plugins/tracing.ts)", (_, url) => /src\/plugins\/tracing\.[jt]s/.test(url)],
  ['nCore call spans (src/ncore/spans.ts)', (_, url) => /src\/ncore\/spans\.[jt]s/.test(url)],
];

function tracingShares(profile: CpuProfile, from: number, to: number): { busy: number; parts: [string, number][] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes as (ProfileNode & { children?: number[] })[])
    for (const child of n.children ?? []) parent.set(child, n.id);
  const totals = TRACING_PARTS.map(() => 0);
  let busy = 0;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i]!;
    const us = profile.timeDeltas[i + 1] ?? 0;
    if (at < from || at > to) continue;
    if (groupOf(byId.get(profile.samples[i]!)!) === 'idle') continue;
    busy += us;
    // The innermost stretch of Node's, V8's and tracing's frames, up to the first frame of other code.
    const stretch: ProfileNode['callFrame'][] = [];
    let tracing = false;
    for (let id: number | undefined = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!.callFrame;
      if (TRACING_CODE.test(frame.url)) tracing = true;
      else if (frame.url && !frame.url.startsWith('node:')) break;
      stretch.push(frame);
    }
    if (!tracing) continue;
    TRACING_PARTS.forEach(([, test], k) => {
      if (stretch.some((f) => test(f.functionName, f.url))) totals[k]! += us;
    });
  }
  return { busy, parts: TRACING_PARTS.map(([name], k) => [name, totals[k]!]) };
}

/**
 * The main thread's profile among those written to `dir`: tsx's module hooks run on a thread of their own,
 * which writes a (nearly idle) profile too; the main thread's is the one busiest during the load.
 */
function mainThreadProfile(dir: URL, from: number, to: number) {
  const files = readdirSync(dir)
    .filter((n) => n.endsWith('.cpuprofile'))
    .map((n) => fileURLToPath(new URL(n, dir)));
  const profiles = files.map((file) => {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    return { file, ...summarise(profile, from, to) };
  });
  profiles.sort((a, b) => b.busy - a.busy);
  if (!profiles[0]) throw new Error(`no profile was written to ${fileURLToPath(dir)}`);
  return profiles[0];
}

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

async function profileShape(shape: string): Promise<void> {
  const tree = shape === 'tree';
  const hierarchy = tree ? { roots: 1, fanOut: 10, depth: 5, seed: 5 } : LOAD_HIERARCHY;
  const upstream = await startUpstream(hierarchy, tree ? UPSTREAM_LATENCY_MS : 0);
  const dir = new URL(`${shape}-${new Date().toISOString().replace(/[:.]/g, '-')}/`, PROFILES);
  mkdirSync(dir, { recursive: true });
  const sink = values.tracing ? await startSink() : undefined;
  const gatewayEnv = sink
    ? { OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint, OTEL_SERVICE_NAME: 'bench-gateway', ...env }
    : env;
  const gateway = await startGateway(upstream, gatewayEnv, [
    ...(values['node-arg'] ?? []),
    '--cpu-prof',
    `--cpu-prof-dir=${fileURLToPath(dir)}`,
  ]);
  let requests = 0;
  let from = 0;
  let to = 0;
  let cpu = 0;
  try {
    if (tree) {
      const query = treeQuery(4, 'variable');
      const target: Target = {
        name: 'tree',
        origin: new URL(gateway.url).origin,
        requests: [
          {
            method: 'POST',
            path: '/graphql',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query, variables: { id: upstream.ids[0], first: 10 } }),
          },
        ],
        check(status, body) {
          if (status !== 200 || body.includes('"errors"')) throw new Error(`unexpected answer ${status}: ${body}`);
        },
      };
      const client = new SequentialClient(target);
      for (let i = 0; i < 5; i++) await client.once();
      from = nowUs();
      const before = cpuMs(gateway.pid);
      const times: number[] = [];
      while (nowUs() - from < seconds * 1e6) times.push(await client.once());
      cpu = cpuMs(gateway.pid) - before;
      to = nowUs();
      requests = times.length;
      times.sort((a, b) => a - b);
      console.log(`\n## tree (fan-out 10, L = 4, 112 calls of ${UPSTREAM_LATENCY_MS} ms), concurrency 1, ${seconds} s`);
      console.log(`median ${fixed(times[Math.floor(times.length / 2)]!, 1)} ms over ${times.length} runs`);
      await client.close();
    } else {
      const users = generateHierarchy(LOAD_HIERARCHY);
      const parents = new Set(users.map((u) => u.parent_user_id));
      const ids = users.slice(0, 1000).map((u) => u.id);
      const nested = users
        .filter((u) => u.parent_user_id && parents.has(u.id))
        .slice(0, 1000)
        .map((u) => u.id);
      const target =
        shape === 'flat' ? userTarget('gateway', gateway.url, ids) : nestedTarget('gateway', gateway.url, nested);
      await load(target, connections, 2); // warm the JIT before the window that counts
      from = nowUs();
      const before = cpuMs(gateway.pid);
      const result = await load(target, connections, seconds);
      cpu = cpuMs(gateway.pid) - before;
      to = nowUs();
      requests = result.total;
      console.log(`\n## ${shape} (${target.name}), ${connections} connections, ${seconds} s`);
      console.log(`${fixed(result.requestsPerSecond, 0)} requests/s, ${result.failures} failures`);
    }
  } finally {
    await gateway.stop();
    await upstream.stop();
    await sink?.close();
  }
  const { file, busy, groups, functions } = mainThreadProfile(dir, from, to);
  console.log(
    `gateway CPU ${fixed(cpu / requests, 3)} ms per request (/proc); sampled busy time ${fixed(busy / 1000 / requests, 3)} ms per request`,
  );
  console.log(`profile: ${file}\n`);
  console.log('| where (self time) | share |\n| --- | ---: |');
  for (const [name, us] of groups) console.log(`| ${name} | ${fixed((100 * us) / busy, 1)} % |`);
  console.log(`\n| top functions (self time) | share |\n| --- | ---: |`);
  for (const [name, us] of functions.slice(0, Number(values.top)))
    console.log(`| \`${name}\` | ${fixed((100 * us) / busy, 1)} % |`);
  if (sink) {
    const { busy: all, parts } = tracingShares(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, from, to);
    console.log(
      `\n${sink.stats.exports} exports, ${fixed(sink.stats.bytes / 1024, 0)} KB received by the collector stand-in`,
    );
    console.log('\n| tracing, inclusive | share |\n| --- | ---: |');
    for (const [name, us] of parts) console.log(`| ${name} | ${fixed((100 * us) / all, 1)} % |`);
  }
}

/** Inclusive time (the function and everything it called) per function whose location matches `where`. */
function inclusive(profile: CpuProfile, where: RegExp): [string, number][] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes as (ProfileNode & { children?: number[] })[])
    for (const child of n.children ?? []) parent.set(child, n.id);
  const totals = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const us = profile.timeDeltas[i + 1] ?? 0;
    const seen = new Set<string>();
    for (let id: number | undefined = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
      const key = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/src\//, 'src/')}:${lineNumber + 1}`;
      if (seen.has(key) || !where.test(key)) continue;
      seen.add(key);
      totals.set(key, (totals.get(key) ?? 0) + us);
    }
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}

/**
 * The gateway of `loadConfig` (production settings, `--env` on top, info logs written to /dev/null in batches as
 * on stdout) in this process, 10 operations at a time through `gateway.fetch` for `--seconds`, profiled with the
 * inspector. The figures include building each Request, which a socket would not need; the shares are steadier.
 */
async function profileInProcess(shape: string): Promise<void> {
  const { Session } = await import('node:inspector/promises');
  const { default: pino } = await import('pino');
  const { loadConfig } = await import('../src/config/index.ts');
  const { createGateway } = await import('../src/gateway.ts');
  const upstream = await startUpstream(LOAD_HIERARCHY);
  const config = loadConfig({
    NODE_ENV: 'production',
    GATEWAY_AUTH: 'none',
    NCORE_BASE_URL: upstream.url,
    NCORE_API_KEY: upstream.apiKey,
    ...env,
  });
  const destination = pino.destination({
    dest: '/dev/null',
    sync: false,
    minLength: 3072,
    maxWrite: 4096,
    periodicFlush: 250,
  });
  const logger = pino({ level: 'info' }, destination);
  const gateway = createGateway(config.gateway, { logger });
  const users = generateHierarchy(LOAD_HIERARCHY);
  const parents = new Set(users.map((u) => u.parent_user_id));
  const ids = users
    .filter((u) => shape === 'flat' || (u.parent_user_id && parents.has(u.id)))
    .slice(0, 1000)
    .map((u) => u.id);
  const url = 'http://gateway.test/graphql';
  const target = shape === 'flat' ? userTarget('gateway', url, ids) : nestedTarget('gateway', url, ids);
  let next = 0;
  const once = async () => {
    const request = target.requests[next++ % target.requests.length]!;
    const res = await gateway.fetch(new URL(request.path, url), {
      method: request.method,
      headers: request.headers,
      body: request.body,
    });
    target.check(res.status, await res.text());
  };
  const run = async (ms: number) => {
    const until = performance.now() + ms;
    let count = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (performance.now() < until) {
          await once();
          count++;
        }
      }),
    );
    return count;
  };
  const session = new Session();
  try {
    await run(2_000);
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    const before = process.cpuUsage();
    const requests = await run(seconds * 1000);
    const used = process.cpuUsage(before);
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
    const file = new URL(`${shape}-in-process-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`, PROFILES);
    writeFileSync(file, JSON.stringify(profile));
    const { busy, groups } = summarise(profile, 0, Number.POSITIVE_INFINITY);
    console.log(`\n## ${shape} in process (gateway.fetch), 10 at a time, ${seconds} s`);
    console.log(
      `${requests} operations; ${fixed((used.user + used.system) / 1000 / requests, 3)} ms of CPU each (client included)`,
    );
    console.log(`profile: ${fileURLToPath(file)}\n`);
    console.log('| where (self time) | share |\n| --- | ---: |');
    for (const [name, us] of groups) console.log(`| ${name} | ${fixed((100 * us) / busy, 1)} % |`);
    console.log(`\n| src/ and metrics, inclusive | share |\n| --- | ---: |`);
    for (const [name, us] of inclusive(profile, /src\/|@envelop\/prometheus\/esm\/index|pino\/lib\/proto/).slice(
      0,
      Number(values.top),
    ))
      console.log(`| \`${name}\` | ${fixed((100 * us) / busy, 1)} % |`);
  } finally {
    session.disconnect();
    await gateway.close();
    await upstream.stop();
  }
}

for (const shape of shapes) {
  if (!['flat', 'nested', 'tree'].includes(shape)) throw new Error(`unknown shape ${shape}: flat, nested or tree`);
  if (values['in-process'] && shape === 'tree') throw new Error('--in-process profiles flat and nested only');
  if (values['in-process'] && values.tracing) throw new Error('--tracing profiles the gateway process only');
  await (values['in-process'] ? profileInProcess(shape) : profileShape(shape));
}
