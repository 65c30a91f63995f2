/**
 * Turns each tick into a history sample (TickSample) and appends it: the fleet, the observation,
 * the forecast the policy used, the spend per budget period and the SLO outcomes of the jobs
 * that ended since the previous tick. Never throws: a history that cannot be written must not
 * stop the controller.
 */
import type { BudgetStatus } from '../autoscaling/types.js';
import type { ControllerMode, TickHistory, TickHistoryPage, TickSample } from './interfaces.js';
import type { TickResult } from './loop.js';
import type { JobHistory, Logger } from './ports.js';

export interface TickRecorderOptions {
  history: TickHistory;
  mode: ControllerMode;
  /** Outcome counts and end-to-end percentiles; without it those fields stay empty. */
  jobs?: JobHistory;
  /** The latency objective the `withinSlo` counts use, seconds. */
  sloSeconds: number;
  /** Window of the end-to-end percentiles (the metrics window), ms. */
  windowMs: number;
  costPerWorkerHour: number;
  budget?: () => BudgetStatus | undefined;
  logger: Logger;
}

export class TickRecorder {
  private lastAt: Date | undefined;
  private resumed = false;
  private warned = false;

  constructor(private readonly o: TickRecorderOptions) {}

  /** Records `result`; `desired` is what the gates made of the policy's target. */
  async record(result: TickResult, desired: number | undefined): Promise<void> {
    try {
      const sample = await this.sample(result, desired);
      await this.o.history.appendTick(sample);
      this.lastAt = result.at;
      this.warned = false;
    } catch (err) {
      // Once per outage, not once per tick.
      if (!this.warned) this.o.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not record tick history');
      this.warned = true;
    }
  }

  private async sample(r: TickResult, desired: number | undefined): Promise<TickSample> {
    const o = r.observation;
    const d = r.decision;
    const f = r.fleet;
    const s: TickSample = {
      at: r.at, mode: this.o.mode, provisioned: f.provisioned, ready: f.ready, draining: f.draining, acted: r.applied !== undefined,
      costPerHour: (f.provisioned + f.draining) * this.o.costPerWorkerHour,
    };
    if (o) {
      Object.assign(s, {
        before: o.activeWorkers, queueDepth: o.queueDepth, arrivalsPerMinute: o.arrivalsPerMinute,
        completionsPerMinute: o.validationsPerMinute,
        ...(o.inFlight !== undefined ? { busy: o.inFlight } : {}),
        ...(o.oldestWaitSeconds !== undefined ? { oldestWaitSeconds: o.oldestWaitSeconds } : {}),
        ...(o.avgLatencySeconds > 0 ? { avgLatencySeconds: o.avgLatencySeconds } : {}),
        ...(o.p95LatencySeconds !== undefined ? { p95LatencySeconds: o.p95LatencySeconds } : {}),
      });
    }
    if (d) {
      s.target = d.targetWorkers;
      s.action = d.action;
      s.desired = desired ?? d.targetWorkers;
      if (d.forecast) {
        s.forecastPerMinute = d.forecast.arrivalsPerMinute;
        s.forecastHorizonMinutes = d.forecast.horizonMinutes;
      }
    }
    if (r.error !== undefined) s.error = r.error;
    const budget = safe(() => this.o.budget?.());
    if (budget) {
      Object.assign(s, {
        spendHourly: budget.hourly.current, spendDaily: budget.daily.current, spendMonthly: budget.monthly.current,
        projectedHourly: budget.hourly.projected, projectedDaily: budget.daily.projected, projectedMonthly: budget.monthly.projected,
      });
    }
    if (this.o.jobs) await this.addOutcomes(s, this.o.jobs, r.at);
    return s;
  }

  private async addOutcomes(s: TickSample, jobs: JobHistory, now: Date): Promise<void> {
    const { sloSeconds, windowMs } = this.o;
    const windowStart = new Date(now.getTime() - windowMs);
    if (!this.resumed) {
      // After a restart, count from the previous run's last sample: nothing twice, nothing skipped.
      this.lastAt = await this.o.history.lastTickAt(this.o.mode);
      this.resumed = true;
    }
    const since = this.lastAt ?? windowStart;
    const [win, interval] = await Promise.all([
      jobs.turnaround(windowStart, now, sloSeconds, 'ended'),
      jobs.turnaround(since, now, sloSeconds, 'ended'),
    ]);
    if (win.p50Seconds !== undefined) s.turnaroundP50Seconds = win.p50Seconds;
    if (win.p95Seconds !== undefined) s.turnaroundP95Seconds = win.p95Seconds;
    s.ended = interval.completed + interval.deadLettered;
    s.withinSlo = interval.withinSlo;
  }
}

function safe<T>(f: () => T): T | undefined {
  try { return f(); } catch { return undefined; }
}

/** The answer of a controller that keeps no history. */
export function emptyHistoryPage(r: { fromMs: number; toMs: number }): TickHistoryPage {
  return {
    fromMs: r.fromMs, toMs: r.toMs, bucketMs: r.toMs - r.fromMs, points: [], markers: [], totals: { samples: 0, ended: 0, withinSlo: 0, actions: 0 },
  };
}
