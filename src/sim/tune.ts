/**
 * `bountybot tune`: searches a few of the engine's knobs on the first part of a trace (the
 * history), then validates on the rest: the tuned config, the default config (and the user's base
 * config) and `hpa-tuned` tuned on the same history, all run on the whole trace and scored on the
 * held-out part only.
 *
 * Search: coordinate descent from the base config. Each pass tries every knob's candidate values
 * one at a time and keeps a value when the run meets the SLO target on the history and costs less
 * (an infeasible incumbent is replaced by anything with better attainment). A candidate stops as
 * soon as it can no longer meet the SLO or can no longer be cheaper. Passes repeat while something
 * improved, at most `maxPasses`, and never beyond `maxSimulations`.
 */
import { resolveScalingConfig, type ScalingConfig } from '../autoscaling/scaling-config.js';
import { engineConfigForSlo } from './engine-slo.js';
import { allowedMisses, meetsSlo, type PolicyRunContext } from './policy-context.js';
import { hpaTunedOutOfSample } from './policies/hpa-tuned.js';
import { enginePlan } from './policies/registry.js';
import { makeContext, prepareSimulation, simulationConfig, type SimulationRequest } from './run.js';
import type { SimulationRun, SimulationSettings, WindowSummary, WorkloadInfo } from './types.js';
import { busyHoursFrom } from './split.js';

/** One engine setting the tuner may change; add a row to tune another. */
export interface TuneKnob {
  /** ScalingConfig key (camelCase). */
  key: keyof ScalingConfig & string;
  /** The key in the YAML's `autoscaling:` section. */
  yaml: string;
  /** Values to try, given the SLO. */
  candidates(sloSeconds: number): number[];
}

const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * The knobs, in the order tried. The SLO itself is not tuned: when the engine declares its SLO
 * keys they are set from --slo-seconds / --slo-target (engine-slo.ts) and written out.
 */
export const TUNE_KNOBS: readonly TuneKnob[] = [
  { key: 'cooldownMinutes', yaml: 'cooldown_minutes', candidates: () => [0.25, 0.5, 1, 2, 5] },
  { key: 'scaleDownStabilizationSeconds', yaml: 'scale_down_stabilization_seconds', candidates: () => [0, 30, 60, 120, 300] },
  { key: 'targetWaitSeconds', yaml: 'target_wait_seconds', candidates: (slo) => [0.1, 0.25, 0.5, 0.75].map((f) => round(f * slo)) },
  { key: 'waitPercentile', yaml: 'wait_percentile', candidates: () => [0.8, 0.9, 0.95, 0.99] },
  { key: 'maxUtilization', yaml: 'max_utilization', candidates: () => [0.8, 0.9, 0.95, 1] },
  { key: 'backlogDrainSeconds', yaml: 'backlog_drain_seconds', candidates: (slo) => [0.5, 1, 2].map((f) => round(f * slo)) },
];

export interface TuneRequest extends Omit<SimulationRequest, 'policies' | 'variants' | 'outOfSample'> {
  /** Share of the trace to tune on (a bin boundary near it). Default 0.5. */
  trainFraction?: number;
  /** Most training simulations. Default 48. */
  maxSimulations?: number;
  /** Most coordinate-descent passes. Default 2. */
  maxPasses?: number;
  /** After each simulation: done so far and the most there can be (training + validation). */
  onProgress?: (done: number, planned: number) => void;
}

export interface TuneStep {
  knob: string;
  value: number;
  cost: number;
  sloAttainment: number;
  aborted?: 'slo' | 'cost';
  kept: boolean;
}

export interface HeldOutRow {
  label: string;
  /** The settings that differ from the default config (yaml keys), or a tuned baseline's parameters. */
  params: Record<string, number>;
  heldOut: WindowSummary;
}

export interface TuneResult {
  workload: WorkloadInfo;
  settings: SimulationSettings;
  /** The tuned config (base + the values kept). */
  config: ScalingConfig;
  /** Knobs whose value changed: yaml key → [base value, tuned value]. */
  changes: Record<string, [number, number]>;
  /** Knobs not tuned, with the reason. */
  skipped: Record<string, string>;
  trainedUntilSeconds: number;
  steps: TuneStep[];
  trainingSimulations: number;
  passes: number;
  /** Training figures of the base and the tuned config (first part only). */
  train: { base: SimulationRun['summary']; tuned: SimulationRun['summary'] };
  /** Held-out rows: default config, base config (when --config), tuned, hpa-tuned tuned on the same history. */
  heldOut: HeldOutRow[];
  heldOutFloorCost: number;
  validationSimulations: number;
}

function better(a: SimulationRun, b: SimulationRun, target: number): boolean {
  const fa = meetsSlo(a, target);
  const fb = meetsSlo(b, target);
  if (fa !== fb) return fa;
  return fa ? a.summary.cost < b.summary.cost : a.summary.sloAttainment > b.summary.sloAttainment;
}

