/**
 * Built-in workloads for the seed's use cases, as traces of expected arrivals per 1-minute bin
 * (the simulator draws the actual jobs from them with the run's seed). All start on a Monday
 * 00:00 UTC (2025-01-06) except campaign-spike, which starts at 08:00.
 * - campaign-spike: 6 h at 3 arrivals/min; at 09:00 a campaign drops 100 extra reports within
 *   one minute. The seed's "fixed 3 workers" is the default for `fixed`.
 * - nights-weekends: 2 weeks, 1,000 validations per weekday (busy 08–18 h, low nights),
 *   300 per weekend day: the seed's cost-table workload. `fixed` defaults to the seed's 10
 *   workers. (The seed's 3–8 workers imply validations of several minutes: try --peak-load 8.)
 * - monday-spike: 4 weeks of a weekday pattern (12/min by day, 1.5/min at night, 4/min on
 *   weekend days) with a regular Monday 09:00–10:00 spike at 48/min, so a forecaster can learn
 *   it and scale up before 09:00.
 */
import { type Trace } from './trace.js';
export interface Scenario {
    name: string;
    description: string;
    trace: Trace;
    /** Fleet the seed's "without auto-scaling" case uses, the default for `fixed`. */
    fixedWorkers?: number;
}
export declare const SCENARIO_NAMES: readonly string[];
/** The named scenario, or undefined for an unknown name. */
export declare function buildScenario(name: string): Scenario | undefined;
