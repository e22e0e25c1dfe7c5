import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { Defer20220824Handler } from '@apollo/client/incremental';
import { useDeferStream } from '@graphql-yoga/plugin-defer-stream';
import { parse } from 'graphql';
import { createSchema, createYoga } from 'graphql-yoga';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { useDeadline } from '../../src/plugins/deadline.ts';
import { maskAndLogBugs, useScrubbedErrors } from '../../src/plugins/scrubErrors.ts';
import { DEMO_ROOT_ID } from '../../src/simulator/index.ts';
import { type Stack, useStack } from '../support/stack.ts';

type Json = Record<string, unknown>;
type GqlError = { message: string; path?: (string | number)[]; extensions?: Json };
type Increment = { data?: Json; items?: unknown[]; path: (string | number)[]; errors?: GqlError[] };
type Part = { data?: Json | null; errors?: GqlError[]; incremental?: Increment[]; hasNext?: boolean };

/** Khalid's family three generations down; `level` wraps each generation of children in a fragment of its own. */
const tree = (level: string) => `query Tree {
  user(id: "${DEMO_ROOT_ID}") {
    id firstName
    ${level} { children { nodes { id firstName
      ${level} { children { nodes { id firstName children { nodes { id firstName } } } } }
    } } }
  }
}`;
const DEFERRED = tree('... @defer');
const PLAIN = tree('...');
const STREAMED = `{ user(id: "${DEMO_ROOT_ID}") { id firstName children { nodes @stream(initialCount: 1) {
  id firstName children { nodes @stream(initialCount: 1) { id firstName } } } } } }`;
const UNSTREAMED = STREAMED.replaceAll(' @stream(initialCount: 1)', '');

/** The parts of a `multipart/mixed` body as the gateway writes them, read from the raw text. */
function multipartParts(text: string): Part[] {
  expect(text.startsWith('\r\n---')).toBe(true);
  expect(text.endsWith('\r\n-----\r\n')).toBe(true);
  return text
    .split('\r\n---')
    .filter((chunk) => chunk.includes('\r\n\r\n'))
    .map((chunk) => {
      const [head, body] = chunk.split('\r\n\r\n') as [string, string];
      expect(head).toContain('Content-Type: application/json');
      return JSON.parse(body) as Part;
    });
}

/** The `next` events of an SSE body, which must end with `complete`. */
function ssePayloads(text: string): Part[] {
  const events = text
    .split('\n\n')
    .filter((block) => block.startsWith('event:'))
    .map((block) => {
      const [event, data] = block.split('\n') as [string, string];
      return { event: event.slice('event: '.length), data: data.slice('data:'.length).trim() };
    });
  expect(events.at(-1)).toEqual({ event: 'complete', data: '' });
  return events.slice(0, -1).map(({ event, data }) => {
    expect(event).toBe('next');
    return JSON.parse(data) as Part;
  });
}

/** The data the parts add up to, as a client merges them: a deferred fragment's fields at its path, streamed items at theirs. */
function merged(parts: Part[]): Json {
  const data = structuredClone(parts[0]!.data) as Json;
  for (const { path, data: fields, items } of parts.flatMap((part) => part.incremental ?? [])) {
    if (items) {
      const list = at(data, path.slice(0, -1)) as unknown[];
      list.splice(Number(path.at(-1)), items.length, ...items);
    } else if (fields) {
      deepAssign(at(data, path) as Json, fields);
    }
  }
  return data;
}

const at = (data: Json, path: (string | number)[]): unknown =>
  path.reduce<unknown>((value, key) => (value as Record<string | number, unknown>)[key], data);

function deepAssign(target: Json, source: Json): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (existing && value && typeof existing === 'object' && typeof value === 'object') {
      deepAssign(existing as Json, value as Json);
    } else target[key] = value;
  }
}

async function ask(stack: Stack, query: string, accept: string) {
  stack.sim.clearRequests();
  const response = await stack.post(JSON.stringify({ query }), { accept });
  const text = await response.text();
  return { response, text, calls: { all: stack.calls(), children: stack.calls('listChildren') } };
}

const errorsOf = (parts: Part[]) =>
  parts.flatMap((part) => [...(part.errors ?? []), ...(part.incremental ?? []).flatMap((i) => i.errors ?? [])]);

