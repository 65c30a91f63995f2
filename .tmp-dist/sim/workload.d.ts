import { type Trace } from './trace.js';
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
export declare class WorkloadError extends Error {
    constructor(message: string);
}
/** Jobs one run may hold in memory (about 40 bytes each across the per-job arrays). */
export declare const MAX_JOBS = 50000000;
/** The scale factor implied by the options (1 when neither scale nor peak load is given). */
export declare function resolveScale(trace: Trace, opts: Pick<WorkloadOptions, 'scale' | 'peakLoad' | 'serviceTimeSeconds'>): number;
export declare function buildWorkload(trace: Trace, opts: WorkloadOptions): Workload;
/** Offered load (workers) of the first bin: what a warm fleet would be sized for at time 0. */
export declare function initialOfferedLoad(w: Workload): number;
