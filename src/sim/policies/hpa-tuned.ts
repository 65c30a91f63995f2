/**
 * `hpa-tuned`: the `hpa` baseline with its queue-depth target (AverageValue per pod) tuned by
 * search to the largest value that still meets the SLO target on this trace, i.e. its cheapest
 * setting (the fair baseline). CPU 70 % and latency 30 s stay as in the seed's manifest: with
 * the queue metric counting jobs in progress, any queue target below 1/0.7 already keeps CPU
 * under its target, so the CPU metric only binds for looser SLOs.
 */
import type { SimPolicyDefinition } from '../policy-context.js';
import { searchLargestTarget } from '../search.js';
import { createHpaPolicy } from './hpa.js';

export const TUNE_RANGE = { lo: 0.25, hi: 20, iterations: 8 } as const;

export const hpaTunedDefinition: SimPolicyDefinition = {
  name: 'hpa-tuned',
  description: 'HPA with the queue-per-pod target tuned to meet the SLO target at least cost',
  run(ctx) {
    const c = ctx.config;
    const min = Math.max(1, c.minWorkers);
    return searchLargestTarget(ctx, TUNE_RANGE.lo, TUNE_RANGE.hi, TUNE_RANGE.iterations, (q) => () => ({
      policy: createHpaPolicy({
        name: 'hpa-tuned', minReplicas: min, maxReplicas: ctx.settings.maxWorkers, queueTarget: q,
        latencyTargetSeconds: c.targetLatencySeconds, cpuTargetPercent: 70,
      }),
      initialWorkers: ctx.warmStart(min, ctx.settings.maxWorkers),
      params: { queueTarget: q, latencyTargetSeconds: c.targetLatencySeconds, cpuTargetPercent: 70 },
    }), 'queueTarget');
  },
};
