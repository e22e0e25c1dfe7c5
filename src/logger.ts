import pino, { type Logger } from 'pino';

/**
 * Lines wait until this many bytes have gathered. Each write holds whole lines and at most 4,096 bytes: workers of
 * a cluster share the primary's stdout, and a pipe keeps only writes of up to 4,096 bytes (PIPE_BUF) from being
 * interleaved with another process's.
 */
const BATCH_BYTES = 3072;
const MAX_WRITE_BYTES = 4096;
/** ...or at most this long. */
const FLUSH_MS = 250;

/**
 * The process's logger: one JSON line per event on stdout, written off the request path and in batches. Under
 * load a write per line (a system call per request) cost more than composing the lines. What waits is written
 * when the process exits or stops (pino flushes its destination on exit; `logger.flush` on demand); a process
 * killed outright (SIGKILL, out of memory) loses up to 250 ms of lines.
 */
export function createLogger(level: string): Logger {
  const destination = pino.destination({
    sync: false,
    minLength: BATCH_BYTES,
    maxWrite: MAX_WRITE_BYTES,
    periodicFlush: FLUSH_MS,
  });
  return pino({ level, base: { pid: process.pid } }, destination);
}
