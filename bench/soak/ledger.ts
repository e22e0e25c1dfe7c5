/**
 * Every create the soak's clients meant to make, and what came of it, checked against nCore's own data
 * afterwards: no create made two users, every create answered with success made its user, and every
 * create that failed and was retried under its idempotency key made exactly one.
 */
import type { WireUser } from '../../src/contract/types.ts';

export interface CreateEntry {
  readonly serial: number;
  readonly keyed: boolean;
  /** The id the gateway answered with, once one attempt succeeded. */
  id?: string;
  /** Whether any attempt failed. */
  failed: boolean;
}

/** What the ledger found in nCore. */
export interface CreateAudit {
  intended: { keyed: number; unkeyed: number };
  /** Users nCore holds with a soak marker. */
  usersMade: number;
  /** Creates answered with success. */
  answered: number;
  /** Markers held by more than one user. */
  duplicates: number;
  /** Answered creates whose user nCore does not hold (with that marker). */
  lost: number;
  /** Keyed creates that failed at least once, were retried, and how many ended as exactly one user. */
  retried: number;
  retriedExactlyOne: number;
  /** Keyed creates that never succeeded within the client's retry bound. */
  keyedGaveUp: number;
  /** Unkeyed creates answered with an error (the client cannot retry them), and how many made a user anyway. */
  unkeyedFailed: number;
  unkeyedFailedMadeAnyway: number;
}

/** The marker a create puts in `lastName`. */
export function markerOf(entry: CreateEntry): string {
  return `Soak${entry.serial}`;
}

export class CreateLedger {
  readonly entries: CreateEntry[] = [];

  intend(keyed: boolean): CreateEntry {
    const entry: CreateEntry = { serial: this.entries.length + 1, keyed, failed: false };
    this.entries.push(entry);
    return entry;
  }

  answered(entry: CreateEntry, id: string, attempt: number): void {
    entry.id = id;
    if (attempt > 0) entry.failed = true;
  }

  failed(entry: CreateEntry): void {
    entry.failed = true;
  }

  /** Counts the soak's users in `users` (nCore's data) against what the clients were told. */
  audit(users: readonly WireUser[]): CreateAudit {
    const byMarker = new Map<string, WireUser[]>();
    for (const user of users) {
      if (!user.last_name?.startsWith('Soak') || user.first_name !== 'Soak') continue;
      byMarker.set(user.last_name, [...(byMarker.get(user.last_name) ?? []), user]);
    }
    const count = (entry: CreateEntry) => byMarker.get(markerOf(entry))?.length ?? 0;
    const keyed = this.entries.filter((e) => e.keyed);
    const unkeyed = this.entries.filter((e) => !e.keyed);
    const answered = this.entries.filter((e) => e.id !== undefined);
    const retried = keyed.filter((e) => e.failed);
    const unkeyedFailed = unkeyed.filter((e) => e.id === undefined);
    return {
      intended: { keyed: keyed.length, unkeyed: unkeyed.length },
      usersMade: [...byMarker.values()].reduce((sum, list) => sum + list.length, 0),
      answered: answered.length,
      duplicates: [...byMarker.values()].filter((list) => list.length > 1).length,
      lost: answered.filter((e) => !byMarker.get(markerOf(e))?.some((u) => u.id === e.id)).length,
      retried: retried.length,
      retriedExactlyOne: retried.filter((e) => count(e) === 1).length,
      keyedGaveUp: keyed.filter((e) => e.id === undefined).length,
      unkeyedFailed: unkeyedFailed.length,
      unkeyedFailedMadeAnyway: unkeyedFailed.filter((e) => count(e) === 1).length,
    };
  }
}