describe('@defer and @stream over multipart/mixed and SSE', () => {
  const stack = useStack();

  it('answers a deferred family tree in parts: the user first, its descendants after, for the calls the same tree costs without @defer', async () => {
    const plain = await ask(stack, PLAIN, 'application/json');
    const whole = JSON.parse(plain.text) as Part;
    expect(whole.errors).toBeUndefined();
    const deferred = await ask(stack, DEFERRED, 'multipart/mixed');
    expect(deferred.response.headers.get('content-type')).toContain('multipart/mixed');
    const parts = multipartParts(deferred.text);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    expect(parts[0]).toEqual({ data: { user: { id: DEMO_ROOT_ID, firstName: 'Khalid' } }, hasNext: true });
    const later = parts.slice(1);
    expect(later.every((part) => (part.incremental?.length ?? 0) > 0 && part.data === undefined)).toBe(true);
    expect(later[0]!.incremental![0]!.path).toEqual(['user']);
    expect(later.flatMap((p) => p.incremental!).some((i) => i.path.join('.').startsWith('user.children.nodes.'))).toBe(
      true,
    );
    expect(later.slice(0, -1).every((part) => part.hasNext === true)).toBe(true);
    expect(parts.at(-1)!.hasNext).toBe(false);
    expect(errorsOf(parts)).toEqual([]);
    expect(merged(parts)).toEqual(whole.data);
    expect(deferred.calls).toEqual(plain.calls);
  });

  it('answers the same parts over SSE', async () => {
    const multipart = multipartParts((await ask(stack, DEFERRED, 'multipart/mixed')).text);
    const sse = await ask(stack, DEFERRED, 'text/event-stream');
    expect(sse.response.headers.get('content-type')).toContain('text/event-stream');
    const parts = ssePayloads(sse.text);
    expect(parts[0]).toEqual(multipart[0]);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    expect(parts.at(-1)!.hasNext).toBe(false);
    expect(merged(parts)).toEqual(merged(multipart));
  });

  it('streams children.nodes one by one after the first, for the calls the same list costs without @stream', async () => {
    const plain = await ask(stack, UNSTREAMED, 'application/json');
    const streamed = await ask(stack, STREAMED, 'multipart/mixed');
    const parts = multipartParts(streamed.text);
    const first = parts[0]!.data as { user: { children: { nodes: unknown[] } } };
    expect(first.user.children.nodes).toHaveLength(1);
    const items = parts.flatMap((part) => part.incremental ?? []).filter((i) => i.items);
    expect(items.length).toBeGreaterThan(1);
    expect(items.some((i) => i.path.join('.') === 'user.children.nodes.1')).toBe(true);
    expect(errorsOf(parts)).toEqual([]);
    expect(merged(parts)).toEqual((JSON.parse(plain.text) as Part).data);
    expect(streamed.calls).toEqual(plain.calls);
  });

  it('counts deferred selections toward the depth, cost and directive limits before any call', async () => {
    const generations = (n: number, wrap = '...'): string =>
      n === 0 ? 'id' : `id ${wrap} { children { nodes { ${generations(n - 1, wrap)} } } }`;
    const refused = async (query: string, limit: string) => {
      const answer = await ask(stack, query, 'multipart/mixed');
      const parts = multipartParts(answer.text);
      expect(parts).toHaveLength(1);
      expect(parts[0]).not.toHaveProperty('data');
      expect(parts[0]!.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit });
      expect(answer.calls.all).toBe(0);
    };
    // Eight generations are 18 fields deep, over the 16 allowed, deferred whole or at every level.
    await refused(`{ user(id: "${DEMO_ROOT_ID}") { id ... @defer { ${generations(8)} } } }`, 'maxDepth');
    await refused(`{ user(id: "${DEMO_ROOT_ID}") { ${generations(8, '... @defer')} } }`, 'maxDepth');
    const costly = (first: number) =>
      `{ user(id: "${DEMO_ROOT_ID}") { id ... @defer { children(first: ${first}) { nodes { id ... @defer { children(first: ${first}) { nodes { id children(first: ${first}) { nodes { id } } } } } } } } } }`;
    await refused(costly(100), 'maxCost');
    const directives = Array.from({ length: 21 }, (_, i) => `... @defer(label: "d${i}") { id }`).join(' ');
    await refused(`{ user(id: "${DEMO_ROOT_ID}") { ${directives} } }`, 'maxDirectives');
    // Seven generations (16 fields deep) deferred at every one, with @stream too: 14 directives, within every limit.
    const allowed = `{ user(id: "${DEMO_ROOT_ID}") { ${generations(7, '... @defer').replaceAll('nodes {', 'nodes @stream(initialCount: 1) {')} } }`;
    const answer = await ask(stack, allowed, 'multipart/mixed');
    const parts = multipartParts(answer.text);
    expect(errorsOf(parts)).toEqual([]);
    expect(parts.at(-1)!.hasNext).toBe(false);
    expect(answer.calls.all).toBeGreaterThan(1);
    expect(errorsOf(multipartParts((await ask(stack, costly(10), 'multipart/mixed')).text))).toEqual([]);
  });
});

