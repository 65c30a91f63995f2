/**
 * `keda-tuned`: the `keda` baseline with its queue-length target (per replica) tuned by search to
 * the largest value that still meets the SLO target on this trace (its cheapest setting).
 */
import type { SimPolicyDefinition } from '../policy-context.js';
import { searchLargestTarget } from '../search.js';
import { tuneRange } from './hpa-tuned.js';
import { createKedaPolicy } from './keda.js';

export const kedaTunedDefinition: SimPolicyDefinition = {
  name: 'keda-tuned',
  description: 'KEDA with the queue-length target tuned to meet the SLO target at least cost',
  run(ctx) {
    const { lo, hi, iterations } = tuneRange(ctx);
    return searchLargestTarget(ctx, lo, hi, iterations, (q) => () => ({
      policy: createKedaPolicy({ name: 'keda-tuned', minReplicas: 0, maxReplicas: ctx.settings.maxWorkers, queueTarget: q }),
      initialWorkers: ctx.warmStart(0, ctx.settings.maxWorkers),
      params: { queueTarget: q },
    }), 'queueTarget');
  },
};
