/**
 * `hpa`: the Kubernetes HorizontalPodAutoscaler (autoscaling/v2) algorithm with default
 * behaviour, on the metrics of the seed's HPA manifest:
 * - per metric: ratio = value / target; within tolerance 0.1 → current, else ceil(ratio × pods);
 *   the recommendation is the max across metrics (missing metrics are skipped);
 * - stabilization: recommendation = clamp(current, min of recs in the up window, max of recs in
 *   the down window) with windows 0 s (up) and 300 s (down);
 * - rate: scale-up at most max(+4 pods, +100 %) per 15 s relative to the replicas at the start
 *   of the period; scale-down up to 100 % per 15 s; then [minReplicas, maxReplicas];
 * - sync every 15 s (it acts at evaluations at least that far apart).
 * Metrics: `bountybot_autoscaling_queue_depth` (the collector's queue depth: waiting + in progress)
 * per pod, AverageValue 10; `bountybot_autoscaling_avg_latency_seconds` (mean processing time over
 * the metrics window), AverageValue 30; CPU as busy ÷ ready pods, averageUtilization 70 %, with
 * Kubernetes' correction for unready pods on scale-up (they count as 0 % CPU).
 */
import type { Observation, ScalingPolicy } from '../../control/interfaces.js';
export interface HpaBehavior {
    tolerance: number;
    syncPeriodSeconds: number;
    scaleUpStabilizationSeconds: number;
    scaleDownStabilizationSeconds: number;
    /** Scale-up policies (selectPolicy Max): +pods and +percent per period. */
    scaleUpPods: number;
    scaleUpPercent: number;
    scaleUpPeriodSeconds: number;
    /** Scale-down policy: −percent per period. */
    scaleDownPercent: number;
    scaleDownPeriodSeconds: number;
}
/** Kubernetes defaults (HPA v2 `behavior` unset, `--horizontal-pod-autoscaler-tolerance` 0.1). */
export declare const K8S_DEFAULT_BEHAVIOR: Readonly<HpaBehavior>;
/** One metric's proposal, or undefined when the metric is missing. */
export type HpaMetric = (obs: Observation, current: number, tolerance: number) => {
    name: string;
    value: number;
    target: number;
    replicas: number;
} | undefined;
/** ceil() that ignores floating-point dust just above an integer; never negative. */
export declare function ceilRatio(x: number): number;
/** Pods metric, AverageValue: value per pod = total / current; proposal = ceil(total / target). */
export declare function averageValueMetric(name: string, target: number, total: (o: Observation) => number | undefined): HpaMetric;
/** The collector's queue depth (waiting + in progress) per pod. */
export declare function queueMetric(target: number): HpaMetric;
/** Mean processing latency over the metrics window; missing while nothing completed in it. */
export declare function latencyMetric(targetSeconds: number): HpaMetric;
/** CPU utilization of ready pods (busy ÷ ready), Kubernetes' resource-metric rules. */
export declare function cpuMetric(targetPercent: number): HpaMetric;
export interface HpaOptions {
    minReplicas: number;
    maxReplicas: number;
    metrics: readonly HpaMetric[];
    behavior?: Partial<HpaBehavior>;
}
/** The HPA controller's replica computation, stabilization and rate limits. */
export declare class HorizontalAutoscaler {
    private readonly opts;
    readonly behavior: HpaBehavior;
    private readonly recs;
    private readonly events;
    private lastSyncMs;
    constructor(opts: HpaOptions);
    /** Desired replicas at `nowMs` for `current` replicas, with the reasons. */
    decide(nowMs: number, obs: Observation, current: number): {
        target: number;
        reasoning: string[];
    };
    private stabilize;
    private rateLimit;
    /** Net replicas added within the period ending now (an event exactly one period ago is outside). */
    private changeInPeriod;
}
export interface HpaPolicyOptions {
    name?: string;
    minReplicas: number;
    maxReplicas: number;
    /** AverageValue of the queue-depth metric per pod. Default 10 (the seed's manifest). */
    queueTarget?: number;
    /** AverageValue of the latency metric, seconds. Default 30. */
    latencyTargetSeconds?: number;
    /** CPU averageUtilization, percent. Default 70. */
    cpuTargetPercent?: number;
    /** Use only the queue-depth metric (drop latency and CPU). Default false. */
    queueOnly?: boolean;
    behavior?: Partial<HpaBehavior>;
}
export declare function createHpaPolicy(o: HpaPolicyOptions): ScalingPolicy;
