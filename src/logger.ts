import pino, { type Logger } from 'pino';

/** A line waits at most this long for others to share its write. */
const FLUSH_MS = 250;
/** Lines are written together once this many bytes wait. */
const BATCH_BYTES = 4096;

/**
 * The process's logger: one JSON line per event on stdout, written off the request path and in batches.
 * Under load a write per line (a system call per request) cost more than composing the lines; lines now
 * leave in writes of about 4 KB, or within 250 ms when fewer come. Whatever waits is written before the
 * process exits (pino flushes its destination on exit, and `logger.flush` does on demand).
 */
export function createLogger(level: string): Logger {
  const destination = pino.destination({ sync: false, minLength: BATCH_BYTES });
  let waiting = false;
  setInterval(() => {
    if (!waiting) return;
    waiting = false;
    destination.flush();
  }, FLUSH_MS).unref();
  return pino(
    {
      level,
      base: { pid: process.pid },
      hooks: {
        streamWrite: (line) => {
          waiting = true;
          return line;
        },
      },
    },
    destination,
  );
}
