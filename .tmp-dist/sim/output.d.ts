import type { JobRecords, PolicySummary, SimulationResult, WorkerLog } from './types.js';
/** The contract's fields first, in the documented order, then the extras. */
export declare function summaryJson(s: PolicySummary): PolicySummary;
/** `id,arrival,start,end,worker`; a job that never ran has empty start/end/worker. */
export declare function writeJobsCsv(path: string, jobs: JobRecords): void;
/** `time,provisioned,ready,busy` at every change; the last row is the end of billing (all 0). */
export declare function writeWorkersCsv(path: string, log: WorkerLog): void;
/** A readable report: workload, settings, then one row per policy. */
export declare function formatTable(r: SimulationResult): string;
