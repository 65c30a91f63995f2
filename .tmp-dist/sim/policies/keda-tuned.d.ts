/**
 * `keda-tuned`: the `keda` baseline with its queue-length target (per replica) tuned by search to
 * the largest value that still meets the SLO target on this trace (its cheapest setting).
 */
import type { SimPolicyDefinition } from '../policy-context.js';
export declare const kedaTunedDefinition: SimPolicyDefinition;
