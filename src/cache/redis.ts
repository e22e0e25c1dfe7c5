import { randomUUID } from 'node:crypto';
import type { Redis, Result } from 'ioredis';
import type { Logger } from 'pino';
import { commandConnection, subscriberConnection } from '../redis/connection.ts';
import { afterThisTurn, type Channel, type ChannelHandlers, type SharedRead, type SharedTier } from './channel.ts';
import {
  EVERY_TENANT,
  type Invalidation,
  type ItemKey,
  readInvalidation,
  type Tenant,
  writeInvalidation,
} from './keys.ts';
import { EPOCH, FILL, FORGET, READ } from './scripts.ts';

const CHANNEL = 'ncore-gateway:cache';
const PREFIX = 'ncore-gateway:cache:';
const EPOCH_KEY = `${PREFIX}epoch`;
/** The generation's key outlives any entry; an instance starting after it expired begins a new one for everybody. */
const EPOCH_TTL_MS = 30 * 86_400_000;
/** The channel is pinged this often; one unanswered for PING_TIMEOUT_MS counts as lost. */
const HEARTBEAT_MS = 1_000;
const PING_TIMEOUT_MS = 2_000;
/** A channel that stopped answering is noticed by then at the latest (a ping due, then its timeout, and a margin). */
const NOTICED_MS = HEARTBEAT_MS + PING_TIMEOUT_MS + 500;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    cacheRead(numKeys: number, ...args: (string | number)[]): Result<(string | number | null)[], Context>;
    cacheFill(numKeys: number, ...args: (string | number)[]): Result<number, Context>;
    cacheForget(numKeys: number, ...args: (string | number)[]): Result<number, Context>;
    cacheEpoch(numKeys: number, ...args: (string | number)[]): Result<string, Context>;
  }
}

/**
 * Entries shared through Redis, and invalidations on one pub/sub channel (scripts.ts has the rules each command
 * keeps). Coherent only while this process is subscribed and its subscription answers pings; lost, it forgets
 * what it holds and reads through to nCore. Coming back, it starts a new generation of the shared entries for
 * every instance (a key of their names), unless this is its first time up and it never failed to write an
 * invalidation: whatever anyone wrote while Redis was away was never forgotten in Redis, so nothing from before
 * may be served again. Keys hold a generation, a tenant digest and user ids, never a name, an email or a key.
 */
export function redisChannel(
  url: string,
  logger: Logger,
  handlers: ChannelHandlers,
  timing: { readonly ttlMs: number; readonly keepMs: number },
): Channel {
  return new RedisChannel(url, logger, handlers, timing);
}

class RedisChannel implements Channel, SharedTier {
  readonly #origin = randomUUID();
  readonly #commands: Redis;
  readonly #subscriber: Redis;
  readonly #heartbeat: NodeJS.Timeout;
  #up = false;
  #session = 0;
  /** Up once before: coming back, a new generation. */
  #everUp = false;
  /** An invalidation that did not reach Redis: coming back, a new generation. */
  #missed = false;
  #resuming = false;
  #beating = false;
  #readsFailing = false;
  #closed = false;
  #epoch = '';

  constructor(
    url: string,
    private readonly logger: Logger,
    private readonly handlers: ChannelHandlers,
    private readonly timing: { readonly ttlMs: number; readonly keepMs: number },
  ) {
    this.#commands = commandConnection(url, logger, 'cache');
    for (const [name, lua] of Object.entries({
      cacheRead: READ,
      cacheFill: FILL,
      cacheForget: FORGET,
      cacheEpoch: EPOCH,
    }))
      this.#commands.defineCommand(name, { lua });
    this.#commands.on('ready', () => void this.#resume());
    this.#subscriber = subscriberConnection(url, logger, 'cache: invalidations');
    this.#subscriber.on('message', (channel: string, text: string) => this.#message(channel, text));
    this.#subscriber.on('close', () => this.#lose('the invalidation channel closed'));
    this.#subscriber.on('ready', () => void this.#resume());
    this.#heartbeat = setInterval(() => void this.#beat(), HEARTBEAT_MS).unref();
  }

  get coherent(): boolean {
    return this.#up;
  }

  get session(): number {
    return this.#session;
  }

  get shared(): SharedTier {
    return this;
  }

  settle(): Promise<void> {
    return afterThisTurn();
  }

  async read(tenant: Tenant, kind: ItemKey['kind'], keys: readonly ItemKey[]): Promise<SharedRead | undefined> {
    if (!this.#up || this.#readsFailing || this.#commands.status !== 'ready') return undefined;
    const epoch = this.#epoch;
    const name = (owner: Tenant, suffix: string) => `${PREFIX}${epoch}:${owner}:${suffix}`;
    // Users are forgotten in place; pages are judged against their tenant's (and every tenant's) last flush.
    const floors = kind === 'c' ? [name(tenant, 'm:c*'), name(EVERY_TENANT, 'm:c*')] : [];
    const entries = keys.map((key) => name(tenant, `${kind}:${key.id}`));
    const marks = keys.map((key) => name(EVERY_TENANT, `m:${kind}:${key.id}`));
    const args = [this.timing.ttlMs, floors.length, ...keys.map((key) => key.field)];
    try {
      const reply = await this.#commands.cacheRead(
        floors.length + 2 * keys.length,
        ...floors,
        ...entries,
        ...marks,
        ...args,
      );
      return {
        at: Number(reply[0]),
        epoch,
        values: reply.slice(1).map((value) => (typeof value === 'string' ? value : undefined)),
      };
    } catch {
      // A Redis that does not answer costs no more waiting until it answers a ping again.
      this.#readsFailing = true;
      return undefined;
    }
  }

