/**
 * Runs policies on one workload: builds the jobs once (common random numbers), derives the
 * settings every policy shares, and simulates each policy (searches simulate several times).
 *
 * Rules the simulator applies to the user's config (documented in `bountybot simulate --help`):
 * - maxWorkers for every autoscaler = `--max-workers`, else max(config max_workers,
 *   ceil(2 × offered load of the busiest bin)), so no policy is capped below what the trace needs;
 * - budgets (hourly/daily/monthly) are lifted out of reach unless `--enforce-budgets`: the seed's
 *   $10/h would otherwise cap the fleet at 5 workers whatever the load;
 * - the engine's workerStartupSeconds is set to the simulated start-up time;
 * - the engine gets the scoring SLO as its sloSeconds / sloTarget when it declares those keys and
 *   the user's file does not set them (engine-slo.ts).
 * Every whole-trace run is also scored on the second half of the trace; tuned baselines are also
 * tuned on the first half (out of sample) unless `outOfSample: false`.
 */
import { resolveScalingConfig, type ScalingConfig } from '../autoscaling/scaling-config.js';
import type { Clock } from '../autoscaling/types.js';
import { engineConfigForSlo } from './engine-slo.js';
import { searchFixedPeak } from './policies/fixed-peak.js';
import { engineDefinition, findPolicy } from './policies/registry.js';
import type { EngineSetup, PolicyPlan, PolicyRunContext, SimPolicyDefinition, SimulateLimits } from './policy-context.js';
import { Simulator } from './simulator.js';
import { busyHoursFrom, splitPointMs, workloadBefore } from './split.js';
import type { ScaleDownMode, SimulationResult, SimulationRun, SimulationSettings } from './types.js';
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
  scaleDown: 'drain' as ScaleDownMode,
  graceSeconds: 30,
  /** Share of the trace the out-of-sample figures train on. */
  trainFraction: 0.5,
});

/** A budget no simulated fleet reaches (budgets must stay finite numbers). */
export const UNBOUNDED_BUDGET = 1e12;

/** An A/B variant of our engine: another config, run as a policy named `label`. */
export interface EngineVariant {
  label: string;
  config: ScalingConfig;
  /** camelCase engine keys its file sets explicitly (those SLO keys are kept). */
  explicitKeys?: ReadonlySet<string>;
}

