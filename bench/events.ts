/**
 * Live events: webhook-to-subscriber latency with many subscribers over two gateway instances
 * sharing a Redis, webhook events accepted per second, and the memory idle subscriptions cost. Run by
 * `npm run bench` (and cheaply by `npm run bench:smoke`); also on its own: `tsx bench/events.ts [--smoke]`.
 */

import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { WebSocket } from 'ws';
import { type RedisProcess, startRedis } from '../test/support/redis.ts';
import { type GraphqlServer, rssMb, startGateway, startUpstream } from './processes.ts';
import { writeBetween } from './report.ts';
import { fixed, percentile, whole } from './stats.ts';

/** How big a run is. */
export interface EventsMode {
  readonly name: 'full' | 'smoke';
  readonly subscribers: number;
  /** Events timed for latency, posted one after another, alternating instances. */
  readonly events: number;
  readonly loadSeconds: number;
  readonly loadConcurrency: number;
}
export const EVENTS_FULL: EventsMode = {
  name: 'full',
  subscribers: 1000,
  events: 60,
  loadSeconds: 10,
  loadConcurrency: 32,
};
export const EVENTS_SMOKE: EventsMode = {
  name: 'smoke',
  subscribers: 40,
  events: 5,
  loadSeconds: 1,
  loadConcurrency: 4,
};

const USERNAME = 'bench';
const PASSWORD = 'bench-webhook-password-0123456789';
const AUTHORIZATION = `Basic ${Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64')}`;
const PER_CONNECTION = 20;
const P99_GOAL_MS = 50;

export interface EventFigures {
  mode: string;
  subscribers: number;
  deliveries: number;
  expectedDeliveries: number;
  p50: number;
  p99: number;
  max: number;
  acceptedPerSecond: number;
  refused: number;
  rss: { idle: number[]; subscribed: number[] };
}

const webhook = (gateway: GraphqlServer) => new URL('/webhooks/ncore', gateway.url).href;

async function post(url: string, body: unknown): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: AUTHORIZATION },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
}

async function openSubscriptions(gateway: GraphqlServer): Promise<number> {
  const text = await (await fetch(new URL('/metrics', gateway.url))).text();
  return Number(/^gateway_subscriptions_open (\d+)/m.exec(text)?.[1] ?? 0);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The event token in a `next` message's text: `userEvents { id }` answers the event's token as its id. */
const EVENT_ID = /"userEvents":\{"id":"([^"]+)"/;

/**
 * One WebSocket speaking graphql-transport-ws with `count` subscriptions, calling `onEvent` with each event id the
 * moment its message arrives. A thousand subscribers share this process, so the reader does the least a
 * subscriber can: a regex over the message's text. With a graphql-ws client per socket, each message also went
 * through JSON.parse and the client's dispatch, and the thousandth message of an event waited for the 999 before
 * it (the bench process spent 11 ms of CPU per event against 7 ms with this reader).
 */
function subscribeRaw(url: string, query: string, count: number, onEvent: (id: string) => void): WebSocket {
  const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
  socket.on('error', () => {});
  socket.on('message', (data: Buffer) => {
    const text = data.toString('utf8');
    const id = EVENT_ID.exec(text)?.[1];
    if (id !== undefined) return onEvent(id);
    if (text.includes('"connection_ack"'))
      for (let i = 0; i < count; i++)
        socket.send(JSON.stringify({ id: String(i), type: 'subscribe', payload: { query } }));
  });
  return socket;
}

/** Runs the section; every process it starts is stopped before it returns. */
export async function measureEvents(mode: EventsMode): Promise<EventFigures> {
  const upstream = await startUpstream({ roots: 2, fanOut: 3, depth: 2, seed: 7 });
  let redis: RedisProcess | undefined;
  const gateways: GraphqlServer[] = [];
  const sockets: WebSocket[] = [];
  try {
    redis = await startRedis();
    const env = {
      REDIS_URL: redis.url,
      NCORE_WEBHOOK_USERNAME: USERNAME,
      NCORE_WEBHOOK_PASSWORD: PASSWORD,
      LOG_LEVEL: 'warn',
      MAX_SUBSCRIPTIONS_PER_CONNECTION: String(PER_CONNECTION),
    };
    gateways.push(...(await Promise.all([startGateway(upstream, env), startGateway(upstream, env)])));
    const userId = upstream.ids[0]!;
    await sleep(1000);
    const idle = gateways.map((g) => rssMb(g.pid));

    // Subscribers: half on each instance, PER_CONNECTION per WebSocket.
    const started = new Map<string, number>();
    const samples: number[] = [];
    const onEvent = (id: string) => {
      const began = started.get(id);
      if (began !== undefined) samples.push(performance.now() - began);
    };
    for (let i = 0; i < mode.subscribers / PER_CONNECTION; i++) {
      const gateway = gateways[i % 2]!;
      sockets.push(subscribeRaw(gateway.url, 'subscription { userEvents { id } }', PER_CONNECTION, onEvent));
    }
    for (const gateway of gateways) {
      for (let i = 0; i < 600 && (await openSubscriptions(gateway)) < mode.subscribers / 2; i++) await sleep(100);
    }
    await sleep(1000);
    const subscribed = gateways.map((g) => rssMb(g.pid));

    // Latency: one event at a time, so each figure is one webhook's fan-out to every subscriber.
    for (let i = 0; i < mode.events; i++) {
      const token = randomUUID();
      started.set(token, performance.now());
      await post(webhook(gateways[i % 2]!), { event: 'USER_CREATED', event_token: token, user_id: userId });
      const target = (i + 1) * mode.subscribers;
      for (let w = 0; w < 200 && samples.length < target; w++) await sleep(5);
      await sleep(20);
    }
    const deliveries = samples.length;
    for (const socket of sockets) socket.close();
    sockets.length = 0;

    // Throughput: distinct events from `loadConcurrency` posters, alternating instances, for loadSeconds.
    let accepted = 0;
    let refused = 0;
    const until = performance.now() + mode.loadSeconds * 1000;
    await Promise.all(
      Array.from({ length: mode.loadConcurrency }, async (_, k) => {
        for (let n = k; performance.now() < until; n++) {
          const status = await post(webhook(gateways[n % 2]!), {
            event: 'USER_STATUS_CHANGE',
            event_token: randomUUID(),
            user_id: userId,
            old_status: 'ACTIVE',
            new_status: 'SUSPENDED',
          });
          if (status === 202) accepted++;
          else refused++;
        }
      }),
    );

    return {
      mode: mode.name,
      subscribers: mode.subscribers,
      deliveries,
      expectedDeliveries: mode.events * mode.subscribers,
      p50: percentile(samples, 50),
      p99: percentile(samples, 99),
      max: percentile(samples, 100),
      acceptedPerSecond: accepted / mode.loadSeconds,
      refused,
      rss: { idle, subscribed },
    };
  } finally {
    for (const socket of sockets) socket.terminate();
    await Promise.all(gateways.map((g) => g.stop()));
    await redis?.stop();
    await upstream.stop();
  }
}

