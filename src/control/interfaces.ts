/**
 * The control loop's side effects, one small interface each. The live runtime and the
 * simulator implement these; the loop and the pure core never see what is behind them.
 */
import type { ScalingMetrics } from '../autoscaling/types.js';

/** Time for the loop: the live runtime uses the wall clock, the simulator a virtual one. */
export interface LoopClock {
  now(): Date;
  /** Resolves after `ms` of this clock's time, or early (without throwing) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** What a metrics source reports: the engine's metrics, always timestamped, plus fleet detail. */
export interface Observation extends ScalingMetrics {
  timestamp: Date;
  /** Arrivals per minute over the window (the demand). */
  arrivalsPerMinute: number;
  /** p95 of processing time over the window, seconds, when known. */
  p95LatencySeconds?: number;
  /** Share of validations in the window that succeeded (0..1), when known. */
  successRate?: number;
}

export interface MetricsSource {
  /** Reads the current metrics. May throw; the loop records the error and skips acting. */
  read(now: Date): Promise<Observation>;
}

export interface FleetState {
  /** Workers requested and paid for: starting + ready (not counting draining ones). */
  provisioned: number;
  /** Workers able to take jobs. */
  ready: number;
  /** Workers finishing their last job before stopping. */
  draining: number;
}

export interface Actuator {
  /** The fleet as it is now. */
  fleet(): Promise<FleetState>;
  /** Moves the fleet toward `target` workers; resolves once the request is made (not when ready). */
  scaleTo(target: number, reasoning: readonly string[]): Promise<FleetState>;
}

/** A decision as the loop records it (the audit log). */
export interface DecisionRecord {
  at: Date;
  action: 'scale_up' | 'scale_down' | 'no_change';
  currentWorkers: number;
  targetWorkers: number;
  /** What the actuator was asked for after gates (pause/override/dry-run); equals target unless a gate changed it. */
  appliedWorkers: number;
  reasoning: string[];
  dryRun: boolean;
}

/** Durable key/value state (policy state, operator gates, the controller heartbeat). */
export interface StateStore {
  loadState(key: string): Promise<string | undefined>;
  saveState(key: string, value: string): Promise<void>;
}

/** Durable controller state and the decision audit log. The simulator may use an in-memory store. */
export interface ControllerStore extends StateStore {
  appendDecision(record: DecisionRecord): Promise<void>;
  recentDecisions(limit: number): Promise<DecisionRecord[]>;
}

/** One tick's input to a scaling policy. */
export interface PolicyInput {
  now: Date;
  observation: Observation;
  fleet: FleetState;
}

export interface PolicyOutput {
  targetWorkers: number;
  reasoning: string[];
  action: 'scale_up' | 'scale_down' | 'no_change';
  /** The demand forecast behind the decision, when the policy makes one (charts and audits). */
  forecast?: { arrivalsPerMinute: number; horizonMinutes: number };
}

/**
 * A scaling policy: ours (the engine) or a baseline (HPA, KEDA, the original …). Pure apart
 * from its own state; time comes in with the input.
 */
export interface ScalingPolicy {
  readonly name: string;
  decide(input: PolicyInput): PolicyOutput;
  /** Worker-seconds paid since the previous call, ending at `now`; for budget accounting. */
  recordSpend?(workerSeconds: number, now: Date): void;
  /** Serialised learned state (forecast history, cooldowns) for restarts. */
  exportState?(): string;
  importState?(state: string): void;
}
