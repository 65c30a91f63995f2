/**
 * Splitting a workload in time for out-of-sample figures: the first part trains (tuned
 * baselines, `bountybot tune`), the rest is held out. The split falls on a bin boundary and the
 * first part keeps exactly the jobs of the whole workload that arrived before it (common random
 * numbers: the same arrivals and service times).
 */
import { busiestHourCount, peakBinRatePerSecond, type Trace } from './trace.js';
import { firstJobAtOrAfter } from './summary.js';
import type { Workload } from './workload.js';

/** The bin boundary nearest to `fraction` of the trace's span, ms from its start (strictly inside it). */
export function splitPointMs(trace: Trace, fraction: number): number {
  const goal = trace.endMs * fraction;
  let best = trace.endMs;
  let bestDistance = Infinity;
  for (let i = 1; i < trace.binStartMs.length; i++) {
    const t = trace.binStartMs[i] ?? 0;
    const d = Math.abs(t - goal);
    if (d < bestDistance) {
      bestDistance = d;
      best = t;
    }
  }
  return best;
}

/** The part of `w` before `endMs`: its bins and the jobs arriving before it. */
export function workloadBefore(w: Workload, endMs: number): Workload {
  const t = w.trace;
  let bins = 0;
  while (bins < t.binStartMs.length && (t.binStartMs[bins] ?? 0) < endMs) bins++;
  const binLengthMs = t.binLengthMs.slice(0, bins);
  const last = bins - 1;
  if (last >= 0) binLengthMs[last] = Math.min(binLengthMs[last] ?? 0, endMs - (t.binStartMs[last] ?? 0));
  const trace: Trace = {
    source: `${t.source} (first ${(endMs / 86_400_000).toFixed(2)} days)`, startMs: t.startMs, binSeconds: t.binSeconds,
    binStartMs: t.binStartMs.slice(0, bins), binLengthMs, counts: t.counts.slice(0, bins), endMs,
  };
  const jobs = firstJobAtOrAfter(w.arrivalMs, endMs);
  return {
    ...w, trace, jobs, arrivalMs: w.arrivalMs.subarray(0, jobs), serviceMs: w.serviceMs.subarray(0, jobs),
    peakHourLoad: (busiestHourCount(trace) * w.scale * w.serviceTimeSeconds) / 3600,
    peakBinLoad: peakBinRatePerSecond(trace) * w.scale * w.serviceTimeSeconds,
  };
}

/** Σ service time of the jobs arriving at or after `fromMs`, worker-hours. */
export function busyHoursFrom(w: Workload, fromMs = 0): number {
  let ms = 0;
  for (let j = firstJobAtOrAfter(w.arrivalMs, fromMs); j < w.jobs; j++) ms += w.serviceMs[j] ?? 0;
  return ms / 3_600_000;
}

const aheadCache = new WeakMap<Float64Array, Float64Array>();

/** [j] = Σ service of jobs j … n−1, ms: work some worker must still be paid for while job j has not arrived. */
export function serviceAheadMs(w: Workload): Float64Array {
  let a = aheadCache.get(w.serviceMs);
  if (a === undefined) {
    a = new Float64Array(w.jobs + 1);
    for (let j = w.jobs - 1; j >= 0; j--) a[j] = (a[j + 1] ?? 0) + (w.serviceMs[j] ?? 0);
    aheadCache.set(w.serviceMs, a);
  }
  return a;
}
