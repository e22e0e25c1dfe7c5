/**
 * CPU time of a process and its children, read from /proc (Linux), as test/support/process.ts reads it:
 * a figure that moves far less with the machine's other work than requests per second do.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on nearly every Linux). */
const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

function stat(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Ids of the live processes whose parent is `pid`. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((child) => Number(stat(child)?.[1]) === pid);
}

/**
 * User plus system CPU, in milliseconds, of `pid` and its direct children (a node:cluster primary and its
 * workers); NaN where /proc is missing.
 */
export function cpuMs(pid: number): number {
  let ticks = 0;
  for (const id of [pid, ...childrenOf(pid)]) {
    const fields = stat(id);
    if (!fields) {
      if (id === pid) return Number.NaN;
      continue;
    }
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}