/** The gateway's log lines, as JSON. */
function logged() {
  const lines: Json[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, operations: () => lines.filter((line) => line['msg'] === 'graphql operation') };
}

describe('a deferred operation keeps its call budget', () => {
  const log = logged();
  const stack = useStack({ env: { UPSTREAM_CALL_BUDGET: '3' }, deps: { logger: log.logger } });

  it('refuses a later part with one QUERY_TOO_COMPLEX once the budget is spent, and makes no call past it', async () => {
    const { text, calls } = await ask(stack, DEFERRED, 'multipart/mixed');
    const parts = multipartParts(text);
    // The user (1 call) and its children (1) fit; its four children's pages (4) do not.
    expect(parts[0]).toEqual({ data: { user: { id: DEMO_ROOT_ID, firstName: 'Khalid' } }, hasNext: true });
    expect(parts.length).toBeGreaterThanOrEqual(3);
    expect(parts.at(-1)!.hasNext).toBe(false);
    const errors = errorsOf(parts);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      message: 'This operation needs more than 3 nCore calls, the limit per operation.',
      extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'upstreamCallBudget', max: 3 },
    });
    expect(errorsOf(parts.slice(0, -1))).toEqual([]);
    expect(calls.all).toBe(3);
    // The operation's one log line is written at its end, and covers its later parts.
    expect(log.operations().at(-1)).toMatchObject({ upstreamCalls: 3, errorCodes: ['QUERY_TOO_COMPLEX'] });
  });

  it('refuses an operation whose first part runs out with the one error, and nothing after it', async () => {
    // Six calls before the first part (the user, its children, their four pages); the deferred name would be one more.
    const eager = `{ user(id: "${DEMO_ROOT_ID}") { id ... @defer { firstName } children { nodes { id children { nodes { id } } } } } }`;
    const parts = multipartParts((await ask(stack, eager, 'multipart/mixed')).text);
    expect(parts).toHaveLength(1);
    expect(parts[0]!.data).toBeNull();
    expect(parts[0]!.hasNext).toBe(false);
    expect(parts[0]!.errors).toHaveLength(1);
    expect(parts[0]!.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
    expect(stack.calls()).toBe(3);
  });
});

describe('a deferred operation keeps its deadline', () => {
  const log = logged();
  const stack = useStack({ env: { OPERATION_TIMEOUT_MS: '400' }, deps: { logger: log.logger } });

  it('times out a slow deferred call at the deadline, in a later part, and starts no call after it', async () => {
    stack.sim.setFaults({ route: 'listChildren', kind: 'latency', ms: 3000 });
    try {
      const started = Date.now();
      const { text, calls } = await ask(stack, DEFERRED, 'multipart/mixed');
      const elapsed = Date.now() - started;
      const parts = multipartParts(text);
      expect(parts[0]).toEqual({ data: { user: { id: DEMO_ROOT_ID, firstName: 'Khalid' } }, hasNext: true });
      expect(parts.at(-1)!.hasNext).toBe(false);
      const errors = errorsOf(parts);
      expect(errors.map((e) => e.extensions?.['code'])).toEqual(['UPSTREAM_TIMEOUT']);
      expect(errors[0]!.path).toEqual(['user', 'children']);
      expect(elapsed).toBeGreaterThanOrEqual(390);
      expect(elapsed).toBeLessThan(1500);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(stack.calls()).toBe(calls.all);
      expect(calls).toEqual({ all: 2, children: 1 });
      const line = log.operations().at(-1)!;
      expect(line).toMatchObject({ upstreamCalls: 2, errorCodes: ['UPSTREAM_TIMEOUT'] });
      expect(line['durationMs']).toBeGreaterThanOrEqual(390);
      const metrics = await (await stack.gateway.fetch('http://gateway.test/metrics')).text();
      const sum = /graphql_envelop_request_duration_sum\{operationType="query"\} ([\d.]+)/.exec(metrics)?.[1];
      expect(Number(sum)).toBeGreaterThanOrEqual(0.39);
      expect(metrics).toMatch(/graphql_envelop_error_result\{operationType="query",phase="execute"\} 1\n/);
    } finally {
      stack.sim.clearFaults();
    }
  });
});

