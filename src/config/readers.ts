/** A setting read from the environment, or recorded as a problem (one line each) and replaced by its fallback. */
export interface Readers {
  /** The trimmed value; undefined when absent or blank. */
  text(name: string): string | undefined;
  int(name: string, fallback: number, min: number, max: number): number;
  bool(name: string, fallback: boolean): boolean;
  oneOf<T extends string>(name: string, values: readonly T[], fallback: T): T;
  /** An http(s) URL without a query or fragment, trailing slashes removed; never echoed (it may hold credentials). */
  url(name: string): string | undefined;
  /** A comma-separated list, items trimmed, blanks dropped. */
  list(name: string): string[];
  /** Every problem found so far: loadConfig reports them all at once. */
  readonly problems: string[];
}

export type Env = Record<string, string | undefined>;

/** Readers over `env` that record what is wrong in `problems` instead of stopping at the first. */
export function createReaders(env: Env, problems: string[]): Readers {
  const text = (name: string): string | undefined => env[name]?.trim() || undefined;
  return {
    problems,
    text,
    int(name, fallback, min, max) {
      const raw = text(name);
      if (raw === undefined) return fallback;
      const value = Number(raw);
      if (!Number.isInteger(value) || value < min || value > max) {
        problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
        return fallback;
      }
      return value;
    },
    bool(name, fallback) {
      const raw = text(name)?.toLowerCase();
      if (raw === undefined) return fallback;
      if (raw === 'true' || raw === '1') return true;
      if (raw === 'false' || raw === '0') return false;
      problems.push(`${name} must be true or false (got "${env[name]}")`);
      return fallback;
    },
    oneOf(name, values, fallback) {
      const raw = text(name);
      if (raw === undefined) return fallback;
      if ((values as readonly string[]).includes(raw)) return raw as (typeof values)[number];
      problems.push(`${name} must be one of ${values.join(', ')} (got "${raw}")`);
      return fallback;
    },
    url(name) {
      const raw = text(name);
      if (raw === undefined) return undefined;
      if (!isHttpUrl(raw)) problems.push(`${name} must be an http(s) URL without a query or fragment`);
      return raw.replace(/\/+$/, '');
    },
    list(name) {
      return (text(name) ?? '')
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
    },
  };
}

function isHttpUrl(raw: string): boolean {
  try {
    const parsed = new URL(raw);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.search === '' && parsed.hash === '';
  } catch {
    return false;
  }
}

/** A setting that is missing or malformed; `problems` has one line each. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Freezes settings all the way down (a manifest's Map stays as it is: nothing hands it out to change). */
export function deepFreeze<T extends object>(value: T): T {
  if (value instanceof Map) return value;
  for (const child of Object.values(value)) if (typeof child === 'object' && child !== null) deepFreeze(child);
  return Object.freeze(value);
}
