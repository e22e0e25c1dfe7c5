import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

/** Hive Gateway serving a supergraph file, as its own process. */
export interface RouterProcess {
  /** Its `/graphql` URL. */
  url: string;
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within five seconds. */
  stop(): Promise<void>;
}

/** A port that was free a moment ago on 127.0.0.1 (the router takes no port 0). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts `hive-gateway supergraph <file>` (the `@graphql-hive/gateway` bin) on 127.0.0.1 and a free port,
 * with an environment built from scratch (no registry token, no uplink, nothing of the caller's shell), in
 * the supergraph's folder so that no config file of the project is picked up; resolves once `/readiness`
 * answers 200, which is when the supergraph has loaded. A router that never gets ready is killed.
 */
export async function startHiveGateway(supergraphPath: string, timeoutMs = 60_000): Promise<RouterProcess> {
  const require = createRequire(import.meta.url);
  const bin = join(dirname(require.resolve('@graphql-hive/gateway/package.json')), 'dist', 'bin.js');
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [bin, 'supergraph', supergraphPath, '--host', '127.0.0.1', '--port', String(port), '--disable-websockets'],
    {
      cwd: dirname(supergraphPath),
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(force);
  };
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`hive-gateway exited before it was ready:\n${output}`);
    const ready = await fetch(`${origin}/readiness`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return { url: `${origin}/graphql`, output: () => output, stop };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`hive-gateway was not ready within ${timeoutMs} ms:\n${output}`);
}
