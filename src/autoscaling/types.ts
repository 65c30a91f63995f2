/**
 * Public types of the autoscaling core. Everything here is data: no I/O, no clocks.
 * Names follow the v2.9.0 brief (camelCase for its snake_case Python names); README "Names"
 * says what each rate and depth counts.
 */
import type { LimitCode, LimitStage } from './limits.js';

/** Injectable time source. Core classes call it instead of `new Date()` when one is given. */
export type Clock = () => Date;

/** Wall-clock `Clock`, the default wherever a clock is optional. */
export const systemClock: Clock = () => new Date();

export const ScalingAction = {
  SCALE_UP: 'scale_up',
  SCALE_DOWN: 'scale_down',
  NO_CHANGE: 'no_change',
} as const;
export type ScalingAction = (typeof ScalingAction)[keyof typeof ScalingAction];

export type Trend = 'increasing' | 'decreasing' | 'stable';
export type TrendOrInsufficient = Trend | 'insufficient_data';

/**
 * One observation fed to the predictor, which forecasts demand. Its `validationsPerMinute` (the
 * brief's name) is therefore the arrival rate: validations enqueued per minute since the
 * previous sample. The engine fills it from `ScalingMetrics.arrivalsPerMinute`.
 */
export interface WorkloadSample {
  timestamp: Date;
  /** Arrivals (validations enqueued) per minute since the previous sample: the demand to forecast. */
  validationsPerMinute: number;
  queueDepth: number;
  avgLatencySeconds: number;
  activeWorkers: number;
  cpuUsage?: number;
  memoryUsage?: number;
}

export interface WorkloadPrediction {
  /** Forecast arrivals (demand) per minute at the horizon. */
  predictedValidationsPerMinute: number;
  /** Forecast validations waiting to start (not those in progress). */
  predictedQueueDepth: number;
  /** 0..1, derived from the predictor's own measured recent forecast error; low with little data. */
  confidence: number;
  timeHorizonMinutes: number;
  /** The instant the prediction is for: latest sample time + horizon. */
  timestamp: Date;
  trend: Trend;
}

export interface WorkloadStatistics {
  sampleCount: number;
  avgValidationsPerMinute: number;
  maxValidationsPerMinute: number;
  avgQueueDepth: number;
  maxQueueDepth: number;
  avgLatencySeconds: number;
  maxLatencySeconds: number;
  timeSpanMinutes: number;
}

/**
 * What the engine sees each evaluation. The first four fields are the brief's; the optional
 * extensions let a live controller or the simulator give the queueing model better inputs.
 * `validationsPerMinute` is throughput (completions), `arrivalsPerMinute` is demand; the engine
 * sizes on demand and uses completions in its place only when arrivals are not given.
 */
export interface ScalingMetrics {
  /** Validations waiting to start, not counting those in progress (`inFlight`). */
  queueDepth: number;
  /** Completed validations per minute over the metrics window (throughput, not demand). */
  validationsPerMinute: number;
  /** Mean processing time (start to end) of validations completed in the window, seconds. */
  avgLatencySeconds: number;
  /** Workers provisioned (starting or ready): the count scaling targets are relative to. */
  activeWorkers: number;
  cpuUsage?: number;
  memoryUsage?: number;
  aiProviderLatencySeconds?: number;
  currentCostPerHour?: number;
  timestamp?: Date;
  /** Arrivals (enqueued validations) per minute over the window: the demand. When absent, `validationsPerMinute` stands in. */
  arrivalsPerMinute?: number;
  /** Workers ready to take jobs (started up). Defaults to `activeWorkers`. */
  readyWorkers?: number;
  /** Validations in progress right now (started, not ended); never part of `queueDepth`. */
  inFlight?: number;
  /** Age of the oldest waiting validation, seconds. */
  oldestWaitSeconds?: number;
  /**
   * Coefficient of variation (std ÷ mean) of processing time over the window. Sizing assumes 1
   * (exponential service, the cautious M/M/N case) when it is not given.
   */
  serviceTimeCv?: number;
}

export interface ScalingScores {
  queue: number;
  latency: number;
  prediction: number;
  cost: number;
  combined: number;
}

/** What one limit stage did to the target (see limits.ts for the codes). */
export interface DecisionLimit {
  stage: LimitStage;
  code: LimitCode;
  message: string;
  /** Target before the stage. */
  from: number;
  /** Target after it (equal to `from` when the stage changed nothing). */
  to: number;
}

export interface ScalingDecision {
  action: ScalingAction;
  targetWorkers: number;
  currentWorkers: number;
  confidence: number;
  /** Human-readable reasons, one per stage; reasoning[0] names the cooldown when one is running. */
  reasoning: string[];
  /** Every limit stage in the order applied (stabilize, budget, clamp, cooldown), changed or not. */
  limits: DecisionLimit[];
  scores: ScalingScores;
  prediction?: WorkloadPrediction;
  timestamp: Date;
}

export type BudgetPeriod = 'hourly' | 'daily' | 'monthly';
export type BudgetHealth = 'healthy' | 'warning' | 'critical' | 'over_budget';

export interface BudgetPeriodStatus {
  budget: number;
  current: number;
  utilization: number;
  remaining: number;
  /** Spend at the end of the period if the current rate holds. */
  projected: number;
  status: BudgetHealth;
}

export type BudgetStatus = Record<BudgetPeriod, BudgetPeriodStatus>;

export interface ScaleUpCheck {
  allowed: boolean;
  reason: string;
  maxAffordableWorkers: number;
  /** The budget that sets maxAffordableWorkers when the target does not fit. */
  limitedBy?: BudgetPeriod;
}

export interface CostScaleDownCheck {
  scaleDown: boolean;
  targetWorkers: number;
  reason: string;
}

export interface BudgetAlert {
  period: BudgetPeriod;
  utilization: number;
  threshold: number;
  status: BudgetHealth;
  at: Date;
}
