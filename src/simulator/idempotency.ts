/** A stored first answer to a POST carrying `x-nymos-idempotency-key`. */
export interface IdempotentAnswer {
  status: number;
  body: string;
}

type Lookup = { kind: 'new' } | { kind: 'replay'; answer: IdempotentAnswer } | { kind: 'conflict' };

/**
 * Remembers the successful answers of keyed POSTs. Only successes are kept: a refused request had no
 * effect, so retrying it under the same key is processed afresh. Like any real store of keys, it forgets
 * the oldest beyond `limit`, so a long-running simulator does not grow without end.
 */
export class IdempotencyRecords {
  private readonly answers = new Map<string, { fingerprint: string; answer: IdempotentAnswer }>();

  constructor(private readonly limit = 100_000) {}

  /** Whether `key` is new, a replay of the same request, or reused for a different one. */
  lookup(key: string, fingerprint: string): Lookup {
    const record = this.answers.get(key);
    if (!record) return { kind: 'new' };
    return record.fingerprint === fingerprint ? { kind: 'replay', answer: record.answer } : { kind: 'conflict' };
  }

  remember(key: string, fingerprint: string, answer: IdempotentAnswer): void {
    this.answers.set(key, { fingerprint, answer });
    // Maps iterate in insertion order: the first key is the oldest.
    if (this.answers.size > this.limit) this.answers.delete(this.answers.keys().next().value!);
  }

  clear(): void {
    this.answers.clear();
  }
}

/** Identifies a request by method, path and body, ignoring the order of object keys. */
export function fingerprint(method: string, path: string, body: unknown): string {
  return `${method} ${path} ${stableStringify(body)}`;
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableStringify((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}
