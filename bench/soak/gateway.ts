/**
 * The gateway under soak, as production runs it: `node --import tsx src/main.ts` with NODE_ENV=production in
 * its own process over the given nCore. Its log lines are read and counted by level; nothing else is kept
 * of them but the messages of error lines (which carry no data).
 */
import { spawn } from 'node:child_process';

/** No gateway outlives a soak by much, even when the soak itself is killed. */
const MAX_LIFETIME_MS = 30 * 60_000;
const ROOT = new URL('../..', import.meta.url);

export interface SoakGateway {
  readonly url: string;
  readonly pid: number;
  /** Log lines by pino level name. */
  readonly logLevels: Record<string, number>;
  /** Messages of error and fatal lines, at most the first 20. */
  readonly errorMessages: string[];
  /** The breaker's changes of state as the gateway logged them, with the time (epoch ms) of the line. */
  readonly transitions: { at: number; from: string; to: string }[];
  /** Whether the process is still running (a crash, e.g. on an unhandled rejection, ends it). */
  alive(): boolean;
  /** What it wrote to stderr (the last 20 KB): Node reports unhandled rejections there. */
  stderr(): string;
  stop(): Promise<void>;
}

const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

export async function startSoakGateway(
  ncore: { url: string; apiKey: string },
  env: Readonly<Record<string, string>>,
): Promise<SoakGateway> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      GATEWAY_AUTH: 'none',
      NCORE_BASE_URL: ncore.url,
      NCORE_API_KEY: ncore.apiKey,
      LOG_LEVEL: 'info',
      SHUTDOWN_DELAY_MS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: MAX_LIFETIME_MS,
    killSignal: 'SIGKILL',
  });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const logLevels: Record<string, number> = {};
  const errorMessages: string[] = [];
  const transitions: SoakGateway['transitions'] = [];
  let stderr = '';
  let pending = '';
  let announced: (url: string) => void = () => {};
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      const ready = /ready at (http:\/\/\S+\/graphql)/.exec(line);
      if (ready) announced(ready[1]!);
      if (!line.startsWith('{')) continue;
      const { level, msg, time, from, to } = JSON.parse(line) as {
        level: number;
        msg?: string;
        time: number;
        from?: string;
        to?: string;
      };
      if (msg === 'ncore circuit breaker' && from && to) transitions.push({ at: time, from, to });
      const name = LEVELS[level] ?? String(level);
      logLevels[name] = (logLevels[name] ?? 0) + 1;
      if (level >= 50 && errorMessages.length < 20) errorMessages.push(msg ?? '');
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-20_000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the gateway did not start within 60 s\n${stderr}`)), 60_000);
    announced = (found) => {
      clearTimeout(timer);
      resolve(found);
    };
    void exited.then(() => reject(new Error(`the gateway exited early\n${stderr}`)));
  });
  return {
    url,
    pid: child.pid!,
    logLevels,
    errorMessages,
    transitions,
    alive: () => child.exitCode === null && child.signalCode === null,
    stderr: () => stderr,
    async stop() {
      process.off('exit', kill);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const force = setTimeout(kill, 10_000);
      await exited;
      clearTimeout(force);
    },
  };
}
