/**
 * Capacity model: how many workers a Poisson stream of validations needs.
 * Each worker serves one validation at a time (an M/M/N queue); the fleet must
 *   1. start `waitPercentile` of validations within `targetWaitSeconds` (Erlang C),
 *   2. keep each worker at most `maxUtilization` busy,
 *   3. drain the current backlog within `backlogDrainSeconds` while serving new arrivals.
 * The answer is the largest of the three, each reported with its reason.
 */
export interface CapacityInput {
    /** Arrivals per minute the fleet must serve. */
    arrivalsPerMinute: number;
    /** Mean processing time of one validation, seconds (> 0). */
    serviceSeconds: number;
    /** Validations already waiting. */
    queueDepth: number;
    targetWaitSeconds: number;
    /** Share of validations that must start within the target wait, in (0, 1). */
    waitPercentile: number;
    backlogDrainSeconds: number;
    /** In (0, 1]. */
    maxUtilization: number;
}
export interface CapacityPlan {
    workers: number;
    /** Offered load in workers (arrival rate × service time). */
    offeredLoad: number;
    byWait: number;
    byUtilization: number;
    byBacklog: number;
    /** Which constraint set `workers`. */
    binding: 'wait' | 'utilization' | 'backlog' | 'idle';
    reason: string;
}
/** Erlang B blocking probability for `servers` servers and `load` Erlangs (stable recursion). */
export declare function erlangB(servers: number, load: number): number;
/** Erlang C: probability that an arrival has to wait, for `servers` > `load`. 1 when unstable. */
export declare function erlangC(servers: number, load: number): number;
/** P(wait > t) in an M/M/N queue. */
export declare function probabilityWaitExceeds(servers: number, arrivalsPerSecond: number, serviceSeconds: number, t: number): number;
/** Smallest N meeting the wait target; walks up from the stability bound, extending Erlang B incrementally. */
export declare function workersForWait(arrivalsPerSecond: number, serviceSeconds: number, targetWaitSeconds: number, waitPercentile: number): number;
export declare function planCapacity(input: CapacityInput): CapacityPlan;
