/**
 * Replays arrivals (a trace or scenario turned into job arrival times) into the live queue,
 * time-compressed by `speed`: trace time = elapsed wall time × speed. Jobs due in the same
 * slice go in one batch transaction.
 */
import type { JobQueue } from './ports.js';
export interface LoadPlan {
    /** Name for payloads and logs (trace file or scenario). */
    source: string;
    /** Arrival times, ms of trace time from the plan's start, ascending. */
    arrivalMs: ArrayLike<number>;
    /** Trace time at which the plan ends (may be after the last arrival). */
    endMs: number;
}
export interface LoadProgress {
    enqueued: number;
    total: number;
    /** Trace time reached, ms. */
    traceMs: number;
}
export interface LoadOptions {
    /** Trace seconds per wall second. Default 1. */
    speed?: number;
    /** Wall time between batches, ms. Default 100. */
    sliceMs?: number;
    signal?: AbortSignal;
    onProgress?: (p: LoadProgress) => void;
    /** Payload of arrival `i`. Default `{ seq, source, traceMs }`. */
    payload?: (i: number, traceMs: number) => unknown;
    now?: () => number;
}
/** Keeps only arrivals in [fromMs, fromMs + durationMs), shifted to start at 0. */
export declare function windowPlan(plan: LoadPlan, fromMs: number, durationMs: number): LoadPlan;
/** Enqueues every arrival at its (compressed) time; resolves with the count when done or aborted. */
export declare function runLoad(queue: JobQueue, plan: LoadPlan, opts?: LoadOptions): Promise<number>;
