/**
 * What a simulated policy gets: the prepared workload, the settings, the config the simulator
 * hands to policies, and a way to simulate a plan (searches simulate many).
 */
import type { ScalingPolicy } from '../control/interfaces.js';
import type { ScalingConfig } from '../autoscaling/scaling-config.js';
import type { Clock } from '../autoscaling/types.js';
import type { EngineSlo, SimulationRun, SimulationSettings } from './types.js';
import type { Workload } from './workload.js';

export interface PolicyPlan {
  policy: ScalingPolicy;
  /** Workers running and ready at time 0 (every policy starts warm; see `warmStart`). */
  initialWorkers: number;
  params?: Record<string, number>;
}

export interface SimulateLimits {
  /** Abort once more jobs than this are certain to miss the SLO. */
  maxMisses?: number;
  /** Abort once paid worker-seconds exceed this. */
  maxWorkerSeconds?: number;
}

/** Our engine's config for one run: the user's (or an A/B variant's) with the SLO handed over. */
export interface EngineSetup {
  config: ScalingConfig;
  engineSlo: EngineSlo;
}

export interface PolicyRunContext {
  workload: Workload;
  settings: SimulationSettings;
  /**
   * The user's config as the simulator applies it: maxWorkers = settings.maxWorkers, budgets
   * lifted unless settings.enforceBudgets, workerStartupSeconds = the simulated start-up.
   */
  config: ScalingConfig;
  /** What `bountybot` runs: `config` plus the SLO keys (see engine-slo.ts). */
  engine: EngineSetup;
  /** N for the `fixed` policy when given (--fixed-workers or the scenario's fleet). */
  fixedWorkers: number | undefined;
  /** The `fixed-peak` search, run at most once per simulation request and shared. */
  fixedPeak(): Promise<SimulationRun>;
  /** Runs `make` once per request and context (whole trace, first half) under `key`; later calls share it. */
  once(key: string, make: () => Promise<SimulationRun>): Promise<SimulationRun>;
  /**
   * Simulates the plan built by `build`. `clock` reads the simulation time (for policies that
   * take a Clock); it is valid during the simulation only. Runs on the whole trace also carry
   * `secondHalf` (the same run scored from settings.secondHalfFromSeconds).
   */
  simulate(build: (clock: Clock) => PolicyPlan, limits?: SimulateLimits): Promise<SimulationRun>;
  /** Warm-start fleet: ceil(offered load of the first bin), within [min, max]. */
  warmStart(min: number, max: number): number;
  /**
   * The same context on the first half of the trace only (for out-of-sample tuning), or undefined
   * when out-of-sample figures are off or this already is the first half.
   */
  firstHalf(): PolicyRunContext | undefined;
}

export interface SimPolicyDefinition {
  name: string;
  description: string;
  /** Uses knowledge no real controller has (zero-wait). */
  reference?: boolean;
  run(ctx: PolicyRunContext): Promise<SimulationRun>;
}

/** Most SLO misses a run may have and still reach `sloTarget` attainment. */
export function allowedMisses(jobs: number, sloTarget: number): number {
  return jobs - Math.ceil(sloTarget * jobs - 1e-9);
}

export function meetsSlo(run: SimulationRun, sloTarget: number): boolean {
  return run.aborted === undefined && run.summary.jobs - Math.round(run.summary.sloAttainment * run.summary.jobs) <= allowedMisses(run.summary.jobs, sloTarget);
}
