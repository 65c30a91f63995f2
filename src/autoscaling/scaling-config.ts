/**
 * Engine and cost settings with their defaults. The brief's keys keep the brief's defaults;
 * every knob added here documents its default next to it.
 */
import { ConfigError } from './errors.js';

export { ConfigError };

export interface CostConfig {
  /** Budget for one clock hour, dollars. Default 10. */
  hourlyBudget: number;
  /** Budget for one calendar day, dollars. Default 200. */
  dailyBudget: number;
  /** Budget for one calendar month, dollars. Default 5000. */
  monthlyBudget: number;
  /** Price of one worker for one hour, dollars. Default 2. */
  costPerWorkerHour: number;
  /** Utilization (0..1) of any budget at which an alert is raised. Default 0.8. */
  alertThreshold: number;
  /** IANA time zone for budget periods; default 'UTC'. */
  timezone: string;
}

export const DEFAULT_COST_CONFIG: Readonly<CostConfig> = Object.freeze({
  hourlyBudget: 10,
  dailyBudget: 200,
  monthlyBudget: 5000,
  costPerWorkerHour: 2,
  alertThreshold: 0.8,
  timezone: 'UTC',
});

export interface ScalingConfig {
  /** Lower bound of the fleet. Default 1. */
  minWorkers: number;
  /** Upper bound of the fleet. Default 10. */
  maxWorkers: number;
  /** Queue depth the queue score treats as "on target". Default 10. */
  targetQueueDepth: number;
  /** Latency the latency score treats as "on target", seconds. Default 30. */
  targetLatencySeconds: number;
  /** Combined score above which the engine scales up. Default 0.7. */
  scaleUpThreshold: number;
  /** Combined score below which the engine scales down. Default 0.3. */
  scaleDownThreshold: number;
  /** Minutes after a scaling action during which no further action is taken. Default 5. */
  cooldownMinutes: number;
  /** Minutes after an action before another scale-up; default `cooldownMinutes`. */
  scaleUpCooldownMinutes?: number;
  /** Minutes after an action before another scale-down; default `cooldownMinutes`. */
  scaleDownCooldownMinutes?: number;
  /** Samples the predictor keeps for statistics (its seasonal memory does not depend on it). Default 1000. */
  historySize: number;
  /** Forecast horizon for the prediction score, minutes. Default 5. */
  predictionHorizonMinutes: number;
  /** Seconds from requesting a worker to it taking jobs; sizing looks this far ahead. Default 60. */
  workerStartupSeconds: number;
  /** Queue wait the sizing model aims for, seconds. Default 30 (the brief's target latency). */
  targetWaitSeconds: number;
  /** Share of validations that must start within `targetWaitSeconds` (Erlang C). Default 0.95. */
  waitPercentile: number;
  /** A backlog must drain within this many seconds; sizing adds the workers that takes. Default 120. */
  backlogDrainSeconds: number;
  /** Highest planned utilization of a worker (0..1], headroom for bursts. Default 0.9. */
  maxUtilization: number;
  /** Service time assumed until latency has been measured, seconds. Default 30. */
  defaultServiceSeconds: number;
  /** Panic when the model needs at least this multiple of the current fleet. Default 2 (Knative's 200 %). */
  panicThreshold: number;
  /**
   * Scale-down recommendations are the max over this window, seconds (HPA's stabilization).
   * Default 60, not HPA's 300: the cooldown already spaces actions (5 min by default) and the
   * recommendations come from a smoothed forecast, not raw metrics. On the shared traces 300 s
   * cost 3–4 % more at the same SLO (BENCHMARKS.md).
   */
  scaleDownStabilizationSeconds: number;
  /** Largest share of the fleet removed in one scale-down (at least one worker). Default 0.5. */
  scaleDownMaxFraction: number;
  /** Cost and budget settings. */
  costConfig: CostConfig;
  /** IANA time zone for the predictor's calendar; default 'UTC'. */
  timezone: string;
}

export type ScalingConfigInput = Partial<Omit<ScalingConfig, 'costConfig'>> & {
  costConfig?: Partial<CostConfig>;
};

