/**
 * `hpa-tuned`: the `hpa` algorithm with its queue-depth target (AverageValue per pod) tuned by
 * search to the largest value that still meets the SLO target on this trace (its cheapest
 * setting): the fair baseline. Two metric sets are searched and the cheaper feasible one kept:
 * queue depth alone, and the seed manifest's three metrics (queue, latency 30 s, CPU 70 %).
 * The HPA takes the max across metrics, so extra metrics only ever add replicas; the latency
 * metric (processing time) does not even fall when replicas are added, and at low load its
 * noise makes the HPA multiply replicas; a tuned deployment would drop it.
 */
import type { PolicyRunContext, SimPolicyDefinition } from '../policy-context.js';
/**
 * Range of queue targets searched: 0.25 … max(20, 2 × SLO ÷ mean service time) jobs per worker
 * (beyond that each worker's own queue alone would exceed the SLO twice over).
 */
export declare function tuneRange(ctx: PolicyRunContext): {
    lo: number;
    hi: number;
    iterations: number;
};
export declare const hpaTunedDefinition: SimPolicyDefinition;
