/**
 * `fixed-peak`: the smallest constant fleet that meets the SLO target on this very trace, found by
 * binary search over N (re-simulating each candidate). The best any fixed capacity can do.
 */
import type { PolicyRunContext, SimPolicyDefinition } from '../policy-context.js';
import type { SimulationRun } from '../types.js';
import { searchSmallestInteger } from '../search.js';
import { createFixedPolicy } from './fixed.js';

export const fixedPeakDefinition: SimPolicyDefinition = {
  name: 'fixed-peak',
  description: 'smallest constant fleet meeting the SLO target on this trace (binary search)',
  run(ctx) {
    return ctx.fixedPeak();
  },
};

/** The search itself; PolicyRunContext.fixedPeak() runs it once per request. */
export function searchFixedPeak(ctx: PolicyRunContext): Promise<SimulationRun> {
  const w = ctx.workload;
  let work = 0;
  for (const s of w.serviceMs) work += s;
  const meanLoad = w.trace.endMs > 0 ? work / w.trace.endMs : 0;
  const hi = Math.max(1, ctx.settings.maxWorkers);
  const lo = Math.min(hi, Math.max(1, Math.floor(meanLoad)));
  return searchSmallestInteger(ctx, lo, hi, (n) => () => ({
    policy: createFixedPolicy(n, 'fixed-peak'), initialWorkers: n, params: { workers: n },
  }), 'workers');
}
