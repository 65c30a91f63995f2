/**
 * The engine's limit stages, applied in this order to the target the score (or a panic) proposes:
 * stabilize → budget → clamp → cooldown. Like the Kubernetes HPA's
 * stabilizeRecommendationWithBehaviors and convertDesiredReplicasWithBehaviorRate, each is a pure
 * function of its inputs returning the target it allows, a stable code and a message; the engine
 * records every stage in `decision.limits`, whether it changed the target or not.
 *
 * Order matters: a hard budget is applied before the cooldown, and the cooldown lets a
 * budget-forced scale-down through (a cooldown must never hold a fleet over budget).
 */
import type { ScaleUpCheck, ScalingAction } from './types.js';

export type LimitStage = 'stabilize' | 'budget' | 'clamp' | 'cooldown';

/** Every code a stage returns, the stage that returns it and what it means. */
export const LIMIT_CODES = {
  NOT_SCALING_DOWN: { stage: 'stabilize', meaning: 'the score did not ask for a scale-down; stabilization only slows scale-downs' },
  METRICS_MISSING: { stage: 'stabilize', meaning: 'a scale-down was asked for, but queue depth, latency, workers or the rate is missing or invalid: held' },
  STABILIZED: { stage: 'stabilize', meaning: 'the highest recommendation of the stabilization window keeps the fleet above the proposal' },
  STEP_LIMITED: { stage: 'stabilize', meaning: 'the scale-down is cut to the largest step (scale_down_max_fraction of the fleet)' },
  SCALE_DOWN_ALLOWED: { stage: 'stabilize', meaning: 'the proposed scale-down passes unchanged' },
  BUDGET_OK: { stage: 'budget', meaning: 'the fleet fits every budget for the next hour' },
  BUDGET_HOURLY: { stage: 'budget', meaning: 'trimmed to the largest fleet the hourly budget affords' },
  BUDGET_DAILY: { stage: 'budget', meaning: 'trimmed to the largest fleet the daily budget affords' },
  BUDGET_MONTHLY: { stage: 'budget', meaning: 'trimmed to the largest fleet the monthly budget affords' },
  WITHIN_BOUNDS: { stage: 'clamp', meaning: 'the target is within [min_workers, max_workers]' },
  CLAMP_MIN: { stage: 'clamp', meaning: 'raised to min_workers' },
  CLAMP_MAX: { stage: 'clamp', meaning: 'lowered to max_workers' },
  NO_COOLDOWN: { stage: 'cooldown', meaning: 'no cooldown is running' },
  COOLDOWN_NO_ACTION: { stage: 'cooldown', meaning: 'a cooldown is running, but no action is wanted' },
  COOLDOWN_HOLD: { stage: 'cooldown', meaning: 'the cooldown of this direction holds the fleet at its current size' },
  COOLDOWN_DIRECTION_EXPIRED: { stage: 'cooldown', meaning: "the other direction's cooldown is running; this direction's has ended" },
  COOLDOWN_OUT_OF_RANGE: { stage: 'cooldown', meaning: 'the fleet is outside [min_workers, max_workers]: moving back into range ignores the cooldown' },
  COOLDOWN_PANIC: { stage: 'cooldown', meaning: 'a panic goes beyond the last target: it breaks the cooldown' },
  COOLDOWN_BUDGET: { stage: 'cooldown', meaning: 'the budget trimmed the fleet below its current size: the budget wins over the cooldown' },
} as const satisfies Record<string, { stage: LimitStage; meaning: string }>;

export type LimitCode = keyof typeof LIMIT_CODES;

export interface LimitResult {
  target: number;
  code: LimitCode;
  message: string;
  /** True when the message is not worth a reasoning line (the stage had nothing to say). */
  quiet: boolean;
}

const result = (target: number, code: LimitCode, message: string, quiet = false): LimitResult => ({ target, code, message, quiet });

export interface StabilizeInput {
  nowMs: number;
  current: number;
  /** The proposal; for a scale-down at most `current`. */
  desired: number;
  /** Whether the score asked for a scale-down this round. */
  scaleDownWanted: boolean;
  /** False when a metric a scale-down relies on is missing or invalid. */
  metricsComplete: boolean;
  /** [timestamp ms, recommended workers] of recent rounds, the current one included. */
  recommendations: ReadonlyArray<readonly [number, number]>;
  windowSeconds: number;
  maxFraction: number;
  minWorkers: number;
}