describe("the deadline's signal with incremental delivery", () => {
  /** A Yoga with the deadline alone: `slow` waits for the operation's signal, or gives up after `waitMs`. */
  const yoga = (timeoutMs: number, waitMs: number) => {
    const signals: AbortSignal[] = [];
    const server = createYoga<object, { deadline?: { signal: AbortSignal } }>({
      schema: createSchema<{ deadline?: { signal: AbortSignal } }>({
        typeDefs: 'type Query { fast: String slow: String }',
        resolvers: {
          Query: {
            fast: () => 'fast',
            slow: (_, __, { deadline }) =>
              new Promise((resolve) => {
                const signal = deadline!.signal;
                signals.push(signal);
                const timer = setTimeout(() => resolve('not aborted'), waitMs);
                signal.addEventListener('abort', () => {
                  clearTimeout(timer);
                  resolve('aborted');
                });
              }),
          },
        },
      }),
      plugins: [useDeferStream(), useDeadline(timeoutMs)],
    });
    const post = () =>
      server.fetch('http://yoga.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'multipart/mixed' },
        body: JSON.stringify({ query: '{ fast ... @defer { slow } }' }),
      });
    return { post, signals };
  };
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('holds the signal until the last part, so a deferred field still sees the deadline pass', async () => {
    const { post } = yoga(150, 2000);
    const started = Date.now();
    const parts = multipartParts(await (await post()).text());
    expect(parts[1]!.incremental![0]!.data).toEqual({ slow: 'aborted' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('releases it when the last part is sent, or when the client goes away', async () => {
    const done = yoga(150, 20);
    multipartParts(await (await done.post()).text());
    const gone = yoga(150, 400);
    const response = await gone.post();
    const reader = response.body!.getReader();
    await reader.read();
    await expect.poll(() => gone.signals.length).toBe(1);
    await reader.cancel();
    await sleep(300);
    // Released, the shared timer is cleared: the signal never fires, though the deadline has passed.
    expect(done.signals[0]!.aborted).toBe(false);
    expect(gone.signals[0]!.aborted).toBe(false);
  });
});

describe('Apollo Client 4 with the Defer20220824Handler', () => {
  const stack = useStack();

  it('receives the user first and the deferred descendants after, over a real socket', async () => {
    const client = new ApolloClient({
      link: new HttpLink({ uri: await stack.listen() }),
      cache: new InMemoryCache(),
      incrementalHandler: new Defer20220824Handler(),
    });
    type Tree = { user: { firstName: string; children?: { nodes: { firstName: string }[] } } };
    const emissions: { dataState: string; data: unknown }[] = [];
    const observable = client.watchQuery<Tree>({ query: parse(DEFERRED) });
    const final = await new Promise<Tree>((resolve, reject) => {
      const subscription = observable.subscribe({
        next(result) {
          emissions.push({ dataState: result.dataState, data: result.data });
          if (result.dataState === 'complete') {
            subscription.unsubscribe();
            resolve(result.data as Tree);
          }
        },
        error: reject,
      });
    });
    const whole = JSON.parse((await ask(stack, PLAIN, 'application/json')).text) as Part;
    expect(final).toMatchObject(whole.data as Json);
    expect(final.user.children?.nodes.map((n) => n.firstName)).toHaveLength(4);
    const streaming = emissions.filter((e) => e.dataState === 'streaming');
    expect(streaming.length).toBeGreaterThan(0);
    expect(streaming[0]!.data).toEqual({ user: { __typename: 'User', id: DEMO_ROOT_ID, firstName: 'Khalid' } });
    client.stop();
  });
});

describe('errors in later parts', () => {
  it('are masked and logged as a bug anywhere else is, with a code, and without the values that caused them', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const server = createYoga({
      schema: createSchema({
        typeDefs: 'type Query { fine: String broken: String }',
        resolvers: {
          Query: {
            fine: () => 'fine',
            broken: async () => {
              throw new Error('secret text of a bug: leila@example.com');
            },
          },
        },
      }),
      maskedErrors: { maskError: maskAndLogBugs(logger) },
      plugins: [useDeferStream(), useScrubbedErrors(maskAndLogBugs(logger))],
    });
    const response = await server.fetch('http://yoga.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'multipart/mixed' },
      body: JSON.stringify({ query: '{ fine ... @defer { broken } }' }),
    });
    const text = await response.text();
    expect(text).not.toContain('secret');
    const parts = multipartParts(text);
    expect(parts[1]!.incremental![0]!.errors![0]).toMatchObject({
      message: 'Unexpected error.',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(lines.join('\n')).toContain('unexpected error');
    expect(lines.join('\n')).not.toContain('leila');
  });
});
