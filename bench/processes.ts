/**
 * The benchmark's servers as child processes on 127.0.0.1: the simulator, the gateway as production runs
 * it (compiled JavaScript, as `npm start` runs it), the peers (Mesh, Apollo Server) and a plain Node relay. Each
 * one stops by itself: on disconnect or SIGTERM, and at the latest when its lifetime bound runs out.
 */
import { type ChildProcess, execFile, fork, spawn } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { HierarchyOptions } from '../src/simulator/index.ts';

/** No child outlives a full run by much, even when the bench itself is killed. */
const MAX_LIFETIME_MS = 20 * 60_000;

const ROOT = new URL('..', import.meta.url);

/** A started child and how to stop it. */
export interface Child {
  readonly pid: number;
  stop(): Promise<void>;
}

/** The simulator child: its base URL (ending in /v1), its key and every seeded id, oldest first. */
export interface Upstream extends Child {
  readonly url: string;
  readonly apiKey: string;
  readonly ids: readonly string[];
}

/** A GraphQL server child: its `/graphql` URL, and how long it took from its spawn to serving. */
export interface GraphqlServer extends Child {
  readonly url: string;
  readonly startupMs: number;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function track(child: ChildProcess): Child['stop'] {
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return async () => {
    if (child.exitCode === null && child.signalCode === null) {
      if (child.connected) child.disconnect();
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(force);
    }
    running.delete(child);
  };
}

/** Waits for the child's first IPC message, failing if it exits or stays silent for `timeoutMs`. */
function firstMessage<T>(child: ChildProcess, what: string, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start within ${timeoutMs} ms`)), timeoutMs);
    child.once('message', (message) => {
      clearTimeout(timer);
      resolve(message as T);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited early (${code})`));
    });
  });
}

/** Starts the simulator over a generated hierarchy, `latencyMs` added to every answer. */
export async function startUpstream(hierarchy: HierarchyOptions, latencyMs = 0): Promise<Upstream> {
  const child = fork(new URL('./upstream-server.ts', import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      BENCH_HIERARCHY: JSON.stringify(hierarchy),
      BENCH_LATENCY_MS: String(latencyMs),
      BENCH_MAX_LIFETIME_MS: String(MAX_LIFETIME_MS),
    },
  });
  const stop = track(child);
  const ready = await firstMessage<{ url: string; apiKey: string; ids: string[] }>(child, 'the simulator', 60_000);
  return { ...ready, pid: child.pid!, stop };
}

const builds = new Map<string, Promise<string>>();

/**
 * A checkout's gateway compiled as `npm run build` compiles it, into that checkout's bench/.build/ (so a bench never
 * touches the dist/ that `npm start` or a test may be using); built once per bench process. Its entry point.
 */
function compiled(root: URL): Promise<string> {
  let build = builds.get(root.href);
  if (!build) {
    const out = new URL('bench/.build/', root);
    build = (async () => {
      rmSync(out, { recursive: true, force: true });
      const tsc = fileURLToPath(new URL('node_modules/typescript/bin/tsc', root));
      await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', fileURLToPath(out)], {
        cwd: root,
      });
      copyFileSync(new URL('schema.graphql', root), new URL('schema.graphql', out));
      copyFileSync(new URL('src/simulator/openapi.json', root), new URL('src/simulator/openapi.json', out));
      return fileURLToPath(new URL('src/main.js', out));
    })();
    builds.set(root.href, build);
  }
  return build;
}

/**
 * Starts the gateway exactly as production does: compiled JavaScript (`node dist/src/main.js`, built here into
 * bench/.build/), NODE_ENV=production, every default feature on (limits, call budget, logs to stdout), one
 * process, a free port on 127.0.0.1. Its log lines are read and dropped, as a log shipper would. `nodeArgs` go to
 * node (e.g. `--cpu-prof`); `root` is the checkout to run (another one, to compare two versions side by side).
 */
export async function startGateway(
  upstream: Upstream,
  env: Record<string, string> = {},
  nodeArgs: readonly string[] = [],
  root: URL = ROOT,
): Promise<GraphqlServer> {
  const main = await compiled(root);
  const spawned = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, main], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      WORKERS: '1',
      GATEWAY_AUTH: 'none',
      NCORE_BASE_URL: upstream.url,
      NCORE_API_KEY: upstream.apiKey,
      // Every operation makes its nCore calls (the cache's own section sets a TTL), and SIGTERM stops at once.
      CACHE_TTL_MS: '0',
      SHUTDOWN_DELAY_MS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: MAX_LIFETIME_MS,
    killSignal: 'SIGKILL',
  });
  const stop = track(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const port = await new Promise<number>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`the gateway did not announce its port within 60 s\n${seen}${stderr}`)),
      60_000,
    );
    const onData = (chunk: Buffer) => {
      seen = (seen + chunk.toString()).slice(-4000);
      const match = /ready at http:\/\/[^:\s]+:(\d+)\/graphql/.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the gateway exited early (${code})\n${seen}${stderr}`));
    });
  });
  // Keep draining: a full pipe would stall the gateway's logger and so the gateway.
  child.stdout!.resume();
  return { url: `http://127.0.0.1:${port}/graphql`, pid: child.pid!, stop, startupMs: performance.now() - spawned };
}

/** Starts the plain Node relay (relay-server.ts) over the simulator: the floor of any server in between. */
export async function startRelay(upstream: Upstream): Promise<GraphqlServer> {
  const spawned = performance.now();
  const child = fork(new URL('./relay-server.ts', import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      BENCH_UPSTREAM_URL: upstream.url,
      BENCH_UPSTREAM_KEY: upstream.apiKey,
      BENCH_MAX_LIFETIME_MS: String(MAX_LIFETIME_MS),
    },
  });
  const stop = track(child);
  const { port } = await firstMessage<{ port: number }>(child, 'the plain Node relay', 60_000);
  return { url: `http://127.0.0.1:${port}/graphql`, pid: child.pid!, stop, startupMs: performance.now() - spawned };
}

/** The peers compared with the gateway, each in its own folder with its own package.json and lock file. */
export const PEERS = {
  mesh: { dir: new URL('./peers/mesh/', import.meta.url), probe: '@graphql-hive/gateway-runtime', label: 'Mesh' },
  apollo: { dir: new URL('./peers/apollo/', import.meta.url), probe: '@apollo/server', label: 'Apollo' },
} as const;
export type PeerName = keyof typeof PEERS;

/** Starts a peer (bench/peers/<name>/server.mjs) over the same simulator, one process, a free port. */
export async function startPeer(name: PeerName, upstream: Upstream): Promise<GraphqlServer> {
  const { dir, label } = PEERS[name];
  const spawned = performance.now();
  const child = fork(new URL('./server.mjs', dir), [], {
    cwd: dir,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      SIM_URL: upstream.url,
      SIM_KEY: upstream.apiKey,
      MAX_LIFETIME_MS: String(MAX_LIFETIME_MS),
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const stop = track(child);
  const { port } = await firstMessage<{ port: number }>(child, `the ${label} peer`, 120_000);
  return { url: `http://127.0.0.1:${port}/graphql`, pid: child.pid!, stop, startupMs: performance.now() - spawned };
}

/** Resident set size of a process in MB, from /proc (Linux); NaN elsewhere. */
export function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}
