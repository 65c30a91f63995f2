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

/** What one decision stage (size, score, panic, stabilize, budget, clamp, cooldown …) did to the target, with its code. */
export interface StageLimit {
  stage: string;
  code: string;
  message: string;
  /** Target before the stage. */
  from: number;
  /** Target after it (equal to `from` when the stage changed nothing). */
  to: number;
}

/** What one gate (pause, override, dry-run, leader …) did to a tick's target. */
export interface GateEffect {
  gate: string;
  /** Target before this gate. */
  from: number;
  /** Target after it (for dry-run: the fleet as it stays). */
  to: number;
  reason: string;
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
  /** Gates that changed the target this tick, in the order applied (absent in records written before gates were recorded). */
  gates?: GateEffect[];
  /** Every stage of the policy's decision with its code, when the policy reports them (our engine does). */
  limits?: StageLimit[];
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

/** How a controller relates to the fleet: it scales it, only decides (dry-run), or observes one scaled by something else. */
export type ControllerMode = 'live' | 'dry-run' | 'shadow';

/**
 * One tick as the history keeps it (the dashboard's charts). Every field but the fleet is
 * optional: a failed tick has no observation or decision. Counts (`ended`, `withinSlo`) cover
 * the time since the previous sample, so sums over a range are exact; the latency percentiles
 * cover the metrics window.
 */
export interface TickSample {
  at: Date;
  mode: ControllerMode;
  /** The fleet after this tick's action (what is paid from now on). */
  provisioned: number;
  ready: number;
  draining: number;
  /** Provisioned workers when the tick began, before any action. */
  before?: number;
  /** Jobs running now. */
  busy?: number;
  /** The policy's target and what the gates made of it. */
  target?: number;
  desired?: number;
  action?: DecisionRecord['action'];
  /** The actuator was asked to change the fleet. */
  acted: boolean;
  queueDepth?: number;
  oldestWaitSeconds?: number;
  arrivalsPerMinute?: number;
  completionsPerMinute?: number;
  /** Processing time (start → end), mean and p95 over the metrics window: the engine's latency inputs. */
  avgLatencySeconds?: number;
  p95LatencySeconds?: number;
  /** End-to-end time (enqueue → end) over the metrics window: what the SLO is about. */
  turnaroundP50Seconds?: number;
  turnaroundP95Seconds?: number;
  /** Jobs that ended (completed or dead-lettered) since the previous sample, and those within the SLO. */
  ended?: number;
  withinSlo?: number;
  /** The forecast the policy used: arrivals per minute expected `forecastHorizonMinutes` after `at`. */
  forecastPerMinute?: number;
  forecastHorizonMinutes?: number;
  /** Spend so far in the current hour / day / month (dollars) and its projection to the period's end. */
  spendHourly?: number;
  spendDaily?: number;
  spendMonthly?: number;
  projectedHourly?: number;
  projectedDaily?: number;
  projectedMonthly?: number;
  /** Paid workers × price per worker-hour at this tick. */
  costPerHour?: number;
  error?: string;
}

/** Numeric fields of a sample that the history aggregates per bucket. */
export type TickSeriesKey = Exclude<keyof TickSample, 'at' | 'mode' | 'action' | 'acted' | 'error' | 'before'>;

/** One bucket of samples: means of the fleet, rates and forecast; maxima of queue, waits and latency; sums of counts; the latest spend. */
export type TickPoint = { at: number; samples: number; actions: number } & Partial<Record<TickSeriesKey, number>>;

/** A tick at which the fleet was asked to change, or a gate changed the target. */
export interface TickMarker {
  at: number;
  action: DecisionRecord['action'];
  from: number;
  target: number;
  desired: number;
  acted: boolean;
}

export interface TickHistoryQuery {
  mode: ControllerMode;
  /** Epoch ms, inclusive. */
  fromMs: number;
  /** Epoch ms, exclusive. */
  toMs: number;
  /** Most buckets returned; the bucket width follows. */
  maxPoints: number;
  /** Most markers returned (the latest). */
  maxMarkers?: number;
}

export interface TickHistoryPage {
  fromMs: number;
  toMs: number;
  bucketMs: number;
  points: TickPoint[];
  markers: TickMarker[];
  /** Over the whole range, not only the returned points. */
  totals: { samples: number; ended: number; withinSlo: number; actions: number };
  /** Earliest sample kept for this mode (what a range can reach back to), epoch ms. */
  firstMs?: number;
}

/** Durable tick history with bounded retention (the dashboard reads it after a reload or a restart). */
export interface TickHistory {
  appendTick(sample: TickSample): Promise<void>;
  tickHistory(query: TickHistoryQuery): Promise<TickHistoryPage>;
  /** Time of the latest sample of `mode` (a restarted controller counts outcomes from there). */
  lastTickAt(mode: ControllerMode): Promise<Date | undefined>;
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
  /** Each stage's effect on the target with its code, when the policy has stages. */
  limits?: StageLimit[];
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
