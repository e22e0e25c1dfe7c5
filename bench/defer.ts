/**
 * @defer: how soon a client holds the first part of the demo family's tree, and when it holds all of it, with
 * `... @defer` on each children level against the same query without it. Every nCore call takes 20 ms; the two
 * queries take turns in one run, over one keep-alive connection, and each answer is read as a stream (undici's
 * fetch): the first part counts once all its bytes are in, the whole answer once the body ends. Both must make
 * the same nCore calls and add up to the same data. Run by `npm run bench` (and cheaply by `npm run bench:smoke`);
 * also on its own: `tsx bench/defer.ts [--smoke] [--iterations N]`.
 */

import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { Agent, fetch } from 'undici';
import { createSimulator, DEMO_ROOT_ID, type Simulator } from '../src/simulator/index.ts';
import { machineLine } from './events.ts';
import { startGateway } from './processes.ts';
import { writeBetween } from './report.ts';
import { fixed, median, percentile } from './stats.ts';

/** How big a run is. */
export interface DeferMode {
  readonly name: 'full' | 'smoke';
  /** Timed operations of each query, the two taking turns. */
  readonly iterations: number;
  /** Untimed turns first, to warm the connection and the gateway's caches of parsed documents. */
  readonly warmup: number;
}
export const DEFER_FULL: DeferMode = { name: 'full', iterations: 200, warmup: 5 };
export const DEFER_SMOKE: DeferMode = { name: 'smoke', iterations: 5, warmup: 1 };
/** `--iterations` is bounded: about 0.15 s a turn, so the longest run is 5 minutes. */
export const MAX_ITERATIONS = 2000;

export const DEFER_LATENCY_MS = 20;
/** Khalid, his children, theirs: one round each, the last one four children pages at once. */
const LEVELS = 3;

/** Khalid's family three levels deep; `wrap` is `... @defer` or a plain `...` around each children level. */
const familyTree = (wrap: string) => `query FamilyTree($id: ID!) {
  user(id: $id) {
    id firstName lastName
    ${wrap} { children(first: 5) { nodes {
      id firstName relationshipWithParent
      ${wrap} { children(first: 5) { nodes { id firstName relationshipWithParent } } }
    } } }
  }
}`;
export const DEFERRED_TREE = familyTree('... @defer');
export const PLAIN_TREE = familyTree('...');
/** What Apollo Client sends: the gateway answers a deferred operation in parts, any other as one JSON body. */
const ACCEPT = 'multipart/mixed;deferSpec=20220824, application/json';

type Json = Record<string, unknown>;
interface Part {
  data?: Json | null;
  errors?: unknown[];
  incremental?: { data?: Json; path: (string | number)[]; errors?: unknown[] }[];
  hasNext?: boolean;
}

/**
 * One answer: when its first part, its last part (`hasNext: false`) and its end arrived, in ms from just before the
 * request; its parts and its nCore calls.
 */
interface Answer {
  firstMs: number;
  lastMs: number;
  wholeMs: number;
  parts: Part[];
  calls: number;
}

export interface DeferRow {
  query: 'with @defer' | 'without @defer';
  operations: number;
  /** Parts per answer, fewest and most. */
  parts: [number, number];
  /** nCore calls per operation, fewest and most. */
  calls: [number, number];
  first: { p50: number; p95: number };
  whole: { p50: number; p95: number };
  /** Median time from the last part's bytes to the body's end (0 for one JSON body). */
  lastToEndMs: number;
}

export interface DeferFigures {
  mode: string;
  iterations: number;
  warmup: number;
  rows: [DeferRow, DeferRow];
  /** Wrong answers (errors, different data or calls, a deferred answer in one part); any one fails the run. */
  problems: string[];
}

/**
 * The complete parts of a multipart/mixed body so far, as Yoga writes them: `\r\n---` before each part, then
 * its headers, a blank line and `Content-Length` bytes of JSON. A part counts once all its bytes are in.
 */
