import type { Readers } from './readers.ts';
import type { AuthMode, CacheConfig, EventsConfig } from './types.ts';

/** The demo: the embedded simulator reports every create and status change, and the demo's edits go through the gateway. */
const DEMO_TTL_MS = 300_000;
/** A real nCore whose webhooks reach this gateway: only profile edits made outside the gateway go unreported. */
const REPORTED_TTL_MS = 60_000;
/** A real nCore whose events do not reach the gateway: the TTL is then the only bound on a status change too. */
const UNREPORTED_TTL_MS = 5_000;

/**
 * The cross-request cache of users and children pages (src/cache/). `CACHE_TTL_MS` bounds how old an answer may
 * be for a change nobody reports; its default follows what does report changes here (see the constants above and
 * src/cache/README.md). 0 turns the cache off: every read goes to nCore, exactly as without it.
 */
export function cacheConfig(
  { int }: Readers,
  baseUrl: string | undefined,
  events: EventsConfig,
  mode: AuthMode,
): CacheConfig {
  const reported = events.webhook !== undefined && (mode !== 'forward' || events.singleTenant);
  const fallback = baseUrl === undefined ? DEMO_TTL_MS : reported ? REPORTED_TTL_MS : UNREPORTED_TTL_MS;
  return {
    ttlMs: int('CACHE_TTL_MS', fallback, 0, 86_400_000),
    maxEntries: int('CACHE_MAX_ENTRIES', 100_000, 1, 10_000_000),
    maxBytes: int('CACHE_MAX_BYTES', 64 * 1024 * 1024, 1024, 16 * 1024 * 1024 * 1024),
  };
}
