/**
 * `keda-tuned`: the `keda` baseline with its queue-length target (per replica) tuned by search to
 * the largest value that still meets the SLO target on this trace (its cheapest setting).
 */
import type { SimPolicyDefinition } from '../policy-context.js';
import { searchLargestTarget } from '../search.js';
import { TUNE_RANGE } from './hpa-tuned.js';
import { createKedaPolicy } from './keda.js';

export const kedaTunedDefinition: SimPolicyDefinition = {
  name: 'keda-tuned',
  description: 'KEDA with the queue-length target tuned to meet the SLO target at least cost',
  run(ctx) {
    return searchLargestTarget(ctx, TUNE_RANGE.lo, TUNE_RANGE.hi, TUNE_RANGE.iterations, (q) => () => ({
      policy: createKedaPolicy({ name: 'keda-tuned', minReplicas: 0, maxReplicas: ctx.settings.maxWorkers, queueTarget: q }),
      initialWorkers: ctx.warmStart(0, ctx.settings.maxWorkers),
      params: { queueTarget: q },
    }), 'queueTarget');
  },
};