function completeParts(text: string): Part[] {
  const parts: Part[] = [];
  for (const piece of text.split('\r\n---').slice(1)) {
    const headerEnd = piece.indexOf('\r\n\r\n');
    if (headerEnd < 0) break;
    const length = Number(/content-length: *(\d+)/i.exec(piece.slice(0, headerEnd))?.[1] ?? Number.NaN);
    if (!Number.isFinite(length)) throw new Error(`a part without Content-Length: ${piece.slice(0, 200)}`);
    const body = Buffer.from(piece.slice(headerEnd + 4));
    if (body.byteLength < length) break;
    parts.push(JSON.parse(body.subarray(0, length).toString()) as Part);
  }
  return parts;
}

/** Posts `query` and reads the answer as it arrives. */
async function ask(url: string, dispatcher: Agent, sim: Simulator, query: string): Promise<Answer> {
  sim.clearRequests();
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    dispatcher,
    headers: { 'content-type': 'application/json', accept: ACCEPT },
    body: JSON.stringify({ query, variables: { id: DEMO_ROOT_ID } }),
  });
  const multipart = (response.headers.get('content-type') ?? '').includes('multipart/mixed');
  const decoder = new TextDecoder();
  let text = '';
  let firstMs = Number.NaN;
  let lastMs = Number.NaN;
  if (response.body) {
    for await (const chunk of response.body) {
      text += decoder.decode(chunk, { stream: true });
      if (!multipart || !Number.isNaN(lastMs)) continue;
      const parts = completeParts(text);
      if (Number.isNaN(firstMs) && parts.length > 0) firstMs = performance.now() - started;
      if (parts.at(-1)?.hasNext === false) lastMs = performance.now() - started;
    }
  }
  text += decoder.decode();
  const wholeMs = performance.now() - started;
  if (response.status !== 200) throw new Error(`the gateway answered ${response.status}: ${text.slice(0, 300)}`);
  // One JSON body: a client can use none of it before it ends, so its first part is the whole answer.
  const parts = multipart ? completeParts(text) : [JSON.parse(text) as Part];
  return multipart
    ? { firstMs, lastMs, wholeMs, parts, calls: sim.requests.length }
    : { firstMs: wholeMs, lastMs: wholeMs, wholeMs, parts, calls: sim.requests.length };
}

/** The data the parts add up to, as a client merges them: each deferred fragment's fields at its path. */
function merged(parts: Part[]): unknown {
  const data = structuredClone(parts[0]?.data ?? null);
  for (const { path, data: fields } of parts.flatMap((p) => p.incremental ?? [])) {
    const target = path.reduce<unknown>((v, key) => (v as Record<string | number, unknown>)?.[key], data);
    if (target && fields) Object.assign(target, fields);
  }
  return data;
}

const errorsOf = (parts: Part[]) =>
  parts.flatMap((p) => [...(p.errors ?? []), ...(p.incremental ?? []).flatMap((i) => i.errors ?? [])]);

/** What is wrong with a deferred answer and a plain one of the same turn, if anything. */
function check(deferred: Answer, plain: Answer): string[] {
  const wrong: string[] = [];
  if (errorsOf(plain.parts).length || errorsOf(deferred.parts).length)
    wrong.push(`errors: ${JSON.stringify([...errorsOf(plain.parts), ...errorsOf(deferred.parts)]).slice(0, 300)}`);
  const user = (plain.parts[0]?.data as { user?: { children?: { nodes?: unknown[] } } } | undefined)?.user;
  if (!user?.children?.nodes?.length) wrong.push('the plain answer has no children');
  if (deferred.parts.length < 2) wrong.push(`the deferred answer came in ${deferred.parts.length} part(s)`);
  const first = (deferred.parts[0]?.data as { user?: Json } | undefined)?.user;
  if (!first || 'children' in first) wrong.push('the first part is not the user without its children');
  if (deferred.parts.at(-1)?.hasNext !== false) wrong.push('the last part does not say hasNext: false');
  if (!isDeepStrictEqual(merged(deferred.parts), plain.parts[0]?.data))
    wrong.push('the deferred parts add up to other data than the plain answer');
  if (deferred.calls !== plain.calls)
    wrong.push(`nCore calls differ: ${deferred.calls} with @defer, ${plain.calls} without`);
  return wrong;
}

