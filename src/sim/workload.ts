/**
 * Turns a trace into concrete jobs (arrival time + service time), once per run, so every policy
 * sees exactly the same jobs (common random numbers). Times are whole milliseconds, which keeps
 * every figure exactly recomputable from the CSV outputs.
 */
import { Prng, lognormalParams } from './prng.js';
import { UsageError } from '../autoscaling/errors.js';
import { busiestHourCount, peakBinRatePerSecond, type Trace } from './trace.js';

export interface WorkloadOptions {
  /** Multiplies every bin's count. Exclusive with `peakLoad`. */
  scale?: number;
  /** Rescale so the busiest clock hour's mean offered load (arrival rate × mean service time) is this many workers. */
  peakLoad?: number;
  /** Mean service time, seconds (lognormal). */
  serviceTimeSeconds: number;
  /** Coefficient of variation of the service time (0 = constant). */
  serviceCv: number;
  seed: number;
}

export interface Workload {
  trace: Trace;
  /** Factor applied to the trace's counts. */
  scale: number;
  jobs: number;
  /** Arrival of each job, ms after the trace start, ascending. */
  arrivalMs: Float64Array;
  /** Service (processing) time of each job, ms, at least 1. */
  serviceMs: Float64Array;
  serviceTimeSeconds: number;
  serviceCv: number;
  /** Mean offered load of the busiest clock hour after scaling, workers. */
  peakHourLoad: number;
  /** Offered load of the busiest single bin after scaling, workers. */
  peakBinLoad: number;
}

/** Bad workload options (scale, peak load, service time); the message names the flag and value. */
export class WorkloadError extends UsageError {
  constructor(message: string) {
    super(message, { code: 'WORKLOAD_INVALID' });
  }
}

/** Jobs one run may hold in memory (about 40 bytes each across the per-job arrays). */
export const MAX_JOBS = 50_000_000;

const STREAM_ROUNDING = 1;
const STREAM_ARRIVALS = 2;
const STREAM_SERVICE = 3;

/** The scale factor implied by the options (1 when neither scale nor peak load is given). */
export function resolveScale(trace: Trace, opts: Pick<WorkloadOptions, 'scale' | 'peakLoad' | 'serviceTimeSeconds'>): number {
  if (opts.scale !== undefined && opts.peakLoad !== undefined) {
    throw new WorkloadError('--scale and --peak-load are exclusive; give one of them');
  }
  if (opts.scale !== undefined) {
    if (!Number.isFinite(opts.scale) || opts.scale <= 0) {
      throw new WorkloadError(`--scale must be a number > 0; got ${String(opts.scale)}`);
    }
    return opts.scale;
  }
  if (opts.peakLoad !== undefined) {
    if (!Number.isFinite(opts.peakLoad) || opts.peakLoad <= 0) {
      throw new WorkloadError(`--peak-load must be a number > 0; got ${String(opts.peakLoad)}`);
    }
    const busiest = busiestHourCount(trace);
    if (busiest <= 0) throw new WorkloadError(`${trace.source}: has no arrivals, cannot rescale to --peak-load`);
    // busiest/3600 jobs/s × mean service s = offered load in workers.
    return (opts.peakLoad * 3600) / (busiest * opts.serviceTimeSeconds);
  }
  return 1;
}

export function buildWorkload(trace: Trace, opts: WorkloadOptions): Workload {
  if (!Number.isFinite(opts.serviceTimeSeconds) || opts.serviceTimeSeconds <= 0) {
    throw new WorkloadError(`--service-time must be a number > 0 (seconds); got ${String(opts.serviceTimeSeconds)}`);
  }
  if (!Number.isFinite(opts.serviceCv) || opts.serviceCv < 0) {
    throw new WorkloadError(`--service-cv must be a number >= 0; got ${String(opts.serviceCv)}`);
  }
  if (!Number.isSafeInteger(opts.seed)) throw new WorkloadError(`--seed must be an integer; got ${String(opts.seed)}`);
  const scale = resolveScale(trace, opts);
  const bins = trace.counts.length;

  // Fractional counts are rounded up or down at random with the right expectation.
  const rounding = new Prng(opts.seed, STREAM_ROUNDING);
  const perBin = new Int32Array(bins);
  let total = 0;
  for (let i = 0; i < bins; i++) {
    const x = (trace.counts[i] ?? 0) * scale;
    const whole = Math.floor(x);
    const n = whole + (rounding.next() < x - whole ? 1 : 0);
    perBin[i] = n;
    total += n;
  }

  if (total > MAX_JOBS) {
    throw new WorkloadError(
      `${trace.source}: ${total} jobs after scaling (x${scale.toPrecision(4)}) is more than the simulator holds (${MAX_JOBS}); ` +
      'use --peak-load or a smaller --scale',
    );
  }
  const arrivals = new Prng(opts.seed, STREAM_ARRIVALS);
  const arrivalMs = new Float64Array(total);
  let k = 0;
  for (let i = 0; i < bins; i++) {
    const n = perBin[i] ?? 0;
    if (n === 0) continue;
    const start = trace.binStartMs[i] ?? 0;
    const len = trace.binLengthMs[i] ?? 0;
    const from = k;
    for (let j = 0; j < n; j++) arrivalMs[k++] = start + Math.floor(arrivals.next() * len);
    arrivalMs.subarray(from, k).sort();
  }

  const service = new Prng(opts.seed, STREAM_SERVICE);
  const serviceMs = new Float64Array(total);
  const meanMs = opts.serviceTimeSeconds * 1000;
  if (opts.serviceCv === 0) {
    serviceMs.fill(Math.max(1, Math.round(meanMs)));
  } else {
    const { mu, sigma } = lognormalParams(meanMs, opts.serviceCv);
    for (let j = 0; j < total; j++) serviceMs[j] = Math.max(1, Math.round(Math.exp(mu + sigma * service.normal())));
  }

  return {
    trace, scale, jobs: total, arrivalMs, serviceMs,
    serviceTimeSeconds: opts.serviceTimeSeconds, serviceCv: opts.serviceCv,
    peakHourLoad: (busiestHourCount(trace) * scale * opts.serviceTimeSeconds) / 3600,
    peakBinLoad: peakBinRatePerSecond(trace) * scale * opts.serviceTimeSeconds,
  };
}

/** Offered load (workers) of the first bin: what a warm fleet would be sized for at time 0. */
export function initialOfferedLoad(w: Workload): number {
  const len = w.trace.binLengthMs[0] ?? 0;
  if (len <= 0) return 0;
  return (((w.trace.counts[0] ?? 0) * w.scale * 1000) / len) * w.serviceTimeSeconds;
}
