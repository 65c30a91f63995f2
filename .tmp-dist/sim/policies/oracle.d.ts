/**
 * `oracle` — REFERENCE ONLY, not a realizable policy: it reads the future from the workload
 * (every job's arrival and service time). At each evaluation it asks for exactly the workers
 * that would be busy if no job ever waited (jobs in service with unlimited workers), maximised
 * over the time until workers it requests at the next evaluation could be ready:
 * [now, now + interval + startup). So no job waits; its cost is the price of zero queueing with
 * perfect foresight, not the least cost at the SLO.
 */
import type { ScalingPolicy } from '../../control/interfaces.js';
import type { Workload } from '../workload.js';
export interface OraclePlan {
    /** Target for the evaluation at k × interval. */
    targets: Int32Array;
    intervalMs: number;
}
/** Precomputes the oracle's target for every evaluation instant (O(jobs log jobs)). */
export declare function planOracle(w: Workload, intervalSeconds: number, startupSeconds: number, maxWorkers: number): OraclePlan;
export declare function createOraclePolicy(plan: OraclePlan, startMs: number, name?: string): ScalingPolicy;
