/**
 * The `--json` figures of one simulation, from the per-job times and the fleet integrals.
 * Latency = end − arrival of completed jobs, nearest-rank percentiles (see stats.ts);
 * sloAttainment counts jobs that never finished as misses.
 */
import type { PolicySummary } from './types.js';
export interface SummaryInput {
    policy: string;
    arrivalMs: Float64Array;
    /** NaN for a job that never finished. */
    endMs: Float64Array;
    completed: number;
    sloSeconds: number;
    costPerWorkerHour: number;
    /** ∫ paid workers dt and ∫ busy workers dt over [0, stopMs], worker-milliseconds. */
    paidMs: number;
    busyMs: number;
    stopMs: number;
    peakWorkers: number;
    scaleActions: number;
}
export declare function summarize(x: SummaryInput): PolicySummary;