/** The section for RESULTS.md. */
export function eventsSection(f: EventFigures, machine: string, command: string): string {
  const perSub = f.rss.subscribed.map((s, i) => ((s - f.rss.idle[i]!) * 1024) / (f.subscribers / 2));
  return `
## Live events

Command: \`${command}\` (**${f.mode}** mode), ${new Date().toISOString().slice(0, 10)}. Machine: ${machine}. The bench
process (subscribers and webhook poster), the simulator, Redis and both gateways share these cores with other work
on the machine: absolute figures move by a quarter or more between runs.

Setup: a redis-server of its own, two gateway processes as production runs them (compiled, as \`npm start\` runs it,
NODE_ENV=production, REDIS_URL set, info logs off), ${whole(f.subscribers)} subscribers over graphql-transport-ws, half on
each instance, ${PER_CONNECTION} per connection, each selecting \`userEvents { id }\` (no nCore call per delivery). All
subscribers live in the bench process; each message is timed on arrival by a bare graphql-transport-ws reader (a regex
over its text), so that the figure is the gateways' fan-out rather than one process parsing a thousand messages in turn.

| figure | value | goal |
| --- | ---: | --- |
| webhook-to-subscriber latency p50 | ${fixed(f.p50, 1)} ms | |
| webhook-to-subscriber latency p99 | ${fixed(f.p99, 1)} ms | < ${P99_GOAL_MS} ms: ${f.p99 < P99_GOAL_MS ? 'met' : '**not met**'} |
| latency max | ${fixed(f.max, 1)} ms | |
| deliveries received / expected | ${whole(f.deliveries)} / ${whole(f.expectedDeliveries)} | every one, once |
| webhook events accepted per second (two instances, no subscribers) | ${whole(f.acceptedPerSecond)} | |
| webhooks not accepted during the load | ${whole(f.refused)} | 0 |
| gateway RSS before subscribers (instance A, B) | ${f.rss.idle.map((m) => `${fixed(m, 1)} MB`).join(', ')} | |
| gateway RSS with ${whole(f.subscribers / 2)} idle subscriptions each | ${f.rss.subscribed.map((m) => `${fixed(m, 1)} MB`).join(', ')} | |
| RSS per idle subscription | ${perSub.map((k) => `${fixed(k, 1)} KB`).join(', ')} | |

Latency is measured in the bench process from just before the webhook POST to each subscriber's \`next\`; each of the
events is posted alone (alternating instances), so one figure is one webhook's fan-out through Redis to every subscriber.
Throughput: distinct USER_STATUS_CHANGE events from concurrent posters, each answered 202 after its token is claimed in
Redis and the event published.
`;
}

const START = '<!-- bench:events:start (written by npm run bench; edit outside these markers) -->';
const END = '<!-- bench:events:end -->';

/** Writes the section between its own markers in RESULTS.md. */
export function writeEventsSection(section: string): void {
  writeBetween(START, END, section);
}

/** The machine line every section prints. */
export function machineLine(): string {
  const cpus = os.cpus();
  return `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, ${os.type()} ${os.release()}`;
}

// `tsx bench/events.ts [--smoke]`: this section alone (written to RESULTS.md in full mode).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const smoke = process.argv.includes('--smoke');
  const figures = await measureEvents(smoke ? EVENTS_SMOKE : EVENTS_FULL);
  const section = eventsSection(figures, machineLine(), `tsx bench/events.ts${smoke ? ' --smoke' : ''}`);
  console.log(section);
  if (!smoke) writeEventsSection(section);
  process.exit(figures.deliveries === figures.expectedDeliveries && figures.refused === 0 ? 0 : 1);
}