export async function tuneEngine(req: TuneRequest): Promise<TuneResult> {
  const { workload, settings } = prepareSimulation({ ...req, trainFraction: req.trainFraction ?? 0.5 });
  const maxSims = req.maxSimulations ?? 48;
  const maxPasses = req.maxPasses ?? 2;
  const slo = { sloSeconds: settings.sloSeconds, sloTarget: settings.sloTarget };
  const shared = new Map<string, Promise<SimulationRun>>();
  const base = simulationConfig(req.config, settings);
  const whole = makeContext({
    workload, settings, config: base, engine: engineConfigForSlo(base, slo, req.explicitKeys), req: { ...req, policies: [] }, shared, whole: true,
  }, () => {});
  const train = whole.firstHalf() as PolicyRunContext;
  const validationPlanned = 4;
  let done = 0;
  const tick = (): void => req.onProgress?.(++done, maxSims + validationPlanned);
  const run = async (ctx: PolicyRunContext, config: ScalingConfig, limits = {}): Promise<SimulationRun> => {
    const prepared = engineConfigForSlo(simulationConfig(config, settings), slo, req.explicitKeys).config;
    const r = await ctx.simulate(enginePlan(ctx, prepared, 'bountybot'), limits);
    tick();
    return r;
  };

  const skipped: Record<string, string> = {};
  const knobs = TUNE_KNOBS.filter((k) => {
    const perDirection = k.key === 'cooldownMinutes' && (req.config.scaleUpCooldownMinutes !== undefined || req.config.scaleDownCooldownMinutes !== undefined);
    if (perDirection) skipped[k.yaml] = 'the base config sets scale_up/scale_down_cooldown_minutes, which override it';
    return !perDirection;
  });
  let incumbent: ScalingConfig = req.config;
  let incumbentRun = await run(train, incumbent);
  const baseRun = incumbentRun;
  let sims = 1;
  const steps: TuneStep[] = [];
  let passes = 0;
  for (let pass = 0; pass < maxPasses && sims < maxSims; pass++) {
    passes++;
    let improved = false;
    for (const knob of knobs) {
      for (const value of knob.candidates(settings.sloSeconds)) {
        if (sims >= maxSims) break;
        if (incumbent[knob.key] === value) continue;
        let candidate: ScalingConfig;
        try {
          candidate = resolveScalingConfig({ ...incumbent, [knob.key]: value });
        } catch {
          continue; // not a valid combination with the rest of the config
        }
        const feasible = meetsSlo(incumbentRun, settings.sloTarget);
        const limits = feasible
          ? { maxMisses: allowedMisses(train.workload.jobs, settings.sloTarget), maxWorkerSeconds: incumbentRun.summary.workerHours * 3600 }
          : {};
        const r = await run(train, candidate, limits);
        sims++;
        const kept = r.aborted === undefined && better(r, incumbentRun, settings.sloTarget);
        steps.push({
          knob: knob.yaml, value, cost: r.summary.cost, sloAttainment: r.summary.sloAttainment,
          ...(r.aborted ? { aborted: r.aborted } : {}), kept,
        });
        if (kept) {
          incumbent = candidate;
          incumbentRun = r;
          improved = true;
        }
      }
    }
    if (!improved) break;
  }

  // Validation: whole trace, scored on the held-out part.
  const heldOut: HeldOutRow[] = [];
  const changes: Record<string, [number, number]> = {};
  for (const k of knobs) {
    const from = req.config[k.key] as number;
    const to = incumbent[k.key] as number;
    if (from !== to) changes[k.yaml] = [from, to];
  }
  const defaults = resolveScalingConfig({ costConfig: { costPerWorkerHour: req.config.costConfig.costPerWorkerHour } });
  const diff = (c: ScalingConfig): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const k of TUNE_KNOBS) if (c[k.key] !== defaults[k.key]) out[k.yaml] = c[k.key] as number;
    return out;
  };
  let validation = 0;
  const score = async (label: string, config: ScalingConfig): Promise<void> => {
    const r = await run(whole, config);
    validation++;
    if (r.secondHalf) heldOut.push({ label, params: diff(config), heldOut: r.secondHalf });
  };
  await score('default config', defaults);
  if (req.explicitKeys !== undefined && req.explicitKeys.size > 0) await score('base config (--config)', req.config);
  await score('tuned config', incumbent);
  const hpa = await hpaTunedOutOfSample(whole);
  if (hpa) {
    validation += hpa.simulations;
    heldOut.push({ label: 'hpa-tuned (tuned on the same history)', params: hpa.params, heldOut: hpa.heldOut });
  }
  req.onProgress?.(maxSims + validationPlanned, maxSims + validationPlanned);

  const t = workload.trace;
  return {
    workload: {
      source: t.source, start: new Date(t.startMs).toISOString(), binSeconds: t.binSeconds, durationSeconds: t.endMs / 1000,
      scale: workload.scale, jobs: workload.jobs, serviceTimeSeconds: workload.serviceTimeSeconds, serviceCv: workload.serviceCv,
      peakHourLoad: workload.peakHourLoad, peakBinLoad: workload.peakBinLoad,
    },
    settings,
    config: incumbent,
    changes,
    skipped,
    trainedUntilSeconds: settings.secondHalfFromSeconds,
    steps,
    trainingSimulations: sims,
    passes,
    train: { base: baseRun.summary, tuned: incumbentRun.summary },
    heldOut,
    heldOutFloorCost: busyHoursFrom(workload, settings.secondHalfFromSeconds * 1000) * settings.costPerWorkerHour,
    validationSimulations: validation,
  };
}
