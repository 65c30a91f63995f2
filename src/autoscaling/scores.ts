/**
 * The brief's four decision factors, each 0..1 (1 = pressure to add workers), and their
 * combination. Weights are the brief's: queue 40 %, latency 25 %, prediction 20 %, cost 15 %.
 * Unlike v2.9.0, cost pressure *subtracts*: a budget under strain pushes toward scaling down.
 */
import type { ScalingScores } from './types.js';

export const SCORE_WEIGHTS = Object.freeze({ queue: 0.4, latency: 0.25, prediction: 0.2, cost: 0.15 });

/** 0 at or below half the target, 1 at or above twice the target, linear between (the brief's curve). */
export function rampScore(value: number, target: number): number {
  if (!(target > 0)) return 0;
  const low = target * 0.5;
  const high = target * 2;
  if (value <= low) return 0;
  if (value >= high) return 1;
  return (value - low) / (high - low);
}

export function queueScore(effectiveQueue: number, targetQueueDepth: number): number {
  return rampScore(effectiveQueue, targetQueueDepth);
}

export function latencyScore(latencySeconds: number, targetLatencySeconds: number): number {
  return rampScore(latencySeconds, targetLatencySeconds);
}

/**
 * v2.9.0 compared the forecast with "1 validation per minute per worker". Here the forecast is
 * first turned into workers by the capacity model, and the score is the same ramp applied to
 * needed ÷ current (1 = the fleet is exactly the size the forecast needs).
 */
export function predictionScore(workersNeededForForecast: number, currentWorkers: number): number {
  if (currentWorkers <= 0) return workersNeededForForecast > 0 ? 1 : 0;
  return rampScore(workersNeededForForecast / currentWorkers, 1);
}

export function combineScores(queue: number, latency: number, prediction: number, cost: number): ScalingScores {
  const raw = SCORE_WEIGHTS.queue * queue + SCORE_WEIGHTS.latency * latency
    + SCORE_WEIGHTS.prediction * prediction - SCORE_WEIGHTS.cost * cost;
  return { queue, latency, prediction, cost, combined: Math.min(1, Math.max(0, raw)) };
}
