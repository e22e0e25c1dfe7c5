/** The soak's verdicts and its RESULTS.md section, from the figures runSoak measured. */
import { fixed, percentile, whole } from '../stats.ts';
import type { SoakFigures } from './run.ts';

export interface Check {
  name: string;
  passed: boolean;
  figure: string;
}

/** What must hold after any soak, smoke or full. */
export function checks(f: SoakFigures): Check[] {
  const c = f.creates;
  const cooldown = Number(f.settings.gatewayEnv['BREAKER_COOLDOWN_MS']);
  const during = (from: number, to: number) => f.breaker.transitions.filter((t) => t.at >= from && t.at < to);
  const opened = during(f.phases.outage, f.phases.recovery).filter((t) => t.to === 'open');
  const list: Check[] = [
    { name: '0 duplicate users', passed: c.duplicates === 0, figure: `${c.duplicates} of ${c.usersMade} users` },
    {
      name: '0 lost writes (every create answered with success exists)',
      passed: c.lost === 0,
      figure: `${c.lost} of ${c.answered}`,
    },
    {
      name: 'every failed keyed create, retried with its key, is exactly one user',
      passed: c.retriedExactlyOne === c.retried && c.keyedGaveUp === 0,
      figure: `${c.retriedExactlyOne} of ${c.retried} (gave up: ${c.keyedGaveUp})`,
    },
    { name: '0 HTTP 5xx', passed: f.recorder.http5xx === 0, figure: String(f.recorder.http5xx) },
    {
      name: '0 unhandled rejections, gateway alive',
      passed: f.gateway.alive && f.gateway.unhandled === 0 && f.driverUnhandled === 0,
      figure: `gateway ${f.gateway.unhandled}, soak ${f.driverUnhandled}; ${f.gateway.alive ? 'alive' : 'DIED'}`,
    },
    {
      name: '0 bugs logged (error lines)',
      passed: f.gateway.errorMessages.length === 0,
      figure: f.gateway.errorMessages.slice(0, 3).join('; ') || '0',
    },
    {
      name: 'breaker stays closed through random faults',
      passed: during(f.phases.chaos, f.phases.outage).length === 0,
      figure: `${during(f.phases.chaos, f.phases.outage).length} transitions`,
    },
    {
      name: 'breaker opens during the outage',
      passed: opened.length > 0,
      figure: opened.length ? `after ${fixed((opened[0]!.at - f.phases.outage) / 1000, 1)} s` : 'never',
    },
    {
      name: `served again within cool-down + 1 s (${(cooldown + 1000) / 1000} s) of nCore's return`,
      passed: f.recoveredAfterMs !== undefined && f.recoveredAfterMs <= cooldown + 1000,
      figure: f.recoveredAfterMs === undefined ? 'never' : `${fixed(f.recoveredAfterMs / 1000, 2)} s`,
    },
    {
      name: 'breaker closed at the end',
      passed: f.breaker.states.at(-1)?.state === 'closed',
      figure: f.breaker.states.at(-1)?.state ?? 'unknown',
    },
  ];
  if (f.settings.name === 'full') {
    // Under the steady random faults a leak grows with every request; the outage and the recovery that follow
    // are bursts (hundreds of fast failures, queued retries), bounded more loosely.
    const steady = rssAt(f, f.phases.outage) - f.rss.start;
    const overall = f.rss.end - f.rss.start;
    list.push({
      name: 'RSS does not grow: after warm-up -> end of the random faults <= 20 MB, -> end of the run <= 50 MB',
      passed: steady <= 20 && overall <= 50,
      figure: `${signed(steady)} MB, ${signed(overall)} MB`,
    });
  }
  return list;
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${fixed(value, 1)}`;
}

/** The first memory reading at or after `at`. */
function rssAt(f: SoakFigures, at: number): number {
  return f.rss.samples.find((s) => s.at >= at)?.mb ?? Number.NaN;
}

function table(header: string[], rows: string[][]): string {
  const align = header.map((_, i) => (i === 0 ? '---' : '---:'));
  return [header, align, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/** The report as Markdown: verdicts, outcomes, latency by phase, creates, breaker, event loop, memory. */
export function markdown(f: SoakFigures): string {
  const { recorder: r, phases: p, creates: c } = f;
  const kinds = [...r.outcomes.keys()].sort();
  const codes = [...new Set(kinds.flatMap((k) => [...r.outcomes.get(k)!.keys()]))].sort();
  const count = (k: string, code: string) => r.outcomes.get(k)?.get(code) ?? 0;
  const outcomeRows = codes.map((code) => [
    code,
    ...kinds.map((k) => whole(count(k, code))),
    whole(kinds.reduce((s, k) => s + count(k, code), 0)),
  ]);
  const phaseRows = (
    [
      ['warm-up', 0, p.chaos],
      ['random faults', p.chaos, p.outage],
      ['outage', p.outage, p.recovery],
      ['recovery', p.recovery, Number.POSITIVE_INFINITY],
    ] as const
  ).map(([name, from, to]) => {
    const in_ = r.samples.filter((s) => s.at >= from && s.at < to);
    const ms = in_.map((s) => s.ms);
    const ok = in_.filter((s) => s.ok).length;
    return [
      name,
      whole(in_.length),
      `${fixed((100 * ok) / Math.max(1, in_.length), 1)} %`,
      fixed(percentile(ms, 50), 1),
      fixed(percentile(ms, 99), 1),
    ];
  });
  const all = r.samples.map((s) => s.ms);
  const okMs = r.samples.filter((s) => s.ok).map((s) => s.ms);
  const phaseOf = (at: number) =>
    at < p.chaos ? 'warm-up' : at < p.outage ? 'random faults' : at < p.recovery ? 'outage' : 'recovery';
  const phaseStart = (at: number) =>
    at < p.chaos ? 0 : at < p.outage ? p.chaos : at < p.recovery ? p.outage : p.recovery;
  const transitions = f.breaker.transitions.map((t) => [
    `${t.from} -> ${t.to}`,
    phaseOf(t.at),
    `+${fixed((t.at - phaseStart(t.at)) / 1000, 2)} s`,
  ]);
  return [
    table(
      ['check', 'passed', 'figure'],
      checks(f).map((x) => [x.name, x.passed ? 'yes' : '**NO**', x.figure]),
    ),
    '',
    `Requests by outcome (an operation is one request; a keyed create the client retried is one per attempt). ${whole(r.samples.length)} requests in ${fixed(f.durationMs / 1000, 0)} s; ${f.skippedTicks} ticks skipped at the in-flight bound.`,
    '',
    table(['outcome', ...kinds, 'all'], outcomeRows),
    '',
    `Latency by phase, ms (p50/p99 over every request; all: p50 ${fixed(percentile(all, 50), 1)}, p99 ${fixed(percentile(all, 99), 1)}; successful only: p50 ${fixed(percentile(okMs, 50), 1)}, p99 ${fixed(percentile(okMs, 99), 1)}):`,
    '',
    table(['phase', 'requests', 'OK', 'p50', 'p99'], phaseRows),
    '',
    table(
      ['creates', 'figure'],
      [
        ['intended with a key / without', `${c.intended.keyed} / ${c.intended.unkeyed}`],
        ['answered with success', String(c.answered)],
        ['users made (in nCore)', String(c.usersMade)],
        ['duplicates', String(c.duplicates)],
        ['answered but missing (lost)', String(c.lost)],
        ['keyed, failed, retried with the key -> exactly one user', `${c.retriedExactlyOne} of ${c.retried}`],
        [
          'unkeyed, answered with an error -> made anyway (by the gateway retrying under its own key)',
          `${c.unkeyedFailedMadeAnyway} of ${c.unkeyedFailed}`,
        ],
      ],
    ),
    '',
    transitions.length
      ? table(['breaker transition', 'phase', 'into the phase'], transitions)
      : 'Breaker: no transitions.',
    '',
    table(
      ['gateway process', 'figure'],
      [
        [
          'event-loop delay p99 per second: median / worst (ms)',
          `${fixed(percentile(f.loop.p99, 50), 1)} / ${fixed(Math.max(...f.loop.p99), 1)}`,
        ],
        ['event-loop delay max (ms)', fixed(Math.max(...f.loop.max), 1)],
        ['RSS after warm-up -> at the end (MB)', `${fixed(f.rss.start, 1)} -> ${fixed(f.rss.end, 1)}`],
        [
          'RSS at 1/4, 1/2, 3/4 and the end of the random faults; peak (MB)',
          `${[0.25, 0.5, 0.75, 1].map((q) => fixed(rssAt(f, p.chaos + q * (p.outage - p.chaos)), 1)).join(', ')}; ${fixed(Math.max(...f.rss.samples.map((s) => s.mb)), 1)}`,
        ],
        [
          'log lines by level',
          Object.entries(f.gateway.logLevels)
            .map(([l, n]) => `${l} ${n}`)
            .join(', '),
        ],
      ],
    ),
  ].join('\n');
}
