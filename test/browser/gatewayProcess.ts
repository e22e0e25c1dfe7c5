import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** A gateway started as `npm start` starts it, in its own process. */
export interface GatewayProcess {
  /** The GraphQL endpoint the process printed, e.g. `http://127.0.0.1:41234/graphql`. */
  url: string;
  /** Everything the process wrote to stdout and stderr so far, for failure messages. */
  output(): string;
  /** Sends SIGTERM and waits for the exit; SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const READY = /nCore GraphQL gateway ready at (http:\/\/\S+\/graphql)/;

/**
 * Runs `node --import tsx src/main.ts` on a free port of 127.0.0.1 with no nCore configured, so it serves
 * the embedded simulator and its demo seed, and resolves once the process prints its URL.
 * The environment is built from scratch so that no setting of the caller's shell leaks into the gateway.
 */
export async function startGatewayProcess(env: Record<string, string> = {}, readyMs = 30_000): Promise<GatewayProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? ROOT, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(`no ready line within ${readyMs} ms`), readyMs);
    const onData = () => {
      const match = READY.exec(output);
      if (match?.[1]) done(() => resolve(match[1] as string));
    };
    const onExit = (code: number | null) => fail(`exited with ${code} before it was ready`);
    const done = (settle: () => void) => {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      settle();
    };
    const fail = (why: string) => done(() => {
      child.kill('SIGKILL');
      reject(new Error(`gateway process ${why}:\n${output}`));
    });
    child.stdout.on('data', onData);
    child.on('exit', onExit);
  });

  return { url, output: () => output, stop: (graceMs = 10_000) => stop(child, graceMs) };
}

async function stop(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
