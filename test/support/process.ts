import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The gateway as a real process (`src/main.ts`), as `npm start` runs it. */
export interface GatewayProcess {
  child: ChildProcess;
  /** Everything it printed, stdout and stderr together. */
  output(): string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** The `/graphql` URL it announced. */
  url: string;
  /** Sends SIGTERM and waits for the exit; SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `src/main.ts` with `env` on 127.0.0.1 and a free port; waits for its ready line (or its exit). The
 * environment is built from scratch, so no setting of the caller's shell leaks into the gateway. The cross-request
 * cache is off unless `env` sets `CACHE_TTL_MS`, so suites that count nCore calls see every one (test/cache/ sets it),
 * and SIGTERM stops without the drain delay unless `env` sets `SHUTDOWN_DELAY_MS` (test/process/drain.test.ts).
 */
export async function startGatewayProcess(
  env: Record<string, string> = {},
  { waitForReady = true } = {},
): Promise<GatewayProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? ROOT,
      HOST: '127.0.0.1',
      PORT: '0',
      CACHE_TTL_MS: '0',
      SHUTDOWN_DELAY_MS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let url = '';
  if (waitForReady) {
    url = await new Promise<string>((resolve, reject) => {
      // A process that never gets ready is killed, so a failed start leaves nothing running.
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`no ready line in 30 s:\n${output}`));
      }, 30_000);
      const check = () => {
        const match = /ready at (http:\/\/[^\s]+\/graphql)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      };
      child.stdout!.on('data', check);
      exited.then(() => reject(new Error(`exited before ready:\n${output}`)));
    });
  }
  const stop = async (graceMs = 10_000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return { child, output: () => output, exited, url, stop };
}

/** CPU time (user + system, in clock ticks) a process has used, from /proc. */
export function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Ids of the live processes whose parent is `pid` (from /proc, so no extra tool is needed). */
export function childrenOf(pid: number): number[] {
  // Node processes only: a loader may run a helper of its own (tsx starts esbuild's service on Node 24).
  const node = readlinkSync(`/proc/${pid}/exe`);
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        return (
          Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid &&
          readlinkSync(`/proc/${name}/exe`) === node
        );
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Posts an operation to a gateway process and reads its answer, which must be a 200 without errors. */
export async function askProcess<T>(gateway: GatewayProcess, query: string, variables: object = {}): Promise<T> {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  if (response.status !== 200) throw new Error(`status ${response.status}: ${await response.text()}`);
  const answer = (await response.json()) as T & { errors?: unknown[] };
  if (answer.errors) throw new Error(`errors: ${JSON.stringify(answer.errors)}`);
  return answer;
}

/** A series' value on a gateway process's /metrics (`name` or `name{labels}`), 0 when absent. */
export async function metricOf(gateway: GatewayProcess, series: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', gateway.url))).text();
  const escaped = series.replace(/[{}"]/g, (c) => `\\${c}`);
  return Number(new RegExp(`^${escaped} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
}
