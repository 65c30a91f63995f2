/**
 * `hpa-tuned`: the `hpa` algorithm as a competent operator would tune it for this SLO, by search
 * with hindsight on this trace: the queue metric's target (AverageValue per pod: the largest that
 * still meets the SLO target is the cheapest) together with `behavior.scaleDown.
 * stabilizationWindowSeconds` in {0, 30, 60, 120, 300}; everything else is Kubernetes' default
 * behaviour (tolerance 0.1, scale-up max(+4 pods, +100 %) per 15 s, scale-down 100 % per 15 s).
 * The queue metric is the queue length as an External metric (waiting + in progress), which is
 * what an operator points the HPA at for a worker queue; the HPA then asks for
 * ceil(queue / target) pods. At the chosen window the seed manifest's three metrics (queue,
 * latency 30 s, CPU 70 %) are searched as well and kept if cheaper: the HPA takes the max across
 * metrics, so they can only add pods, and in practice never win.
 * Out of sample: the same search on the first half of the trace, those values run on the whole
 * trace and scored on the second half (`outOfSample`).
 */
import type { Clock } from '../../autoscaling/types.js';
import type { PolicyPlan, PolicyRunContext, SimPolicyDefinition } from '../policy-context.js';
import { meetsSlo } from '../policy-context.js';
import { searchLargestTarget, searchWindowsAndTarget, STABILIZATION_WINDOWS } from '../search.js';
import type { OutOfSample, SimulationRun } from '../types.js';
import { createHpaPolicy } from './hpa.js';

/**
 * Range of queue targets searched: 0.25 … max(20, 2 × SLO ÷ mean service time) jobs per worker
 * (beyond that each worker's own queue alone would exceed the SLO twice over).
 */
export function tuneRange(ctx: PolicyRunContext): { lo: number; hi: number; iterations: number } {
  return { lo: 0.25, hi: Math.max(20, (2 * ctx.settings.sloSeconds) / ctx.workload.serviceTimeSeconds), iterations: 8 };
}

/** The parameters a tuned HPA/KEDA run reports; the plan builders read them back. */
export interface TunedParams {
  queueTarget: number;
  stabilizationWindowSeconds: number;
  /** 1: the seed manifest's three metrics; absent or 0: queue only. */
  manifestMetrics?: number;
}

export function hpaTunedPlan(ctx: PolicyRunContext, p: TunedParams): (clock: Clock) => PolicyPlan {
  const c = ctx.config;
  const min = Math.max(1, c.minWorkers);
  const max = ctx.settings.maxWorkers;
  const manifest = p.manifestMetrics === 1;
  return () => ({
    policy: createHpaPolicy({
      name: 'hpa-tuned', minReplicas: min, maxReplicas: max, queueTarget: p.queueTarget, queueOnly: !manifest,
      latencyTargetSeconds: c.targetLatencySeconds, cpuTargetPercent: 70,
      behavior: { scaleDownStabilizationSeconds: p.stabilizationWindowSeconds },
    }),
    initialWorkers: ctx.warmStart(min, max),
    params: { queueTarget: p.queueTarget, stabilizationWindowSeconds: p.stabilizationWindowSeconds, ...(manifest ? { manifestMetrics: 1 } : {}) },
  });
}

export function tunedParamsOf(run: SimulationRun): TunedParams {
  const p = run.summary.params ?? {};
  return {
    queueTarget: p.queueTarget ?? Number.NaN,
    stabilizationWindowSeconds: p.stabilizationWindowSeconds ?? 300,
    ...(p.manifestMetrics === 1 ? { manifestMetrics: 1 } : {}),
  };
}

/** The window × target search, then the manifest's metric set at the chosen window. */
export async function searchHpaTuned(ctx: PolicyRunContext): Promise<SimulationRun> {
  const { lo, hi, iterations } = tuneRange(ctx);
  const queueOnly = await searchWindowsAndTarget(ctx, STABILIZATION_WINDOWS, lo, hi, iterations,
    (w) => (q) => hpaTunedPlan(ctx, { queueTarget: q, stabilizationWindowSeconds: w }), 'queueTarget');
  const window = tunedParamsOf(queueOnly).stabilizationWindowSeconds;
  const manifest = await searchLargestTarget(ctx, lo, hi, iterations,
    (q) => hpaTunedPlan(ctx, { queueTarget: q, stabilizationWindowSeconds: window, manifestMetrics: 1 }), 'queueTarget', queueOnly);
  const pick = manifest.summary.params?.manifestMetrics === 1 && meetsSlo(manifest, ctx.settings.sloTarget)
    && manifest.summary.cost < queueOnly.summary.cost ? manifest : queueOnly;
  return {
    ...pick,
    search: [...(queueOnly.search ?? []), ...(manifest.search ?? [])],
    simulations: queueOnly.simulations + manifest.simulations,
  };
}

/**
 * A tuned baseline out of sample: `search` on the first half, the chosen parameters (`plan`) run
 * on the whole trace and scored on the second half; undefined when there is no first half.
 */
export async function outOfSample(
  ctx: PolicyRunContext, search: (c: PolicyRunContext) => Promise<SimulationRun>,
  plan: (run: SimulationRun) => (clock: Clock) => PolicyPlan,
): Promise<OutOfSample | undefined> {
  const half = ctx.firstHalf();
  if (half === undefined) return undefined;
  const trained = await search(half);
  const whole = await ctx.simulate(plan(trained));
  if (whole.secondHalf === undefined) return undefined;
  return {
    params: trained.summary.params ?? {}, trainedUntilSeconds: half.workload.trace.endMs / 1000,
    heldOut: whole.secondHalf, simulations: trained.simulations + 1,
  };
}

/** `best` with its out-of-sample figures (see outOfSample). */
export async function withOutOfSample(
  ctx: PolicyRunContext, best: SimulationRun, search: (c: PolicyRunContext) => Promise<SimulationRun>,
  plan: (run: SimulationRun) => (clock: Clock) => PolicyPlan,
): Promise<SimulationRun> {
  const oos = await outOfSample(ctx, search, plan);
  return oos ? { ...best, outOfSample: oos } : best;
}

/** hpa-tuned out of sample only (no whole-trace search): what `bountybot tune` compares with. */
export function hpaTunedOutOfSample(ctx: PolicyRunContext): Promise<OutOfSample | undefined> {
  return outOfSample(ctx, (c) => c.once('hpa-tuned search', () => searchHpaTuned(c)), (r) => hpaTunedPlan(ctx, tunedParamsOf(r)));
}

export const hpaTunedDefinition: SimPolicyDefinition = {
  name: 'hpa-tuned',
  description: 'Kubernetes HPA with its queue target and scale-down stabilization window tuned (with hindsight) to meet the SLO target at least cost',
  async run(ctx) {
    const best = await ctx.once('hpa-tuned search', () => searchHpaTuned(ctx));
    const oos = await hpaTunedOutOfSample(ctx);
    return oos ? { ...best, outOfSample: oos } : best;
  },
};