export interface SimulationRequest {
  trace: Trace;
  /** Policy names (or variant labels), run in this order. */
  policies: readonly string[];
  /** The user's resolved config (defaults: the seed's). */
  config: ScalingConfig;
  /** camelCase engine keys the user's config file sets explicitly (those SLO keys are kept). */
  explicitKeys?: ReadonlySet<string>;
  /** A/B: more engine configs; their labels may appear in `policies`. */
  variants?: readonly EngineVariant[];
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
  scaleDown?: ScaleDownMode;
  graceSeconds?: number;
  /** Tuned baselines also tuned on the first half and scored on the second. Default true. */
  outOfSample?: boolean;
  /** Where the "first half" ends, as a share of the trace (a bin boundary near it). Default 0.5. */
  trainFraction?: number;
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

/** Builds the workload and the settings every policy shares. */
export function prepareSimulation(req: Omit<SimulationRequest, 'policies'>): { workload: Workload; settings: SimulationSettings } {
  const d = SIM_DEFAULTS;
  const workload = buildWorkload(req.trace, {
    ...(req.scale !== undefined ? { scale: req.scale } : {}),
    ...(req.peakLoad !== undefined ? { peakLoad: req.peakLoad } : {}),
    serviceTimeSeconds: req.serviceTimeSeconds ?? d.serviceTimeSeconds,
    serviceCv: req.serviceCv ?? d.serviceCv,
    seed: req.seed ?? d.seed,
  });
  const maxWorkers = req.maxWorkers ?? workloadMaxWorkers(req.config.maxWorkers, workload);
  const sloTarget = req.sloTarget ?? d.sloTarget;
  const trainFraction = req.trainFraction ?? d.trainFraction;
  if (!(trainFraction > 0 && trainFraction < 1)) throw new WorkloadError(`--train-fraction must be in (0, 1); got ${String(trainFraction)}`);
  if (!(sloTarget > 0 && sloTarget <= 1)) throw new WorkloadError(`--slo-target must be in (0, 1]; got ${String(sloTarget)}`);
  const settings: SimulationSettings = {
    seed: req.seed ?? d.seed,
    startupSeconds: positive('--startup-seconds', req.startupSeconds ?? d.startupSeconds, true),
    intervalSeconds: positive('--interval-seconds', req.intervalSeconds ?? d.intervalSeconds),
    sloSeconds: positive('--slo-seconds', req.sloSeconds ?? d.sloSeconds),
    sloTarget,
    metricsWindowMinutes: positive('metrics_window_minutes', req.metricsWindowMinutes ?? 5),
    costPerWorkerHour: req.config.costConfig.costPerWorkerHour,
    maxWorkers,
    minWorkers: Math.min(req.config.minWorkers, maxWorkers),
    enforceBudgets: req.enforceBudgets ?? false,
    scaleDown: req.scaleDown ?? d.scaleDown,
    graceSeconds: positive('--grace-seconds', req.graceSeconds ?? d.graceSeconds, true),
    secondHalfFromSeconds: splitPointMs(workload.trace, trainFraction) / 1000,
  };
  return { workload, settings };
}

/** The engine setups of a request: the user's config and each A/B variant, SLO keys handed over. */
function engineSetups(req: SimulationRequest, settings: SimulationSettings): Map<string, EngineSetup> {
  const slo = { sloSeconds: settings.sloSeconds, sloTarget: settings.sloTarget };
  const setups = new Map<string, EngineSetup>();
  setups.set('', engineConfigForSlo(simulationConfig(req.config, settings), slo, req.explicitKeys));
  for (const v of req.variants ?? []) {
    // Billing uses the request's price; the variant's engine sees that same price.
    const priced = { ...v.config, costConfig: { ...v.config.costConfig, costPerWorkerHour: settings.costPerWorkerHour } };
    setups.set(v.label, engineConfigForSlo(simulationConfig(priced, settings), slo, v.explicitKeys));
  }
  return setups;
}

export async function runSimulation(req: SimulationRequest): Promise<SimulationResult> {
  const { workload, settings } = prepareSimulation(req);
  const config = simulationConfig(req.config, settings);
  const setups = engineSetups(req, settings);
  const runs: SimulationRun[] = [];
  const shared = new Map<string, Promise<SimulationRun>>();
  for (let i = 0; i < req.policies.length; i++) {
    const name = req.policies[i] ?? '';
    const variant = setups.get(name);
    const def: SimPolicyDefinition | undefined = variant !== undefined && name !== ''
      ? engineDefinition(name, `ours with the config ${name.slice(name.indexOf('@') + 1)} (A/B)`)
      : findPolicy(name);
    if (!def) throw new WorkloadError(`unknown policy "${name}"`);
    const engine = variant ?? setups.get('') as EngineSetup;
    const ctx = makeContext({ workload, settings, config, engine, req, shared, whole: true }, (f) => req.onProgress?.(i, f));
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
  const price = settings.costPerWorkerHour;
  const busy = busyHoursFrom(workload);
  const busyHalf = busyHoursFrom(workload, settings.secondHalfFromSeconds * 1000);
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
    floor: { busyWorkerHours: busy, cost: busy * price },
    secondHalfFloor: { busyWorkerHours: busyHalf, cost: busyHalf * price },
  };
}

interface ContextParts {
  workload: Workload;
  settings: SimulationSettings;
  config: ScalingConfig;
  engine: EngineSetup;
  req: SimulationRequest;
  /** Searches run once per context (`once`, fixed-peak). */
  shared: Map<string, Promise<SimulationRun>>;
  /** The whole trace (runs are also scored on the second half), or its first half. */
  whole: boolean;
}

/** A policy's view of one simulation request (see PolicyRunContext). */
export function makeContext(parts: ContextParts, onProgress: (fraction: number) => void): PolicyRunContext {
  const { workload, settings, req, shared } = parts;
  const load0 = initialOfferedLoad(workload);
  const scoreFromMs = parts.whole ? settings.secondHalfFromSeconds * 1000 : undefined;
  let half: PolicyRunContext | undefined;
  const ctx: PolicyRunContext = {
    workload,
    settings,
    config: parts.config,
    engine: parts.engine,
    fixedWorkers: req.fixedWorkers,
    fixedPeak: () => ctx.once('fixed-peak search', () => searchFixedPeak(ctx)),
    once(key, make) {
      let p = shared.get(key);
      if (p === undefined) {
        p = make();
        shared.set(key, p);
      }
      return p;
    },
    warmStart: (min, max) => Math.max(min, Math.min(max, Math.ceil(load0 - 1e-9))),
    firstHalf() {
      if (!parts.whole || req.outOfSample === false) return undefined;
      half ??= makeContext({ ...parts, workload: workloadBefore(workload, settings.secondHalfFromSeconds * 1000), shared: new Map(), whole: false }, onProgress);
      return half;
    },
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
        scaleDown: settings.scaleDown,
        graceSeconds: settings.graceSeconds,
        ...(scoreFromMs !== undefined ? { scoreFromMs } : {}),
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
