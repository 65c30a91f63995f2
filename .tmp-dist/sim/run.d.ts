/**
 * Runs policies on one workload: builds the jobs once (common random numbers), derives the
 * settings every policy shares, and simulates each policy (searches simulate several times).
 *
 * Rules the simulator applies to the user's config (documented in `bountybot simulate --help`):
 * - maxWorkers for every autoscaler = `--max-workers`, else max(config max_workers,
 *   ceil(2 × offered load of the busiest bin)), so no policy is capped below what the trace needs;
 * - budgets (hourly/daily/monthly) are lifted out of reach unless `--enforce-budgets`: the seed's
 *   $10/h would otherwise cap the fleet at 5 workers whatever the load;
 * - the engine's workerStartupSeconds is set to the simulated start-up time.
 */
import { type ScalingConfig } from '../autoscaling/scaling-config.js';
import type { SimulationResult, SimulationSettings } from './types.js';
import { type Workload } from './workload.js';
import type { Trace } from './trace.js';
export declare const SIM_DEFAULTS: Readonly<{
    serviceTimeSeconds: 25;
    serviceCv: 0.5;
    startupSeconds: 60;
    intervalSeconds: 15;
    sloSeconds: 120;
    sloTarget: 0.99;
    seed: 1;
}>;
/** A budget no simulated fleet reaches (budgets must stay finite numbers). */
export declare const UNBOUNDED_BUDGET = 1000000000000;
export interface SimulationRequest {
    trace: Trace;
    /** Policy names, run in this order. */
    policies: readonly string[];
    /** The user's resolved config (defaults: the seed's). */
    config: ScalingConfig;
    metricsWindowMinutes?: number;
    scale?: number;
    peakLoad?: number;
    serviceTimeSeconds?: number;
    serviceCv?: number;
    startupSeconds?: number;
    intervalSeconds?: number;
    sloSeconds?: number;
    sloTarget?: number;
    seed?: number;
    /** N for `fixed` (--fixed-workers or the scenario's fleet); default fixed-peak's N. */
    fixedWorkers?: number;
    /** Overrides the workload-derived fleet cap. */
    maxWorkers?: number;
    enforceBudgets?: boolean;
    recordJobs?: boolean;
    recordWorkerLog?: boolean;
    /** Progress of policy `index` (0-based) of `policies`: fraction of its current simulation. */
    onProgress?: (index: number, fraction: number) => void;
}
/** Fleet cap derived from the workload: see the module comment. */
export declare function workloadMaxWorkers(configMax: number, w: Workload): number;
export declare function simulationConfig(config: ScalingConfig, settings: SimulationSettings): ScalingConfig;
export declare function runSimulation(req: SimulationRequest): Promise<SimulationResult>;
