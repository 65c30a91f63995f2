/**
 * Shadow mode's counterfactual: the arrivals the queue saw in the window, replayed through the
 * simulator with our policy (the same engine, the user's config, budgets enforced), next to
 * the fleet that something else ran (read from the tick history) and the SLO it met (read from
 * the jobs). The replay is the one `bountybot replay` writes, so `simulate` on it reproduces
 * the counterfactual exactly; the report prints the commands.
 */
import type { ScalingConfig } from '../autoscaling/scaling-config.js';
import type { TickHistory, TickPoint } from '../control/interfaces.js';
import type { JobHistory, Logger } from '../control/ports.js';
import type { ShadowFleetFigures, ShadowReporter, ShadowStatus } from '../control/runtime-api.js';
import { replayArrivals } from './replay.js';
import { CounterfactualRunner } from './shadow-simulation.js';
import type { WorkerLog } from './types.js';

export interface ShadowAnalyzerOptions {
  jobs: JobHistory;
  ticks: TickHistory;
  /** The user's resolved scaling config: what our policy would have run with. */
  config: ScalingConfig;
  metricsWindowMinutes: number;
  intervalSeconds: number;
  sloSeconds: number;
  sloTarget: number;
  /** Replay bin, seconds. Default: the evaluation interval, within [1, 60]. */
  binSeconds?: number;
  /** Longest window compared, ms. Default 24 hours. */
  maxWindowMs?: number;
  /** Least time between two computations, ms. Default 60 s. */
  recomputeMs?: number;
  seed?: number;
  /** For the `reproduce` commands. */
  databasePath?: string;
  configPath?: string;
  logger: Logger;
}

const SERIES_POINTS = 300;
/** While the report is still collecting, how often to look again, ms. */
const COLLECTING_RETRY_MS = 5000;
/** Service-time figures go into the simulation rounded like this, so the printed command reproduces it exactly. */
const round4 = (v: number): number => Number(v.toPrecision(4));

export class ShadowAnalyzer implements ShadowReporter {
  private report: ShadowStatus | undefined;
  private running: Promise<ShadowStatus> | undefined;
  private lastStartMs = -Infinity;
  private readonly runner = new CounterfactualRunner();

  constructor(private readonly o: ShadowAnalyzerOptions) {}

  refresh(now: Date): void {
    // Until the first counterfactual exists, try again soon rather than a full period later.
    const every = this.report?.counterfactual ? (this.o.recomputeMs ?? 60_000) : Math.min(this.o.recomputeMs ?? 60_000, COLLECTING_RETRY_MS);
    if (this.running || now.getTime() - this.lastStartMs < every) return;
    void this.computeNow(now);
  }

  current(): ShadowStatus | undefined {
    return this.report;
  }

  /** Computes the report for the window ending at `now` and keeps it. Never rejects. */
  computeNow(now: Date): Promise<ShadowStatus> {
    if (this.running) return this.running;
    this.lastStartMs = now.getTime();
    this.running = this.compute(now)
      .catch((err: unknown): ShadowStatus => {
        const msg = err instanceof Error ? err.message : String(err);
        this.o.logger.warn({ err: msg }, 'shadow counterfactual failed');
        return { ...this.empty(now.getTime(), now.getTime()), reason: `counterfactual failed: ${msg}` };
      })
      .then((r) => { this.report = r; return r; })
      .finally(() => { this.running = undefined; });
    return this.running;
  }

  private binMs(): number {
    return Math.round(1000 * (this.o.binSeconds ?? Math.min(60, Math.max(1, Math.round(this.o.intervalSeconds)))));
  }

  private empty(sinceMs: number, untilMs: number): ShadowStatus {
    return {
      since: new Date(sinceMs).toISOString(), until: new Date(untilMs).toISOString(), sloSeconds: this.o.sloSeconds,
      sloTarget: this.o.sloTarget, series: [],
      note: 'Shadow mode observes a fleet scaled by something else and never acts. The counterfactual replays the observed arrivals ' +
        'through the simulator with our policy.',
    };
  }