function row(query: DeferRow['query'], answers: Answer[]): DeferRow {
  const span = (values: number[]): [number, number] => [Math.min(...values), Math.max(...values)];
  const firsts = answers.map((a) => a.firstMs);
  const wholes = answers.map((a) => a.wholeMs);
  return {
    query,
    operations: answers.length,
    parts: span(answers.map((a) => a.parts.length)),
    calls: span(answers.map((a) => a.calls)),
    first: { p50: median(firsts), p95: percentile(firsts, 95) },
    whole: { p50: median(wholes), p95: percentile(wholes, 95) },
    lastToEndMs: median(answers.map((a) => a.wholeMs - a.lastMs)),
  };
}

/**
 * Starts the simulator (the demo seed, every call 20 ms) in this process and the gateway as production runs it
 * in a process of its own, both on 127.0.0.1, and times the two queries in turns, the order alternating.
 */
export async function measureDefer(mode: DeferMode): Promise<DeferFigures> {
  const iterations = Math.min(MAX_ITERATIONS, Math.max(1, Math.floor(mode.iterations)));
  const sim = await createSimulator({ seed: 'demo', latencyMs: DEFER_LATENCY_MS, requestLogLimit: 1000 });
  const dispatcher = new Agent({ connections: 1 });
  const problems = new Set<string>();
  const deferred: Answer[] = [];
  const plain: Answer[] = [];
  try {
    // The cross-request cache off: every operation makes its calls, as the first read of a tree does.
    const gateway = await startGateway(
      { url: sim.url, apiKey: sim.apiKey, ids: [DEMO_ROOT_ID], pid: process.pid, stop: () => sim.close() },
      { CACHE_TTL_MS: '0' },
    );
    try {
      const send = (query: string) => ask(gateway.url, dispatcher, sim, query);
      for (let turn = 0; turn < mode.warmup + iterations; turn++) {
        let d: Answer;
        let p: Answer;
        if (turn % 2 === 0) {
          d = await send(DEFERRED_TREE);
          p = await send(PLAIN_TREE);
        } else {
          p = await send(PLAIN_TREE);
          d = await send(DEFERRED_TREE);
        }
        for (const wrong of check(d, p)) problems.add(wrong);
        if (turn < mode.warmup) continue;
        deferred.push(d);
        plain.push(p);
      }
    } finally {
      await gateway.stop();
    }
  } finally {
    await dispatcher.close();
    await sim.close();
  }
  return {
    mode: mode.name,
    iterations,
    warmup: mode.warmup,
    rows: [row('with @defer', deferred), row('without @defer', plain)],
    problems: [...problems],
  };
}

const signed = (ms: number) => `${ms >= 0 ? '+' : ''}${fixed(ms, 1)}`;
const range = ([low, high]: [number, number]) => (low === high ? String(low) : `${low} to ${high}`);

