/**
 * Runs policies on one workload: builds the jobs once (common random numbers), derives the
 * settings every policy shares, and simulates each policy (searches simulate several times).
 *
 * Rules the simulator applies to the user's config (documented in `bountybot simulate --help`):
 * - maxWorkers for every autoscaler = `--max-workers`, else max(config max_workers,
 *   ceil(2 × offered load of the busiest bin)), so no policy is capped below what the trace needs;
 * - budgets (hourly/daily/monthly) are lifted out of reach unless `--enforce-budgets`: the seed's
 *   $10/h would otherwise cap the fleet at 5 workers whatever the load;
 * - the engine's workerStartupSeconds is set to the simulated start-up time.
 */
import { resolveScalingConfig, type ScalingConfig } from '../autoscaling/scaling-config.js';
import type { Clock } from '../autoscaling/types.js';
import { searchFixedPeak } from './policies/fixed-peak.js';
import { findPolicy } from './policies/registry.js';
import type { PolicyPlan, PolicyRunContext, SimulateLimits } from './policy-context.js';
import { Simulator } from './simulator.js';
import type { SimulationResult, SimulationRun, SimulationSettings } from './types.js';
import { buildWorkload, initialOfferedLoad, WorkloadError, type Workload } from './workload.js';
import type { Trace } from './trace.js';

export const SIM_DEFAULTS = Object.freeze({
  serviceTimeSeconds: 25,
  serviceCv: 0.5,
  startupSeconds: 60,
  intervalSeconds: 15,
  sloSeconds: 120,
  sloTarget: 0.99,
  seed: 1,
});

/** A budget no simulated fleet reaches (budgets must stay finite numbers). */
export const UNBOUNDED_BUDGET = 1e12;

export interface SimulationRequest {
  trace: Trace;
  /** Policy names, run in this order. */
  policies: readonly string[];
  /** The user's resolved config (defaults: the seed's). */
  config: ScalingConfig;
  metricsWindowMinutes?: number;
  scale?: number;
  peakLoad?: number;
  serviceTimeSeconds?: number;
  serviceCv?: number;
  startupSeconds?: number;
  intervalSeconds?: number;
  sloSeconds?: number;
  sloTarget?: number;
  seed?: number;
  /** N for `fixed` (--fixed-workers or the scenario's fleet); default fixed-peak's N. */
  fixedWorkers?: number;
  /** Overrides the workload-derived fleet cap. */
  maxWorkers?: number;
  enforceBudgets?: boolean;
  recordJobs?: boolean;
  recordWorkerLog?: boolean;
  /** Progress of policy `index` (0-based) of `policies`: fraction of its current simulation. */
  onProgress?: (index: number, fraction: number) => void;
}

/** Fleet cap derived from the workload: see the module comment. */
export function workloadMaxWorkers(configMax: number, w: Workload): number {
  return Math.max(configMax, Math.ceil(2 * w.peakBinLoad - 1e-9), 1);
}

export function simulationConfig(config: ScalingConfig, settings: SimulationSettings): ScalingConfig {
  const budgets = settings.enforceBudgets
    ? {}
    : { hourlyBudget: UNBOUNDED_BUDGET, dailyBudget: UNBOUNDED_BUDGET, monthlyBudget: UNBOUNDED_BUDGET };
  return resolveScalingConfig({
    ...config,
    minWorkers: Math.min(config.minWorkers, settings.maxWorkers),
    maxWorkers: settings.maxWorkers,
    workerStartupSeconds: settings.startupSeconds,
    costConfig: { ...config.costConfig, ...budgets },
  });
}

function positive(name: string, v: number, allowZero = false): number {
  if (!Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
    throw new WorkloadError(`${name} must be a number ${allowZero ? '>= 0' : '> 0'}; got ${String(v)}`);
  }
  return v;
}

