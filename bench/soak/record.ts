/** What the soak's clients saw: every GraphQL request's outcome code, latency and HTTP status. */

/** One answered (or failed) request. */
interface Sample {
  kind: string;
  /** When it was sent, ms since the soak began. */
  at: number;
  ms: number;
  ok: boolean;
}

/**
 * An outcome in the gateway's own vocabulary: OK, the first error's `extensions.code` (with the circuit
 * when the breaker answered), HTTP_<status> for a 5xx or other non-GraphQL answer, NETWORK_ERROR.
 */
export type Outcome = string;

export class Recorder {
  readonly samples: Sample[] = [];
  /** Requests by kind, then by outcome. */
  readonly outcomes = new Map<string, Map<Outcome, number>>();
  http5xx = 0;
  readonly #began: number;

  constructor(began: number) {
    this.#began = began;
  }

  add(kind: string, startedAt: number, outcome: Outcome, status: number | undefined): void {
    const ms = performance.now() - startedAt;
    this.samples.push({ kind, at: startedAt - this.#began, ms, ok: outcome === 'OK' });
    const byOutcome = this.outcomes.get(kind) ?? new Map<Outcome, number>();
    byOutcome.set(outcome, (byOutcome.get(outcome) ?? 0) + 1);
    this.outcomes.set(kind, byOutcome);
    if (status !== undefined && status >= 500) this.http5xx += 1;
  }

  /** From `since` (ms since the soak began) to the end of the first successful request sent after it. */
  firstSuccessAfter(since: number): number | undefined {
    let best: number | undefined;
    for (const s of this.samples) if (s.ok && s.at >= since) best = Math.min(best ?? Infinity, s.at + s.ms - since);
    return best;
  }
}

/** Reads an answer's outcome: OK, or the first error's code. */
export function outcomeOf(status: number, body: unknown): Outcome {
  const errors = (body as { errors?: { extensions?: { code?: string; circuit?: string } }[] } | null)?.errors;
  if (errors?.length) {
    const { code, circuit } = errors[0]!.extensions ?? {};
    return `${code ?? 'NO_CODE'}${circuit === 'open' ? ' (circuit open)' : ''}`;
  }
  if (status !== 200) return `HTTP_${status}`;
  return 'OK';
}
