/**
 * `keda-tuned`: the `keda` ScaledObject tuned like `hpa-tuned`, with KEDA's own knobs: the queue
 * length per replica and the stabilization window of the HPA KEDA creates
 * (`advanced.horizontalPodAutoscalerConfig.behavior`), searched together; then `cooldownPeriod`
 * (default 300 s: idle time before scaling to zero) tried at 60 and 120 s with those values.
 * minReplicaCount 0 (KEDA's default), pollingInterval 30 s, activation at a queue length above 0.
 *
 * Above zero replicas KEDA only feeds the metric to its HPA, so it decides exactly as `hpa-tuned`
 * (minReplicas 1) unless it scales to zero, which needs the queue (waiting + in progress) to stay
 * empty at every poll for a whole cooldownPeriod. When that provably never happens on this trace
 * (kedaNeverScalesToZero) and both start with a worker, the two are the same system here: the
 * search is not repeated, hpa-tuned's result is reused and the params say so (`sameAsHpaTuned=1`).
 */
import type { Clock } from '../../autoscaling/types.js';
import type { PolicyPlan, PolicyRunContext, SimPolicyDefinition } from '../policy-context.js';
import { meetsSlo } from '../policy-context.js';
import { searchWindowsAndTarget, STABILIZATION_WINDOWS } from '../search.js';
import type { SimulationRun } from '../types.js';
import { searchHpaTuned, tuneRange, withOutOfSample } from './hpa-tuned.js';
import { createKedaPolicy, KEDA_DEFAULTS } from './keda.js';

const COOLDOWNS_TRIED: readonly number[] = [120, 60];

interface KedaParams {
  queueTarget: number;
  stabilizationWindowSeconds: number;
  cooldownPeriodSeconds: number;
}

function plan(ctx: PolicyRunContext, p: KedaParams): (clock: Clock) => PolicyPlan {
  return () => ({
    policy: createKedaPolicy({
      name: 'keda-tuned', minReplicas: 0, maxReplicas: ctx.settings.maxWorkers, queueTarget: p.queueTarget,
      cooldownPeriodSeconds: p.cooldownPeriodSeconds, behavior: { scaleDownStabilizationSeconds: p.stabilizationWindowSeconds },
    }),
    initialWorkers: ctx.warmStart(0, ctx.settings.maxWorkers),
    params: { ...p },
  });
}

function paramsOf(run: SimulationRun): KedaParams {
  const p = run.summary.params ?? {};
  return {
    queueTarget: p.queueTarget ?? Number.NaN,
    stabilizationWindowSeconds: p.stabilizationWindowSeconds ?? 300,
    cooldownPeriodSeconds: p.cooldownPeriodSeconds ?? KEDA_DEFAULTS.cooldownPeriodSeconds,
  };
}

/**
 * True when KEDA (minReplicaCount 0, this cooldownPeriod) must decide exactly as hpa-tuned on
 * this trace: replaying KEDA's polls (every pollingInterval, at the evaluations) up to the end of
 * the trace, a poll counts as active whenever some job is certainly in the system then (arrived,
 * and arrival + its service time is later); if no poll could ever find the trigger inactive for a
 * whole cooldownPeriod, KEDA never scales to zero and its HPA (minReplicas 1) runs alone.
 */
export function kedaNeverScalesToZero(ctx: PolicyRunContext, cooldownSeconds: number): boolean {
  const w = ctx.workload;
  if (Math.max(1, ctx.config.minWorkers) !== 1 || ctx.warmStart(0, ctx.settings.maxWorkers) < 1) return false;
  const intervalMs = Math.round(ctx.settings.intervalSeconds * 1000);
  const pollMs = KEDA_DEFAULTS.pollingIntervalSeconds * 1000;
  const cooldownMs = cooldownSeconds * 1000;
  let j = 0;
  let maxEnd = -Infinity;
  let lastPoll = -Infinity;
  let lastActive = 0;
  for (let t = 0; t <= w.trace.endMs; t += intervalMs) {
    if (t - lastPoll < pollMs - 1) continue;
    lastPoll = t;
    while (j < w.jobs && (w.arrivalMs[j] ?? Infinity) <= t) {
      maxEnd = Math.max(maxEnd, (w.arrivalMs[j] ?? 0) + (w.serviceMs[j] ?? 0));
      j++;
    }
    if (maxEnd > t) lastActive = t;
    else if (t - lastActive >= cooldownMs) return false;
  }
  return true;
}

async function searchKedaTuned(ctx: PolicyRunContext): Promise<SimulationRun> {
  const cooldown = KEDA_DEFAULTS.cooldownPeriodSeconds;
  if (kedaNeverScalesToZero(ctx, Math.min(cooldown, ...COOLDOWNS_TRIED))) {
    const hpa = await ctx.once('hpa-tuned search', () => searchHpaTuned(ctx));
    if (hpa.summary.params?.manifestMetrics !== 1) {
      const params = { ...hpa.summary.params, cooldownPeriodSeconds: cooldown, sameAsHpaTuned: 1 };
      // No simulation of its own: the runs are hpa-tuned's (see the module comment).
      return { ...hpa, policy: 'keda-tuned', summary: { ...hpa.summary, policy: 'keda-tuned', params }, search: [], simulations: 0 };
    }
  }
  const { lo, hi, iterations } = tuneRange(ctx);
  let best = await searchWindowsAndTarget(ctx, STABILIZATION_WINDOWS, lo, hi, iterations,
    (w) => (q) => plan(ctx, { queueTarget: q, stabilizationWindowSeconds: w, cooldownPeriodSeconds: cooldown }), 'queueTarget');
  const steps = [...(best.search ?? [])];
  let sims = best.simulations;
  if (meetsSlo(best, ctx.settings.sloTarget)) {
    for (const c of COOLDOWNS_TRIED) {
      const p = { ...paramsOf(best), cooldownPeriodSeconds: c };
      const r = await ctx.simulate(plan(ctx, p), { maxWorkerSeconds: best.summary.workerHours * 3600 });
      sims++;
      steps.push({ params: r.summary.params ?? {}, cost: r.summary.cost, sloAttainment: r.summary.sloAttainment, ...(r.aborted ? { aborted: r.aborted } : {}) });
      if (meetsSlo(r, ctx.settings.sloTarget) && r.summary.cost < best.summary.cost) best = r;
    }
  }
  return { ...best, search: steps, simulations: sims };
}

export const kedaTunedDefinition: SimPolicyDefinition = {
  name: 'keda-tuned',
  description: 'KEDA with its queue target, HPA stabilization window and cooldownPeriod tuned (with hindsight) to meet the SLO target at least cost',
  async run(ctx) {
    const best = await searchKedaTuned(ctx);
    return withOutOfSample(ctx, best, searchKedaTuned, (r) => plan(ctx, paramsOf(r)));
  },
};
