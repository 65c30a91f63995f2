/**
 * Searches behind `fixed-peak` and the tuned baselines: simulate candidates, keep the cheapest
 * one that meets the SLO target. Candidates that can no longer meet the SLO stop early.
 */
import { type PolicyPlan, type PolicyRunContext } from './policy-context.js';
import type { Clock } from '../autoscaling/types.js';
import type { SimulationRun } from './types.js';
/**
 * Smallest integer in [lo, hi] whose plan meets the SLO (binary search; assumes more is never
 * worse). If even `hi` fails, returns hi's run.
 */
export declare function searchSmallestInteger(ctx: PolicyRunContext, lo: number, hi: number, plan: (n: number) => (clock: Clock) => PolicyPlan, param: string): Promise<SimulationRun>;
/**
 * Largest value in [lo, hi] (log-scale bisection, `iterations` halvings) whose plan meets the
 * SLO, for targets where larger means fewer workers; returns the cheapest feasible run seen, or
 * the run at `lo` if nothing was feasible. With `toBeat`, candidates stop as soon as they cost
 * more than it (and the search moves toward cheaper, larger values).
 */
export declare function searchLargestTarget(ctx: PolicyRunContext, lo: number, hi: number, iterations: number, plan: (x: number) => (clock: Clock) => PolicyPlan, param: string, toBeat?: SimulationRun): Promise<SimulationRun>;
