/**
 * What the dashboard reads beside the loop, built from the config: the objectives its charts
 * draw lines at, and the tick recorder that keeps one history sample per evaluation.
 */
import type { AutoscalingConfig } from '../config/load.js';
import type { BudgetStatus } from '../autoscaling/types.js';
import type { ControllerMode, TickHistory } from '../control/interfaces.js';
import type { JobHistory, Logger } from '../control/ports.js';
import type { Objectives } from '../control/runtime-api.js';
import { TickRecorder } from '../control/tick-recorder.js';
import { ShadowAnalyzer } from '../sim/shadow.js';

/** The end-to-end objective until the config carries one (the simulator's defaults). */
export const DEFAULT_SLO = Object.freeze({ seconds: 120, target: 0.99 });

/** Config fields that may carry the SLO (the keys `slo_seconds` / `slo_target`, once the config has them). */
interface MaybeSlo { sloSeconds?: unknown; sloTarget?: unknown }

export function objectivesOf(config: AutoscalingConfig): Objectives {
  const s = config.scaling;
  const slo = { ...(config as unknown as MaybeSlo), ...(s as unknown as MaybeSlo) };
  const sloSeconds = typeof slo.sloSeconds === 'number' ? slo.sloSeconds : undefined;
  const sloTarget = typeof slo.sloTarget === 'number' ? slo.sloTarget : undefined;
  return {
    targetLatencySeconds: s.targetLatencySeconds,
    sloSeconds: sloSeconds ?? DEFAULT_SLO.seconds,
    sloTarget: sloTarget ?? DEFAULT_SLO.target,
    sloSource: sloSeconds !== undefined ? 'config' : 'default',
    alertThreshold: s.costConfig.alertThreshold,
    costPerWorkerHour: s.costConfig.costPerWorkerHour,
    evaluationIntervalSeconds: config.evaluationIntervalSeconds,
    minWorkers: s.minWorkers,
    maxWorkers: s.maxWorkers,
  };
}

export function createTickRecorder(opts: {
  history: TickHistory; jobs: JobHistory; mode: ControllerMode; config: AutoscalingConfig; objectives: Objectives;
  budget: () => BudgetStatus | undefined; logger: Logger;
}): TickRecorder {
  return new TickRecorder({
    history: opts.history, jobs: opts.jobs, mode: opts.mode, sloSeconds: opts.objectives.sloSeconds,
    windowMs: opts.config.metricsWindowMinutes * 60_000, costPerWorkerHour: opts.objectives.costPerWorkerHour,
    budget: opts.budget, logger: opts.logger,
  });
}

/** Shadow mode's knobs (command-line flags of `run`, not YAML keys). */
export interface ShadowSettings {
  /** Least time between two counterfactual computations, ms. Default 60 s. */
  recomputeMs?: number;
  /** Replay bin, seconds. Default: the evaluation interval within [1, 60]. */
  binSeconds?: number;
  /** Longest window compared, hours. Default 24. */
  maxWindowHours?: number;
  /** The config file, for the reproduce commands. */
  configPath?: string;
}

export function createShadowAnalyzer(opts: {
  history: TickHistory; jobs: JobHistory; config: AutoscalingConfig; objectives: Objectives;
  settings: ShadowSettings; databasePath: string; logger: Logger;
}): ShadowAnalyzer {
  const { settings: s, objectives: o } = opts;
  return new ShadowAnalyzer({
    jobs: opts.jobs, ticks: opts.history, config: opts.config.scaling,
    metricsWindowMinutes: opts.config.metricsWindowMinutes, intervalSeconds: opts.config.evaluationIntervalSeconds,
    sloSeconds: o.sloSeconds, sloTarget: o.sloTarget, databasePath: opts.databasePath, logger: opts.logger,
    ...(s.recomputeMs !== undefined ? { recomputeMs: s.recomputeMs } : {}),
    ...(s.binSeconds !== undefined ? { binSeconds: s.binSeconds } : {}),
    ...(s.maxWindowHours !== undefined ? { maxWindowMs: s.maxWindowHours * 3_600_000 } : {}),
    ...(s.configPath !== undefined ? { configPath: s.configPath } : {}),
  });
}
