/**
 * The brief's four decision factors, each 0..1 (1 = pressure to add workers), and their
 * combination. Weights are the brief's: queue 40 %, latency 25 %, prediction 20 %, cost 15 %.
 * Unlike v2.9.0, cost pressure *subtracts*: a budget under strain pushes toward scaling down.
 */
import type { ScalingScores } from './types.js';
export declare const SCORE_WEIGHTS: Readonly<{
    queue: 0.4;
    latency: 0.25;
    prediction: 0.2;
    cost: 0.15;
}>;
/** 0 at or below half the target, 1 at or above twice the target, linear between (the brief's curve). */
export declare function rampScore(value: number, target: number): number;
export declare function queueScore(effectiveQueue: number, targetQueueDepth: number): number;
export declare function latencyScore(latencySeconds: number, targetLatencySeconds: number): number;
/**
 * v2.9.0 compared the forecast with "1 validation per minute per worker". Here the forecast is
 * first turned into workers by the capacity model, and the score is the same ramp applied to
 * needed ÷ current (1 = the fleet is exactly the size the forecast needs).
 */
export declare function predictionScore(workersNeededForForecast: number, currentWorkers: number): number;
export declare function combineScores(queue: number, latency: number, prediction: number, cost: number): ScalingScores;