/** The section for RESULTS.md. */
export function deferSection(f: DeferFigures, machine: string, command: string): string {
  const [d, p] = f.rows;
  const floor = (rounds: number) => `${rounds} x ${DEFER_LATENCY_MS} = ${rounds * DEFER_LATENCY_MS} ms`;
  return `
## @defer: time to the first part

Command: \`${command}\` (**${f.mode}** mode, ${f.iterations} operations of each query after ${f.warmup} untimed turn(s)),
${new Date().toISOString().slice(0, 10)}. Machine: ${machine}. Other work on the machine moves absolute figures; the two
queries take turns, so that it falls on both alike.

Setup: the simulator (the demo seed, \`latencyMs: ${DEFER_LATENCY_MS}\` on every call) in the bench process; the gateway as
production runs it (compiled, as \`npm start\` runs it: NODE_ENV=production, WORKERS=1, info logs on and drained) in a
process of its own, with \`CACHE_TTL_MS=0\` so that every operation makes its nCore calls; both on 127.0.0.1. The query
is the demo's Khalid, his children and theirs (${LEVELS} levels, so ${LEVELS} rounds of nCore calls), with \`@defer\` on each
children level:

\`\`\`graphql
${DEFERRED_TREE}
\`\`\`

and the same without it (\`...\` for \`... @defer\`). The two take turns, the order alternating, over one keep-alive
connection, both sent with Accept \`${ACCEPT}\`: the gateway answers the deferred query in multipart/mixed
parts, the other as one JSON body. Each answer is read as a stream with undici's fetch, timed from just before the
request: "first part" is when all the first part's bytes (its \`Content-Length\`) are in, "whole answer" when the body
ends; a JSON body's first part is its whole. Every turn checks that neither answer has errors, that the first deferred
part is the user without children, and that the parts add up to the plain answer's data for the same nCore calls (read
from the simulator's log).

| query | operations | parts per answer | nCore calls per operation | first part p50 ms | first part p95 ms | whole answer p50 ms | whole answer p95 ms |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${f.rows.map((r) => `| ${r.query} | ${r.operations} | ${range(r.parts)} | ${range(r.calls)} | ${fixed(r.first.p50, 1)} | ${fixed(r.first.p95, 1)} | ${fixed(r.whole.p50, 1)} | ${fixed(r.whole.p95, 1)} |`).join('\n')}

Floors: the first part needs one round (${floor(1)}), the whole answer ${LEVELS} (${floor(LEVELS)}). With \`@defer\` the
first part arrived in ${fixed((d.first.p50 / p.whole.p50) * 100, 0)} % of the plain answer's time (p50 ${fixed(d.first.p50, 1)} against ${fixed(p.whole.p50, 1)} ms); the
whole deferred answer, against the plain one: ${signed(d.whole.p50 - p.whole.p50)} ms at p50, ${signed(d.whole.p95 - p.whole.p95)} ms at p95; of it, the
deferred body ended ${fixed(d.lastToEndMs, 1)} ms (median) after its last part (\`hasNext: false\`) had arrived.${f.problems.length ? `\n\n**Wrong answers:** ${f.problems.join('; ')}.` : ''}
`;
}

const START =
  '<!-- bench:defer:start (written by npm run bench and tsx bench/defer.ts; edit outside these markers) -->';
const END = '<!-- bench:defer:end -->';

/** Writes the section between its own markers in RESULTS.md, or appends it. */
export function writeDeferSection(section: string): void {
  writeBetween(START, END, section);
}

// `tsx bench/defer.ts [--smoke] [--iterations N]`: this section alone (written to RESULTS.md in full mode).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: { smoke: { type: 'boolean', default: false }, iterations: { type: 'string' } },
  });
  const base = values.smoke ? DEFER_SMOKE : DEFER_FULL;
  const iterations = values.iterations === undefined ? base.iterations : Number(values.iterations);
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_ITERATIONS) {
    console.error(`--iterations must be a whole number from 1 to ${MAX_ITERATIONS}`);
    process.exit(2);
  }
  const figures = await measureDefer({ ...base, iterations });
  const command = `tsx bench/defer.ts${values.smoke ? ' --smoke' : ''}${values.iterations === undefined ? '' : ` --iterations ${iterations}`}`;
  const section = deferSection(figures, machineLine(), command);
  console.log(section);
  if (!values.smoke) writeDeferSection(section);
  for (const wrong of figures.problems) console.error(`FAILED: @defer: ${wrong}`);
  process.exit(figures.problems.length ? 1 : 0);
}