  fill(tenant: Tenant, key: ItemKey, read: SharedRead, json: string): void {
    if (!this.#up || read.epoch !== this.#epoch || this.#commands.status !== 'ready') return;
    const name = (owner: Tenant, suffix: string) => `${PREFIX}${read.epoch}:${owner}:${suffix}`;
    const keys = [
      name(tenant, `${key.kind}:${key.id}`),
      name(tenant, `m:${key.kind}:${key.id}`),
      name(EVERY_TENANT, `m:${key.kind}:${key.id}`),
      ...(key.kind === 'c' ? [name(tenant, 'm:c*'), name(EVERY_TENANT, 'm:c*')] : []),
    ];
    this.#commands.cacheFill(keys.length, ...keys, read.at, this.timing.ttlMs, key.field, json).catch(() => {});
  }

  async broadcast(invalidation: Invalidation): Promise<void> {
    // Even while this process is not coherent, the others still hear what it can tell them.
    if (this.#epoch === '' || this.#commands.status !== 'ready') return this.#miss();
    const { tenant, users, parents, allPages } = invalidation;
    const name = (suffix: string) => `${PREFIX}${this.#epoch}:${tenant}:${suffix}`;
    const marks = [
      ...users.map((id) => name(`m:u:${id}`)),
      ...parents.map((id) => name(`m:c:${id}`)),
      ...(allPages ? [name('m:c*')] : []),
    ];
    // Another tenant's entries cannot be listed (no scans): for every tenant, the marks alone decide.
    const gone =
      tenant === EVERY_TENANT ? [] : [...users.map((id) => name(`u:${id}`)), ...parents.map((id) => name(`c:${id}`))];
    const message = writeInvalidation(this.#origin, invalidation);
    const started = Date.now();
    try {
      await this.#commands.cacheForget(
        marks.length + gone.length,
        ...marks,
        ...gone,
        marks.length,
        this.timing.keepMs,
        CHANNEL,
        message,
      );
    } catch {
      this.#miss();
      // A Redis that stopped answering without closing anything: every other instance's heartbeat notices within
      // NOTICED_MS of that, and reads through from then on. Answering the write only after that costs seconds
      // while Redis hangs, and keeps any instance from serving what this write changed.
      if (this.#commands.status === 'ready') await sleep(started + NOTICED_MS - Date.now());
    }
  }

  close(): void {
    this.#closed = true;
    clearInterval(this.#heartbeat);
    this.#subscriber.disconnect();
    this.#commands.disconnect();
  }

  #miss(): void {
    this.#missed = true;
    this.#lose('an invalidation could not be written to Redis');
  }

  #lose(reason: string): void {
    this.#session += 1;
    if (!this.#up) return;
    this.#up = false;
    this.handlers.flush('lost');
    this.logger.warn({ reason }, 'cache: reading through to nCore until the invalidation channel is back');
  }

  /** Subscribes, then adopts the shared generation, or starts a new one when coming back; then serves again. */
  async #resume(): Promise<void> {
    if (this.#up || this.#resuming || this.#closed) return;
    if (this.#subscriber.status !== 'ready' || this.#commands.status !== 'ready') return;
    this.#resuming = true;
    const session = this.#session;
    try {
      await within(this.#subscriber.subscribe(CHANNEL), PING_TIMEOUT_MS);
      const fresh = this.#everUp || this.#missed;
      const candidate = randomUUID();
      const announce = JSON.stringify({ o: this.#origin, e: candidate });
      const epoch = await this.#commands.cacheEpoch(
        1,
        EPOCH_KEY,
        candidate,
        EPOCH_TTL_MS,
        fresh ? 'new' : 'adopt',
        CHANNEL,
        announce,
      );
      // Lost again meanwhile: the next heartbeat tries again.
      if (session !== this.#session || this.#closed) return;
      this.#epoch = epoch;
      this.handlers.flush('resumed');
      if (this.#everUp) this.logger.info('cache: invalidation channel back; shared entries start afresh');
      this.#everUp = true;
      this.#missed = false;
      this.#readsFailing = false;
      this.#up = true;
    } catch {
      // The next heartbeat tries again.
    } finally {
      this.#resuming = false;
    }
  }

  async #beat(): Promise<void> {
    if (this.#beating || this.#closed) return;
    if (!this.#up) return this.#resume();
    this.#beating = true;
    try {
      await within(this.#subscriber.ping(), PING_TIMEOUT_MS);
    } catch {
      // A connection that died without closing: noticed here, and made to reconnect.
      this.#lose('the invalidation channel stopped answering');
      this.#subscriber.disconnect(true);
    }
    if (this.#readsFailing)
      await within(this.#commands.ping(), PING_TIMEOUT_MS).then(
        () => (this.#readsFailing = false),
        () => {},
      );
    this.#beating = false;
  }

  #message(channel: string, text: string): void {
    if (channel !== CHANNEL) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return;
    }
    const { o, e } = value as { o?: unknown; e?: unknown };
    // Generations in the order Redis published them, this process's own included: every instance ends on the last.
    if (typeof e === 'string') {
      if (e !== this.#epoch && this.#epoch !== '') {
        this.#epoch = e;
        this.handlers.flush('epoch');
      }
      return;
    }
    if (o === this.#origin) return;
    const invalidation = readInvalidation(value);
    if (invalidation) this.handlers.peer(invalidation);
  }
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
