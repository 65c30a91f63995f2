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
import type { PolicyInput, PolicyOutput, ScalingPolicy } from '../../control/interfaces.js';
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
  scores?: { queue: number; latency: number; prediction: number; cost: number; combined: number };
  prediction?: OriginalPrediction;
  reasoning: string[];
}

/** Linear ramp used by every original score: 0 at ≤ ½ target, 1 at ≥ 2 × target. */
export function rampScore(value: number, target: number): number {
  if (value <= target * 0.5) return 0;
  if (value >= target * 2) return 1;
  return (value - target * 0.5) / (target * 1.5);
}

/** The original's cost score from hourly budget utilization. */
export function originalCostScore(costPerHour: number, hourlyBudget: number): number {
  const u = costPerHour / hourlyBudget;
  if (u < 0.5) return 0;
  if (u > 0.9) return 1;
  return (u - 0.5) / 0.4;
}

export class OriginalEngine {
  readonly predictor: OriginalWorkloadPredictor;
  private lastActionMs: number | undefined;

  constructor(private readonly c: OriginalEngineConfig) {
    this.predictor = new OriginalWorkloadPredictor(c.historySize);
  }

  addMetrics(m: OriginalMetrics): void {
    this.predictor.addSample(m);
  }

  makeDecision(m: OriginalMetrics): OriginalDecision {
    const c = this.c;
    const nowMs = m.timestamp.getTime();
    if (this.lastActionMs !== undefined) {
      const elapsedMin = (nowMs - this.lastActionMs) / 60_000;
      if (elapsedMin < c.cooldownMinutes) {
        return {
          action: 'no_change', targetWorkers: m.activeWorkers,
          reasoning: [`In cooldown period (${(c.cooldownMinutes - elapsedMin).toFixed(1)} minutes remaining)`],
        };
      }
    }
    const prediction = this.predictor.predict(5, m.timestamp);
    const queue = rampScore(Math.max(m.queueDepth, prediction.predictedQueueDepth), c.targetQueueDepth);
    const latency = rampScore(m.avgLatencySeconds, c.targetLatencySeconds);
    const pred = rampScore(prediction.predictedValidationsPerMinute, 1);
    const cost = originalCostScore(m.currentCostPerHour, c.hourlyBudget);
    const combined = 0.4 * queue + 0.25 * latency + 0.2 * pred + 0.15 * cost;
    const reasoning = [
      `Queue score: ${queue.toFixed(2)}`, `Latency score: ${latency.toFixed(2)}`,
      `Prediction score: ${pred.toFixed(2)}`, `Cost score: ${cost.toFixed(2)}`, `Combined score: ${combined.toFixed(2)}`,
    ];
    let action: OriginalDecision['action'] = 'no_change';
    let target = m.activeWorkers;
    const rate = prediction.predictedValidationsPerMinute;
    if (combined > c.scaleUpThreshold) {
      action = 'scale_up';
      target = Math.min(c.maxWorkers, Math.max(Math.trunc(m.queueDepth / 10) + 1, Math.trunc(rate) + 1, m.activeWorkers + 1));
      reasoning.push(`Score ${combined.toFixed(2)} > threshold ${c.scaleUpThreshold}`);
    } else if (combined < c.scaleDownThreshold) {
      action = 'scale_down';
      target = Math.max(c.minWorkers, Math.max(Math.max(1, Math.trunc(rate)), m.activeWorkers - 1));
      reasoning.push(`Score ${combined.toFixed(2)} < threshold ${c.scaleDownThreshold}`);
    } else {
      reasoning.push(`Score ${combined.toFixed(2)} within stable range`);
    }
    target = Math.max(c.minWorkers, Math.min(c.maxWorkers, target));
    if (action !== 'no_change') this.lastActionMs = nowMs;
    return { action, targetWorkers: target, scores: { queue, latency, prediction: pred, cost, combined }, prediction, reasoning };
  }
}

export function createOriginalPolicy(c: OriginalEngineConfig, name = 'original'): ScalingPolicy {
  const engine = new OriginalEngine(c);
  return {
    name,
    decide(input: PolicyInput): PolicyOutput {
      const o = input.observation;
      const m: OriginalMetrics = {
        queueDepth: o.queueDepth,
        validationsPerMinute: o.validationsPerMinute,
        avgLatencySeconds: o.avgLatencySeconds,
        activeWorkers: input.fleet.provisioned,
        currentCostPerHour: o.currentCostPerHour ?? 0,
        timestamp: input.now,
      };
      engine.addMetrics(m);
      const d = engine.makeDecision(m);
      return {
        targetWorkers: d.targetWorkers,
        reasoning: d.reasoning,
        action: d.action,
        ...(d.prediction
          ? { forecast: { arrivalsPerMinute: d.prediction.predictedValidationsPerMinute, horizonMinutes: d.prediction.timeHorizonMinutes } }
          : {}),
      };
    },
  };
}