export async function runSimulation(req: SimulationRequest): Promise<SimulationResult> {
  const d = SIM_DEFAULTS;
  const serviceTimeSeconds = req.serviceTimeSeconds ?? d.serviceTimeSeconds;
  const workload = buildWorkload(req.trace, {
    ...(req.scale !== undefined ? { scale: req.scale } : {}),
    ...(req.peakLoad !== undefined ? { peakLoad: req.peakLoad } : {}),
    serviceTimeSeconds,
    serviceCv: req.serviceCv ?? d.serviceCv,
    seed: req.seed ?? d.seed,
  });
  const maxWorkers = req.maxWorkers ?? workloadMaxWorkers(req.config.maxWorkers, workload);
  const settings: SimulationSettings = {
    seed: req.seed ?? d.seed,
    startupSeconds: positive('--startup-seconds', req.startupSeconds ?? d.startupSeconds, true),
    intervalSeconds: positive('--interval-seconds', req.intervalSeconds ?? d.intervalSeconds),
    sloSeconds: positive('--slo-seconds', req.sloSeconds ?? d.sloSeconds),
    sloTarget: req.sloTarget ?? d.sloTarget,
    metricsWindowMinutes: positive('metrics_window_minutes', req.metricsWindowMinutes ?? 5),
    costPerWorkerHour: req.config.costConfig.costPerWorkerHour,
    maxWorkers,
    minWorkers: Math.min(req.config.minWorkers, maxWorkers),
    enforceBudgets: req.enforceBudgets ?? false,
  };
  const config = simulationConfig(req.config, settings);
  const runs: SimulationRun[] = [];
  const shared: SharedSearches = {};
  for (let i = 0; i < req.policies.length; i++) {
    const name = req.policies[i] ?? '';
    const def = findPolicy(name);
    if (!def) throw new WorkloadError(`unknown policy "${name}"`);
    const ctx = makeContext(workload, settings, config, req, shared, (f) => req.onProgress?.(i, f));
    const started = performance.now();
    const run = await def.run(ctx);
    runs.push({
      ...run,
      policy: def.name,
      description: def.description,
      summary: { ...run.summary, policy: def.name, ...(def.reference ? { reference: true } : {}) },
      wallMs: performance.now() - started,
    });
  }
  const t = workload.trace;
  return {
    workload: {
      source: t.source,
      start: new Date(t.startMs).toISOString(),
      binSeconds: t.binSeconds,
      durationSeconds: t.endMs / 1000,
      scale: workload.scale,
      jobs: workload.jobs,
      serviceTimeSeconds: workload.serviceTimeSeconds,
      serviceCv: workload.serviceCv,
      peakHourLoad: workload.peakHourLoad,
      peakBinLoad: workload.peakBinLoad,
    },
    settings,
    runs,
  };
}

interface SharedSearches {
  fixedPeak?: Promise<SimulationRun>;
}

function makeContext(
  workload: Workload, settings: SimulationSettings, config: ScalingConfig, req: SimulationRequest,
  shared: SharedSearches, onProgress: (fraction: number) => void,
): PolicyRunContext {
  const load0 = initialOfferedLoad(workload);
  const ctx: PolicyRunContext = {
    workload,
    settings,
    config,
    fixedWorkers: req.fixedWorkers,
    fixedPeak: () => (shared.fixedPeak ??= searchFixedPeak(ctx)),
    warmStart: (min, max) => Math.max(min, Math.min(max, Math.ceil(load0 - 1e-9))),
    async simulate(build: (clock: Clock) => PolicyPlan, limits: SimulateLimits = {}): Promise<SimulationRun> {
      let sim: Simulator | undefined;
      const clock: Clock = () => new Date(sim ? sim.nowEpochMs() : workload.trace.startMs);
      const plan = build(clock);
      sim = new Simulator({
        workload,
        policy: plan.policy,
        initialWorkers: plan.initialWorkers,
        startupSeconds: settings.startupSeconds,
        intervalSeconds: settings.intervalSeconds,
        sloSeconds: settings.sloSeconds,
        metricsWindowMinutes: settings.metricsWindowMinutes,
        costPerWorkerHour: settings.costPerWorkerHour,
        recordJobs: req.recordJobs ?? false,
        recordWorkerLog: req.recordWorkerLog ?? false,
        ...(limits.maxMisses !== undefined ? { maxMisses: limits.maxMisses } : {}),
        ...(limits.maxWorkerSeconds !== undefined ? { maxWorkerSeconds: limits.maxWorkerSeconds } : {}),
        onProgress,
      });
      const run = await sim.run();
      return plan.params ? { ...run, summary: { ...run.summary, params: plan.params } } : run;
    },
  };
  return ctx;
}