export const DEFAULT_SCALING_CONFIG: Readonly<Omit<ScalingConfig, 'costConfig'>> = Object.freeze({
  minWorkers: 1,
  maxWorkers: 10,
  targetQueueDepth: 10,
  targetLatencySeconds: 30,
  scaleUpThreshold: 0.7,
  scaleDownThreshold: 0.3,
  cooldownMinutes: 5,
  historySize: 1000,
  predictionHorizonMinutes: 5,
  workerStartupSeconds: 60,
  targetWaitSeconds: 30,
  waitPercentile: 0.95,
  backlogDrainSeconds: 120,
  maxUtilization: 0.9,
  defaultServiceSeconds: 30,
  panicThreshold: 2,
  scaleDownStabilizationSeconds: 60,
  scaleDownMaxFraction: 0.5,
  timezone: 'UTC',
});


function requireFinite(field: string, value: number, check: (v: number) => boolean, rule: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || !check(value)) {
    throw new ConfigError(`${field} must be ${rule}; got ${String(value)}`);
  }
}

export function resolveCostConfig(input: Partial<CostConfig> = {}): CostConfig {
  const c: CostConfig = { ...DEFAULT_COST_CONFIG, ...stripUndefined(input) };
  for (const key of ['hourlyBudget', 'dailyBudget', 'monthlyBudget'] as const) {
    requireFinite(`costConfig.${key}`, c[key], (v) => v > 0, 'a number > 0');
  }
  requireFinite('costConfig.costPerWorkerHour', c.costPerWorkerHour, (v) => v >= 0, 'a number >= 0');
  requireFinite('costConfig.alertThreshold', c.alertThreshold, (v) => v > 0 && v <= 1, 'in (0, 1]');
  assertTimezone('costConfig.timezone', c.timezone);
  return c;
}

/** Fills defaults and validates; throws ConfigError naming the field and value. */
export function resolveScalingConfig(input: ScalingConfigInput = {}): ScalingConfig {
  const { costConfig, ...rest } = input;
  const c: ScalingConfig = {
    ...DEFAULT_SCALING_CONFIG,
    ...stripUndefined(rest),
    costConfig: resolveCostConfig(costConfig),
  };
  requireFinite('minWorkers', c.minWorkers, (v) => Number.isInteger(v) && v >= 0, 'an integer >= 0');
  requireFinite('maxWorkers', c.maxWorkers, (v) => Number.isInteger(v) && v >= 1, 'an integer >= 1');
  if (c.minWorkers > c.maxWorkers) {
    throw new ConfigError(`minWorkers (${c.minWorkers}) must be <= maxWorkers (${c.maxWorkers})`);
  }
  const positive = [
    'targetQueueDepth', 'targetLatencySeconds', 'historySize', 'predictionHorizonMinutes',
    'targetWaitSeconds', 'backlogDrainSeconds', 'defaultServiceSeconds',
  ] as const;
  for (const key of positive) requireFinite(key, c[key], (v) => v > 0, 'a number > 0');
  requireFinite('historySize', c.historySize, Number.isInteger, 'an integer');
  for (const key of ['scaleUpThreshold', 'scaleDownThreshold'] as const) {
    requireFinite(key, c[key], (v) => v >= 0 && v <= 1, 'in [0, 1]');
  }
  if (c.scaleDownThreshold >= c.scaleUpThreshold) {
    throw new ConfigError(
      `scaleDownThreshold (${c.scaleDownThreshold}) must be < scaleUpThreshold (${c.scaleUpThreshold})`,
    );
  }
  const nonNegative = ['cooldownMinutes', 'workerStartupSeconds', 'scaleDownStabilizationSeconds'] as const;
  for (const key of nonNegative) requireFinite(key, c[key], (v) => v >= 0, 'a number >= 0');
  for (const key of ['scaleUpCooldownMinutes', 'scaleDownCooldownMinutes'] as const) {
    const v = c[key];
    if (v !== undefined) requireFinite(key, v, (x) => x >= 0, 'a number >= 0');
  }
  requireFinite('waitPercentile', c.waitPercentile, (v) => v > 0 && v < 1, 'in (0, 1)');
  requireFinite('maxUtilization', c.maxUtilization, (v) => v > 0 && v <= 1, 'in (0, 1]');
  requireFinite('panicThreshold', c.panicThreshold, (v) => v > 1, 'a number > 1');
  requireFinite('scaleDownMaxFraction', c.scaleDownMaxFraction, (v) => v > 0 && v <= 1, 'in (0, 1]');
  assertTimezone('timezone', c.timezone);
  return c;
}

export function assertTimezone(field: string, tz: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new ConfigError(`${field} must be an IANA time zone such as "UTC" or "Europe/Paris"; got ${JSON.stringify(tz)}`);
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}
