/**
 * `zero-wait` (formerly `oracle`) — a REFERENCE that sees the future, not a realizable policy and
 * not a lower bound on cost: it reads the future from the workload
 * (every job's arrival and service time). At each evaluation it asks for exactly the workers
 * that would be busy if no job ever waited (jobs in service with unlimited workers), maximised
 * over the time until workers it requests at the next evaluation could be ready:
 * [now, now + interval + startup). So no job waits; its cost is the price of zero queueing with
 * perfect foresight, not the least cost at the SLO.
 */
import type { PolicyInput, PolicyOutput, ScalingPolicy } from '../../control/interfaces.js';
import type { Workload } from '../workload.js';

export interface ZeroWaitPlan {
  /** Target for the evaluation at k × interval. */
  targets: Int32Array;
  intervalMs: number;
}

/** Precomputes the zero-wait target for every evaluation instant (O(jobs log jobs)). */
export function planZeroWait(w: Workload, intervalSeconds: number, startupSeconds: number, maxWorkers: number): ZeroWaitPlan {
  const intervalMs = Math.round(intervalSeconds * 1000);
  const n = w.jobs;
  const ends = new Float64Array(n);
  let last = w.trace.endMs;
  for (let j = 0; j < n; j++) {
    const e = (w.arrivalMs[j] ?? 0) + (w.serviceMs[j] ?? 0);
    ends[j] = e;
    if (e > last) last = e;
  }
  ends.sort();
  const bins = Math.floor(last / intervalMs) + 2;
  // Peak occupancy within each interval [k·I, (k+1)·I). Occupancy changes only at event
  // instants; the value after all events at t (ends first: a freed worker serves an arrival
  // at t) holds until the next instant, and counts for every interval it overlaps.
  const peak = new Int32Array(bins);
  let occ = 0;
  let a = 0;
  let e = 0;
  while (a < n || e < n) {
    const t = Math.min(a < n ? (w.arrivalMs[a] ?? Infinity) : Infinity, e < n ? (ends[e] ?? Infinity) : Infinity);
    while (e < n && (ends[e] ?? Infinity) === t) { occ--; e++; }
    while (a < n && (w.arrivalMs[a] ?? Infinity) === t) { occ++; a++; }
    const next = Math.min(a < n ? (w.arrivalMs[a] ?? Infinity) : Infinity, e < n ? (ends[e] ?? Infinity) : Infinity);
    const from = Math.floor(t / intervalMs);
    const to = Number.isFinite(next) ? Math.floor((next - 1) / intervalMs) : from;
    for (let k = from; k <= to && k < bins; k++) if (occ > (peak[k] ?? 0)) peak[k] = occ;
  }
  const ahead = Math.ceil((startupSeconds * 1000) / intervalMs);
  const targets = new Int32Array(bins);
  for (let k = 0; k < bins; k++) {
    let m = 0;
    for (let i = k; i <= k + ahead && i < bins; i++) m = Math.max(m, peak[i] ?? 0);
    targets[k] = Math.min(maxWorkers, m);
  }
  return { targets, intervalMs };
}

export function createZeroWaitPolicy(plan: ZeroWaitPlan, startMs: number, name = 'zero-wait'): ScalingPolicy {
  return {
    name,
    decide(input: PolicyInput): PolicyOutput {
      const k = Math.max(0, Math.round((input.now.getTime() - startMs) / plan.intervalMs));
      const target = plan.targets[Math.min(k, plan.targets.length - 1)] ?? 0;
      const current = input.fleet.provisioned;
      return {
        targetWorkers: target,
        reasoning: [`zero-wait (reference: sees the future): ${target} workers busy at most before the next request could be ready`],
        action: target > current ? 'scale_up' : target < current ? 'scale_down' : 'no_change',
      };
    },
  };
}