/** Scale down toward the highest recommendation of the window, at most one step (HPA's stabilization window). */
export function stabilize(i: StabilizeInput): LimitResult {
  if (!i.scaleDownWanted) return result(i.desired, 'NOT_SCALING_DOWN', 'Stabilize: not scaling down', true);
  if (!i.metricsComplete) return result(i.current, 'METRICS_MISSING', 'Not scaling down: metrics missing or invalid this round');
  const horizon = i.nowMs - i.windowSeconds * 1000;
  let highest = 0;
  for (const [at, workers] of i.recommendations) if (at >= horizon && workers > highest) highest = workers;
  const step = Math.max(1, Math.floor(i.current * i.maxFraction));
  const target = Math.max(i.desired, highest, i.current - step, i.minWorkers);
  const window = `Stabilize: highest recommendation in the last ${i.windowSeconds}s is ${highest}`;
  if (target >= i.current) return result(i.current, 'STABILIZED', `${window}; keeping ${i.current}`);
  const code: LimitCode = target === i.desired ? 'SCALE_DOWN_ALLOWED' : target === highest ? 'STABILIZED' : 'STEP_LIMITED';
  return result(target, code, `${window}; step limit ${step} → ${target}`);
}

const BUDGET_CODE = { hourly: 'BUDGET_HOURLY', daily: 'BUDGET_DAILY', monthly: 'BUDGET_MONTHLY' } as const;

/**
 * Trims the target to the largest affordable fleet. `check` is CostOptimizer.canScaleUp(current,
 * max(current, desired)): a fleet already over budget is trimmed too, not only a scale-up.
 */
export function budgetLimit(current: number, desired: number, check: ScaleUpCheck): LimitResult {
  if (check.allowed || check.maxAffordableWorkers >= desired) {
    return result(desired, 'BUDGET_OK', `Budget: ${check.reason}`, desired <= current);
  }
  const trimmed = Math.max(0, check.maxAffordableWorkers);
  return result(trimmed, BUDGET_CODE[check.limitedBy ?? 'hourly'], `Budget: ${check.reason}; target ${desired} trimmed to ${trimmed} (affordable)`);
}

/** Rounds and clamps to [min, max]. */
export function clampTarget(target: number, minWorkers: number, maxWorkers: number): LimitResult {
  const clamped = Math.min(maxWorkers, Math.max(minWorkers, Math.round(target)));
  if (clamped === target) return result(target, 'WITHIN_BOUNDS', `Clamp: ${target} within [${minWorkers}, ${maxWorkers}]`, true);
  return result(clamped, clamped > target ? 'CLAMP_MIN' : 'CLAMP_MAX', `Clamp: ${target} outside [${minWorkers}, ${maxWorkers}] → ${clamped}`);
}

export interface LastAction {
  atMs: number;
  action: ScalingAction;
  target: number;
}

export interface CooldownInput {
  nowMs: number;
  current: number;
  target: number;
  lastAction: LastAction | null;
  upMinutes: number;
  downMinutes: number;
  minWorkers: number;
  maxWorkers: number;
  /** The proposal came from a panic. */
  panic: boolean;
  /** The budget stage cut the target (code BUDGET_HOURLY/DAILY/MONTHLY). */
  budgetTrimmed: boolean;
}

const MS_PER_MINUTE = 60_000;

/**
 * Milliseconds left of the cooldown after `last` for a direction (or the longer of the two);
 * never more than the cooldown itself, even if time went backwards.
 */
export function cooldownRemainingMs(nowMs: number, last: LastAction | null, upMinutes: number, downMinutes: number, direction?: 'up' | 'down'): number {
  if (!last) return 0;
  const minutes = direction === 'up' ? upMinutes : direction === 'down' ? downMinutes : Math.max(upMinutes, downMinutes);
  return Math.min(minutes * MS_PER_MINUTE, Math.max(0, last.atMs + minutes * MS_PER_MINUTE - nowMs));
}

/**
 * A cooldown holds its direction, except to move back into [min, max], for a panic beyond the
 * last target, or for a scale-down the budget forces. The message goes first in the reasoning.
 */
export function cooldown(i: CooldownInput): LimitResult {
  const remaining = cooldownRemainingMs(i.nowMs, i.lastAction, i.upMinutes, i.downMinutes);
  if (remaining <= 0 || !i.lastAction) return result(i.target, 'NO_COOLDOWN', 'No cooldown running', true);
  const note = `In cooldown period (${(remaining / MS_PER_MINUTE).toFixed(1)} minutes remaining after ${i.lastAction.action} to ${i.lastAction.target} workers)`;
  if (i.target === i.current) return result(i.target, 'COOLDOWN_NO_ACTION', note);
  const direction = i.target > i.current ? 'up' : 'down';
  if (i.current < i.minWorkers || i.current > i.maxWorkers) return result(i.target, 'COOLDOWN_OUT_OF_RANGE', note);
  if (cooldownRemainingMs(i.nowMs, i.lastAction, i.upMinutes, i.downMinutes, direction) <= 0) {
    return result(i.target, 'COOLDOWN_DIRECTION_EXPIRED', note);
  }
  if (i.panic && direction === 'up' && i.target > i.lastAction.target) return result(i.target, 'COOLDOWN_PANIC', note);
  if (i.budgetTrimmed && direction === 'down') return result(i.target, 'COOLDOWN_BUDGET', `${note}; the budget overrides it`);
  return result(i.current, 'COOLDOWN_HOLD', `${note}; holding at ${i.current} workers (wanted ${i.target})`);
}
