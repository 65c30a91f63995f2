/**
 * The `--json` figures of one simulation, from the per-job times and the fleet integrals.
 * Latency = end − arrival of completed jobs, nearest-rank percentiles (see stats.ts);
 * sloAttainment counts jobs that never finished as misses. The same function scores a part of a
 * run (the second half): the jobs that arrived in it, and the worker-time paid in it.
 */
import { selectPercentile } from './stats.js';
import type { PolicySummary, WindowSummary } from './types.js';

export interface SummaryInput {
  policy: string;
  arrivalMs: Float64Array;
  /** NaN for a job that never finished. */
  endMs: Float64Array;
  sloSeconds: number;
  costPerWorkerHour: number;
  /** ∫ paid workers dt and ∫ busy workers dt over the scored time, worker-milliseconds. */
  paidMs: number;
  busyMs: number;
  stopMs: number;
  peakWorkers: number;
  scaleActions: number;
  /** Score jobs from this index on (default 0: all). */
  fromJob?: number;
  /** The scored time starts here, ms (default 0); the mean fleet is paid time ÷ (stop − from). */
  fromMs?: number;
}

export function summarize(x: SummaryInput): PolicySummary {
  const n = x.arrivalMs.length;
  const from = x.fromJob ?? 0;
  const sloMs = x.sloSeconds * 1000;
  const latencies = new Float64Array(Math.max(0, n - from));
  let k = 0;
  let withinSlo = 0;
  let max = 0;
  for (let j = from; j < n; j++) {
    const end = x.endMs[j] ?? Number.NaN;
    if (Number.isNaN(end)) continue;
    const l = end - (x.arrivalMs[j] ?? 0);
    latencies[k++] = l;
    if (l > max) max = l;
    if (l <= sloMs) withinSlo++;
  }
  // Nearest-rank percentiles by selection (each call only reorders the array further).
  const pct = (p: number): number => (k === 0 ? 0 : selectPercentile(latencies, k, p) / 1000);
  const jobs = n - from;
  const workerHours = x.paidMs / 3_600_000;
  const span = x.stopMs - (x.fromMs ?? 0);
  return {
    policy: x.policy,
    jobs,
    completed: k,
    lost: jobs - k,
    cost: workerHours * x.costPerWorkerHour,
    workerHours,
    utilization: x.paidMs > 0 ? x.busyMs / x.paidMs : 0,
    latencySeconds: { p50: pct(50), p95: pct(95), p99: pct(99), max: max / 1000 },
    sloSeconds: x.sloSeconds,
    sloAttainment: jobs > 0 ? withinSlo / jobs : 1,
    scaleActions: x.scaleActions,
    peakWorkers: x.peakWorkers,
    meanWorkers: span > 0 ? x.paidMs / span : 0,
  };
}

/** `summarize` for the part of a run from `fromMs` (jobs arriving from then on), as a WindowSummary. */
export function summarizeWindow(x: SummaryInput & { fromJob: number; fromMs: number }): WindowSummary {
  const { policy: _policy, ...rest } = summarize(x);
  return { fromSeconds: x.fromMs / 1000, toSeconds: x.stopMs / 1000, ...rest };
}

/** First job index arriving at or after `ms` (arrivals ascending). */
export function firstJobAtOrAfter(arrivalMs: Float64Array, ms: number): number {
  let lo = 0;
  let hi = arrivalMs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((arrivalMs[mid] ?? 0) < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
