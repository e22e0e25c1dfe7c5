/**
 * `npm run soak`: a chaos run of the gateway as production runs it (see run.ts), then the verdicts and the
 * figures. `--smoke` runs about half a minute and prints only; the full run (about five minutes) also
 * writes its section of bench/RESULTS.md. Exits 1 when a check fails.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { checks, markdown } from './report.ts';
import { runSoak } from './run.ts';
import { FULL, SMOKE } from './settings.ts';

const START = '<!-- soak:start (written by npm run soak; edit outside these markers) -->';
const END = '<!-- soak:end -->';

const { values } = parseArgs({ options: { smoke: { type: 'boolean', default: false } } });
const settings = values.smoke ? SMOKE : FULL;
const began = Date.now();
const figures = await runSoak(settings, (line) =>
  console.error(`[soak ${((Date.now() - began) / 1000).toFixed(0)} s] ${line}`),
);
const body = markdown(figures);
console.log(body);

if (settings.name === 'full') {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const section = [
    START,
    '## Chaos soak',
    '',
    `Command: \`npm run soak\` (this run: ${settings.rate} operations/s; ${settings.warmupMs / 1000} s clean, ${settings.chaosMs / 1000} s of random faults, ${settings.outageMs / 1000} s of total outage, ${settings.recoveryMs / 1000} s of recovery); \`npm run soak:smoke\` runs a short one, also inside \`npm test\`.`,
    `Date: ${new Date().toISOString().slice(0, 10)}. Machine: ${os.cpus().length} cores (${cpu}), Node ${process.version}, ${os.type()}; shared with other work while it ran, so latency and event-loop figures are noisy.`,
    '',
    'Setup: the simulator in the soak process (a generated forest of 12 four-level trees, 1,020 users); the gateway as',
    'production runs it (`node --import tsx src/main.ts`, `NODE_ENV=production`, one process) with',
    `${Object.entries(settings.gatewayEnv)
      .map(([k, v]) => `\`${k}=${v}\``)
      .join(', ')} and every other setting at its default.`,
    'Random faults per nCore request: 503 (2 %), dropped connection (1 %), 429 with `Retry-After: 1` (1 %), hang past the',
    'call timeout (0.3 %); creates lose their answer after committing (dropped 4 %, 503 2 %), updates likewise (3 %).',
    'The outage answers every call with a proxy 503 page or a dropped connection. Clients retry a failed keyed create under',
    'its key (backoff to 2 s) until it succeeds; nothing else is retried by the client.',
    '',
    body,
    END,
  ].join('\n');
  const path = new URL('../RESULTS.md', import.meta.url);
  const current = readFileSync(path, 'utf8');
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const next =
    start >= 0 && end > start
      ? current.slice(0, start) + section + current.slice(end + END.length)
      : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(path, next);
  console.error('wrote bench/RESULTS.md');
}
process.exit(checks(figures).every((c) => c.passed) ? 0 : 1);
