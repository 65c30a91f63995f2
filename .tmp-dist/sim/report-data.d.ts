/**
 * The data behind the HTML report: every policy's per-minute series cut into at most
 * `maxPoints` buckets (workers, arrivals and forecasts: mean per bucket; queue depth and
 * latency: max per bucket, so spikes survive), plus one colour per policy.
 */
import type { SimulationRun } from './types.js';
export declare function policyColors(names: readonly string[]): Map<string, string>;
export type Aggregate = 'mean' | 'max';
/** Buckets of `bucket` consecutive values; NaN values are skipped, an all-NaN bucket is null. */
export declare function downsample(values: ArrayLike<number>, length: number, bucket: number, how: Aggregate, digits?: number): Array<number | null>;
export interface ReportPolicySeries {
    name: string;
    description: string;
    color: string;
    reference: boolean;
    /** Null when the policy made no forecast. */
    forecast: Array<number | null> | null;
    provisioned: Array<number | null>;
    ready: Array<number | null>;
    busy: Array<number | null>;
    queue: Array<number | null>;
    latencyP95: Array<number | null>;
}
export interface ReportChartData {
    /** Epoch ms of minute 0, or null when unknown (labels then show minutes from the start). */
    startMs: number | null;
    /** Minutes per point. */
    bucketMinutes: number;
    /** Points per series. */
    points: number;
    sloSeconds: number;
    arrivals: Array<number | null>;
    policies: ReportPolicySeries[];
}
export declare function buildChartData(runs: readonly SimulationRun[], opts: {
    startMs: number | null;
    sloSeconds: number;
    maxPoints: number;
}): ReportChartData;
