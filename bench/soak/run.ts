/**
 * One soak: the simulator (in this process) seeded with a generated forest, the gateway as a real production
 * process over it, and steady mixed traffic through four phases: clean, random faults, nCore wholly down,
 * nCore back. Afterwards every create is checked against nCore's data. Returns the figures; judging them
 * is the caller's (report.ts).
 */

import { createSimulator, generateHierarchy } from '../../src/simulator/index.ts';
import { rssMb } from '../processes.ts';
import { startSoakGateway } from './gateway.ts';
import { type CreateAudit, CreateLedger } from './ledger.ts';
import { Monitor } from './monitor.ts';
import { Recorder } from './record.ts';
import { CHAOS, OUTAGE, type SoakSettings } from './settings.ts';
import { Traffic, type World } from './traffic.ts';

/** Four-level trees of 1 + 4 + 16 + 64 users under each root. */
const FOREST = { roots: 12, fanOut: 4, depth: 4, seed: 10 };
/** However the run went, waiting for the last operations to end is bounded. */
const DRAIN_BOUND_MS = 90_000;

export interface SoakFigures {
  settings: SoakSettings;
  /** Phase boundaries, ms since the soak began. */
  phases: { chaos: number; outage: number; recovery: number; end: number };
  recorder: Recorder;
  skippedTicks: number;
  creates: CreateAudit;
  breaker: { transitions: { at: number; from: string; to: string }[]; states: Monitor['changes'] };
  /** From nCore's return to the end of the first successful operation sent after it. */
  recoveredAfterMs: number | undefined;
  loop: { p99: number[]; max: number[] };
  /** Resident memory (MB) after the warm-up and at the end, and every second of the run. */
  rss: { start: number; end: number; samples: Monitor['rss'] };
  gateway: { alive: boolean; unhandled: number; logLevels: Record<string, number>; errorMessages: string[] };
  /** Unhandled rejections in the soak's own process (its simulator included). */
  driverUnhandled: number;
  durationMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runSoak(settings: SoakSettings, log: (line: string) => void = () => {}): Promise<SoakFigures> {
  let driverUnhandled = 0;
  const onUnhandled = () => {
    driverUnhandled += 1;
  };
  process.on('unhandledRejection', onUnhandled);
  const users = generateHierarchy(FOREST);
  const sim = await createSimulator({ seed: users, apiKey: 'soak-key', requestLogLimit: 2_000 });
  const gateway = await startSoakGateway(sim, settings.gatewayEnv).catch(async (error) => {
    await sim.close();
    throw error;
  });
  try {
    const began = performance.now();
    const at = () => performance.now() - began;
    const world: World = {
      ids: users.map((u) => u.id),
      roots: users.filter((u) => !u.parent_user_id).map((u) => u.id),
      names: [...new Set(users.map((u) => u.first_name))],
      made: [],
    };
    const recorder = new Recorder(began);
    const ledger = new CreateLedger();
    const traffic = new Traffic(gateway.url, world, recorder, ledger, settings.createRetryMs);
    const monitor = new Monitor(gateway.url.replace(/\/graphql$/, '/metrics'), gateway.pid, began);
    monitor.start();

    const inFlight = new Set<Promise<void>>();
    let skippedTicks = 0;
    const ticker = setInterval(() => {
      if (inFlight.size >= settings.maxInFlight) {
        skippedTicks += 1;
        return;
      }
      const operation = traffic.run(traffic.pick()).finally(() => inFlight.delete(operation));
      inFlight.add(operation);
    }, 1000 / settings.rate);

    log(`warm-up ${settings.warmupMs / 1000} s`);
    await sleep(settings.warmupMs);
    const rssStart = rssMb(gateway.pid);
    const chaos = at();
    log(`chaos ${settings.chaosMs / 1000} s`);
    sim.setFaults(...CHAOS);
    await sleep(settings.chaosMs);
    const outage = at();
    log(`outage ${settings.outageMs / 1000} s`);
    sim.setFaults(...OUTAGE);
    await sleep(settings.outageMs);
    const recovery = at();
    log(`recovery ${settings.recoveryMs / 1000} s`);
    sim.clearFaults();
    await sleep(settings.recoveryMs);
    clearInterval(ticker);
    const end = at();
    log(`draining ${inFlight.size} operations`);
    await Promise.race([Promise.allSettled([...inFlight]), sleep(DRAIN_BOUND_MS)]);
    await monitor.stop();
    const rssEnd = rssMb(gateway.pid);
    const wall = Date.now() - performance.now();

    return {
      settings,
      phases: { chaos, outage, recovery, end },
      recorder,
      skippedTicks,
      creates: ledger.audit(sim.users()),
      breaker: {
        transitions: gateway.transitions.map((t) => ({ ...t, at: t.at - wall - began })),
        states: monitor.changes,
      },
      recoveredAfterMs: recorder.firstSuccessAfter(recovery),
      loop: { p99: monitor.loopP99, max: monitor.loopMax },
      rss: { start: rssStart, end: rssEnd, samples: monitor.rss },
      gateway: {
        alive: gateway.alive(),
        unhandled: (gateway.stderr().match(/unhandled|uncaught/gi) ?? []).length,
        logLevels: gateway.logLevels,
        errorMessages: gateway.errorMessages,
      },
      driverUnhandled,
      durationMs: at(),
    };
  } finally {
    process.off('unhandledRejection', onUnhandled);
    await gateway.stop();
    await sim.close();
  }
}