  private async compute(now: Date): Promise<ShadowStatus> {
    const binMs = this.binMs();
    const untilMs = Math.floor(now.getTime() / binMs) * binMs;
    const intervalMs = this.o.intervalSeconds * 1000;
    const page = await this.o.ticks.tickHistory({
      mode: 'shadow', fromMs: untilMs - (this.o.maxWindowMs ?? 86_400_000), toMs: untilMs, maxPoints: 2000, maxMarkers: 0,
    });
    const points = contiguousTail(page.points, page.bucketMs + 5 * intervalMs);
    const first = points[0];
    const sinceMs = first === undefined ? untilMs : Math.ceil(first.at / binMs) * binMs;
    const base = this.empty(sinceMs, untilMs);
    if (untilMs - sinceMs < 2 * binMs) return { ...base, reason: `collecting: the comparison starts after ${2 * binMs / 1000} s of observation` };

    const since = new Date(sinceMs);
    const until = new Date(untilMs);
    const outcomes = await this.o.jobs.turnaround(since, until, this.o.sloSeconds, 'enqueued');
    if (outcomes.serviceMeanSeconds === undefined || outcomes.completed < 2) {
      return { ...base, reason: 'waiting for completed jobs: the simulation uses their measured processing time' };
    }
    const judged = outcomes.completed + outcomes.deadLettered + outcomes.lateUnfinished;
    const observed = observedFleet(points, sinceMs, untilMs, page.bucketMs + 2 * intervalMs, this.o.config.costConfig.costPerWorkerHour);
    const observedFigures: ShadowFleetFigures = {
      ...observed, jobs: judged, sloAttainment: judged > 0 ? outcomes.withinSlo / judged : 1,
      ...(outcomes.p95Seconds !== undefined ? { p95Seconds: outcomes.p95Seconds } : {}),
    };

    const replay = await replayArrivals(this.o.jobs, { fromMs: sinceMs, toMs: untilMs, binMs });
    const serviceTimeSeconds = round4(outcomes.serviceMeanSeconds);
    const serviceCv = round4(outcomes.serviceCv ?? 0);
    const c = this.o.config;
    const seed = this.o.seed ?? 1;
    const started = performance.now();
    const sim = await this.runner.run({
      startMs: replay.startMs, binMs, counts: replay.counts, config: c, metricsWindowMinutes: this.o.metricsWindowMinutes,
      intervalSeconds: this.o.intervalSeconds, serviceTimeSeconds, serviceCv, startupSeconds: c.workerStartupSeconds,
      sloSeconds: this.o.sloSeconds, sloTarget: this.o.sloTarget, seed, maxWorkers: c.maxWorkers,
    });
    const simulationMs = Math.round(performance.now() - started);
    const s = sim.summary;
    const counterfactual = {
      cost: s.cost, workerHours: s.workerHours, meanWorkers: s.meanWorkers, peakWorkers: s.peakWorkers, jobs: s.jobs,
      sloAttainment: s.sloAttainment, p95Seconds: s.latencySeconds.p95, scaleActions: s.scaleActions,
    };
    return {
      ...base,
      computedAt: now.toISOString(),
      observed: observedFigures,
      counterfactual,
      costDifference: counterfactual.cost - observedFigures.cost,
      settings: {
        binSeconds: binMs / 1000, serviceTimeSeconds, serviceCv, startupSeconds: c.workerStartupSeconds, intervalSeconds: this.o.intervalSeconds,
        minWorkers: sim.minWorkers, maxWorkers: c.maxWorkers, seed, jobs: s.jobs,
      },
      reproduce: this.reproduce(since, until, binMs, serviceTimeSeconds, serviceCv),
      series: series(points, sim.workerLog, sinceMs, untilMs),
      note: `${s.jobs} jobs that arrived between ${since.toISOString()} and ${until.toISOString()} replayed through the simulator with our ` +
        `policy (your config, budgets enforced, ${c.workerStartupSeconds} s worker start-up); processing time measured from the ` +
        `${outcomes.completed} completed jobs: mean ${serviceTimeSeconds} s, cv ${serviceCv}. Observed cost: the fleet the ticks saw, ` +
        'over the window; the simulation bills until its last job ends. Jobs still younger than the SLO are not judged on the observed side.',
      simulationMs,
      simulationThread: sim.thread,
    };
  }

