/**
 * Our engine as a ScalingPolicy, so the one ControlLoop can drive it live or in simulation.
 */
import { ScalingEngine } from '../autoscaling/engine.js';
import type { ScalingConfigInput } from '../autoscaling/scaling-config.js';
import type { Clock, ScalingDecision, ScalingMetrics } from '../autoscaling/types.js';
import type { PolicyInput, PolicyOutput, ScalingPolicy } from './interfaces.js';

export interface EnginePolicyOptions {
  /** Policy name in reports. Default 'bountybot'. */
  name?: string;
  /** Time for budget periods and cooldowns when a metric lacks a timestamp; the simulator passes its virtual clock. */
  clock?: Clock;
  /** Called with every decision (logs, status, counters). */
  onDecision?: (decision: ScalingDecision) => void;
}

export interface EnginePolicy extends ScalingPolicy {
  readonly engine: ScalingEngine;
  readonly lastDecision: ScalingDecision | undefined;
}

export function createEnginePolicy(config: ScalingConfigInput = {}, opts: EnginePolicyOptions = {}): EnginePolicy {
  const deps = opts.clock ? { clock: opts.clock } : {};
  let engine = new ScalingEngine(config, deps);
  let lastDecision: ScalingDecision | undefined;

  return {
    name: opts.name ?? 'bountybot',
    get engine() { return engine; },
    get lastDecision() { return lastDecision; },
    decide(input: PolicyInput): PolicyOutput {
      const { observation, fleet, now } = input;
      const metrics: ScalingMetrics = {
        ...observation,
        timestamp: now,
        activeWorkers: fleet.provisioned,
        readyWorkers: fleet.ready,
      };
      engine.addMetrics(metrics);
      const decision = engine.makeDecision(metrics);
      lastDecision = decision;
      opts.onDecision?.(decision);
      const p = decision.prediction;
      return {
        targetWorkers: decision.targetWorkers, reasoning: decision.reasoning, action: decision.action, limits: decision.limits,
        ...(p ? { forecast: { arrivalsPerMinute: p.predictedValidationsPerMinute, horizonMinutes: p.timeHorizonMinutes } } : {}),
      };
    },
    recordSpend(workerSeconds: number, now: Date): void {
      engine.recordWorkerSeconds(workerSeconds, now);
    },
    exportState(): string {
      return engine.exportState();
    },
    importState(state: string): void {
      engine = ScalingEngine.importState(state, config, deps);
    },
  };
}
