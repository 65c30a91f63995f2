/**
 * `original`: the seed's v2.9.0 scaling engine as published, for comparison.
 * - scores: queue (max of current and predicted queue vs target: 0 at ≤ ½ target, 1 at ≥ 2×),
 *   latency (same ramp on the average latency), prediction (same ramp around 1 validation/min),
 *   cost (hourly cost ÷ hourly budget: 0 below 0.5, 1 above 0.9), combined 0.40/0.25/0.20/0.15;
 * - combined > 0.7 → target max(⌊queue/10⌋ + 1, ⌊predicted⌋ + 1, current + 1);
 *   combined < 0.3 → target max(max(1, ⌊predicted⌋), current − 1); limits [min, max];
 * - any scale action starts a 5 min cooldown (measured on the simulation clock);
 * - the forecast is the original predictor (`original-forecaster.ts`) at a fixed 5 min horizon,
 *   fed with the metrics it is given: validations (completions) per minute over the window.
 * Its flaws are kept: the cost score pushes toward scaling *up*, targets move ±1 and assume one
 * validation per minute per worker.
 */
import type { ScalingPolicy } from '../../control/interfaces.js';
import { OriginalWorkloadPredictor, type OriginalPrediction } from '../original-forecaster.js';
export interface OriginalEngineConfig {
    minWorkers: number;
    maxWorkers: number;
    targetQueueDepth: number;
    targetLatencySeconds: number;
    scaleUpThreshold: number;
    scaleDownThreshold: number;
    cooldownMinutes: number;
    historySize: number;
    hourlyBudget: number;
}
export interface OriginalMetrics {
    queueDepth: number;
    validationsPerMinute: number;
    avgLatencySeconds: number;
    activeWorkers: number;
    currentCostPerHour: number;
    timestamp: Date;
}
export interface OriginalDecision {
    action: 'scale_up' | 'scale_down' | 'no_change';
    targetWorkers: number;
    scores?: {
        queue: number;
        latency: number;
        prediction: number;
        cost: number;
        combined: number;
    };
    prediction?: OriginalPrediction;
    reasoning: string[];
}
/** Linear ramp used by every original score: 0 at ≤ ½ target, 1 at ≥ 2 × target. */
export declare function rampScore(value: number, target: number): number;
/** The original's cost score from hourly budget utilization. */
export declare function originalCostScore(costPerHour: number, hourlyBudget: number): number;
export declare class OriginalEngine {
    private readonly c;
    readonly predictor: OriginalWorkloadPredictor;
    private lastActionMs;
    constructor(c: OriginalEngineConfig);
    addMetrics(m: OriginalMetrics): void;
    makeDecision(m: OriginalMetrics): OriginalDecision;
}
export declare function createOriginalPolicy(c: OriginalEngineConfig, name?: string): ScalingPolicy;