  private reproduce(since: Date, until: Date, binMs: number, serviceTime: number, serviceCv: number): string {
    const c = this.o.config;
    const db = this.o.databasePath ?? 'DATABASE';
    return [
      `bountybot replay --db ${db} --since ${since.toISOString()} --until ${until.toISOString()} --bin-seconds ${binMs / 1000} --out shadow-trace.csv`,
      `bountybot simulate --trace shadow-trace.csv --policy bountybot${this.o.configPath ? ` --config ${this.o.configPath}` : ''} ` +
        `--service-time ${serviceTime} --service-cv ${serviceCv} --startup-seconds ${c.workerStartupSeconds} ` +
        `--interval-seconds ${this.o.intervalSeconds} --slo-seconds ${this.o.sloSeconds} --slo-target ${this.o.sloTarget} ` +
        `--max-workers ${c.maxWorkers} --enforce-budgets --seed ${this.o.seed ?? 1}`,
    ].join(' && ');
  }
}

/** The points after the last gap longer than `maxGapMs` (the shadow controller was down): the window compared. */
export function contiguousTail(points: readonly TickPoint[], maxGapMs: number): TickPoint[] {
  let start = 0;
  for (let i = 1; i < points.length; i++) {
    if ((points[i]?.at ?? 0) - (points[i - 1]?.at ?? 0) > maxGapMs) start = i;
  }
  return points.slice(start);
}

/** The observed fleet over [since, until): paid workers (cost per hour ÷ price) integrated between ticks. */
export function observedFleet(
  points: readonly TickPoint[], sinceMs: number, untilMs: number, maxStepMs: number, costPerWorkerHour: number,
): Pick<ShadowFleetFigures, 'cost' | 'workerHours' | 'meanWorkers' | 'peakWorkers'> {
  let workerMs = 0;
  let peak = 0;
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    if (p === undefined || p.at >= untilMs) break;
    const next = points[i + 1]?.at ?? untilMs;
    const from = Math.max(p.at, sinceMs);
    const to = Math.min(next, untilMs, p.at + maxStepMs);
    const paid = costPerWorkerHour > 0 && p.costPerHour !== undefined ? p.costPerHour / costPerWorkerHour : (p.provisioned ?? 0) + (p.draining ?? 0);
    if (to > from) workerMs += paid * (to - from);
    if (p.at >= sinceMs) peak = Math.max(peak, p.provisioned ?? 0);
  }
  const workerHours = workerMs / 3_600_000;
  return { cost: workerHours * costPerWorkerHour, workerHours, meanWorkers: workerMs / Math.max(1, untilMs - sinceMs), peakWorkers: peak };
}

/** Provisioned workers of the simulated run at `t` ms after its start. */
function provisionedAt(log: WorkerLog, t: number): number {
  let lo = 0;
  let hi = log.length - 1;
  if (hi < 0 || t < (log.timeMs[0] ?? 0)) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((log.timeMs[mid] ?? 0) <= t) lo = mid; else hi = mid - 1;
  }
  return log.provisioned[lo] ?? 0;
}

function series(points: readonly TickPoint[], log: WorkerLog | undefined, sinceMs: number, untilMs: number): ShadowStatus['series'] {
  const out: ShadowStatus['series'] = [];
  const step = Math.max(1, Math.ceil((untilMs - sinceMs) / SERIES_POINTS));
  let j = 0;
  for (let t = sinceMs; t < untilMs; t += step) {
    while (j + 1 < points.length && (points[j + 1]?.at ?? Infinity) <= t) j++;
    const p = points[j];
    out.push({
      at: t,
      observed: p !== undefined && p.at <= t ? p.provisioned ?? null : null,
      counterfactual: log ? provisionedAt(log, t - sinceMs) : null,
    });
  }
  return out;
}
