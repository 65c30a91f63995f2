/**
 * `fixed-peak`: the smallest constant fleet that meets the SLO target on this very trace, found by
 * binary search over N (re-simulating each candidate). The best any fixed capacity can do.
 */
import type { PolicyRunContext, SimPolicyDefinition } from '../policy-context.js';
import type { SimulationRun } from '../types.js';
export declare const fixedPeakDefinition: SimPolicyDefinition;
/** The search itself; PolicyRunContext.fixedPeak() runs it once per request. */
export declare function searchFixedPeak(ctx: PolicyRunContext): Promise<SimulationRun>;
