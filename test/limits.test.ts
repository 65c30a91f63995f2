import { describe, expect, it } from 'vitest';
import {
  LIMIT_CODES, budgetLimit, clampTarget, cooldown, stabilize, type CooldownInput, type LimitCode, type StabilizeInput,
} from '../src/autoscaling/limits.js';
import { ScalingAction, type ScaleUpCheck } from '../src/autoscaling/types.js';

const T0 = Date.parse('2025-10-20T10:00:00Z');

describe('stabilize', () => {
  const base: StabilizeInput = {
    nowMs: T0, current: 10, desired: 4, scaleDownWanted: true, metricsComplete: true,
    recommendations: [[T0, 4]], windowSeconds: 60, maxFraction: 0.5, minWorkers: 1,
  };
  const cases: Array<{ name: string; input: Partial<StabilizeInput>; target: number; code: LimitCode; quiet?: boolean }> = [
    { name: 'no scale-down asked for', input: { scaleDownWanted: false, desired: 12 }, target: 12, code: 'NOT_SCALING_DOWN', quiet: true },
    { name: 'a metric is missing', input: { metricsComplete: false }, target: 10, code: 'METRICS_MISSING' },
    { name: 'a recent higher recommendation holds the whole fleet', input: { recommendations: [[T0 - 30_000, 11], [T0, 4]] }, target: 10, code: 'STABILIZED' },
    { name: 'a recent recommendation holds part of it', input: { recommendations: [[T0 - 30_000, 7], [T0, 4]] }, target: 7, code: 'STABILIZED' },
    { name: 'recommendations older than the window are ignored', input: { recommendations: [[T0 - 61_000, 11], [T0, 6]], desired: 6 }, target: 6, code: 'SCALE_DOWN_ALLOWED' },
    { name: 'at most half the fleet per step', input: { desired: 2, recommendations: [[T0, 2]] }, target: 5, code: 'STEP_LIMITED' },
    { name: 'a step of at least one worker', input: { current: 1, desired: 0, minWorkers: 0, recommendations: [[T0, 0]] }, target: 0, code: 'SCALE_DOWN_ALLOWED' },
    { name: 'a small scale-down passes', input: { desired: 8, recommendations: [[T0, 8]] }, target: 8, code: 'SCALE_DOWN_ALLOWED' },
    { name: 'the wanted size is the current one', input: { desired: 10, recommendations: [[T0, 10]] }, target: 10, code: 'STABILIZED' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = stabilize({ ...base, ...c.input });
      expect(r).toMatchObject({ target: c.target, code: c.code, quiet: c.quiet ?? false });
      expect(LIMIT_CODES[r.code].stage).toBe('stabilize');
    });
  }
  it('says what held it, as the reasoning always has', () => {
    expect(stabilize({ ...base, recommendations: [[T0 - 30_000, 11], [T0, 4]] }).message)
      .toBe('Stabilize: highest recommendation in the last 60s is 11; keeping 10');
    expect(stabilize({ ...base, desired: 2, recommendations: [[T0, 2]] }).message)
      .toBe('Stabilize: highest recommendation in the last 60s is 2; step limit 5 → 5');
  });
});

describe('budget', () => {
  const fits: ScaleUpCheck = { allowed: true, reason: 'Within budget', maxAffordableWorkers: 50 };
  const over = (limitedBy: ScaleUpCheck['limitedBy'], max: number): ScaleUpCheck => ({
    allowed: false, reason: `Would exceed ${limitedBy} budget`, maxAffordableWorkers: max, ...(limitedBy ? { limitedBy } : {}),
  });
  const cases: Array<{ name: string; current: number; desired: number; check: ScaleUpCheck; target: number; code: LimitCode; quiet: boolean }> = [
    { name: 'a scale-up that fits', current: 2, desired: 6, check: fits, target: 6, code: 'BUDGET_OK', quiet: false },
    { name: 'no scale-up, fits: nothing to say', current: 6, desired: 4, check: fits, target: 4, code: 'BUDGET_OK', quiet: true },
    { name: 'trimmed by the hourly budget', current: 2, desired: 9, check: over('hourly', 5), target: 5, code: 'BUDGET_HOURLY', quiet: false },
    { name: 'trimmed by the daily budget', current: 2, desired: 9, check: over('daily', 4), target: 4, code: 'BUDGET_DAILY', quiet: false },
    { name: 'trimmed by the monthly budget', current: 2, desired: 9, check: over('monthly', 3), target: 3, code: 'BUDGET_MONTHLY', quiet: false },
    { name: 'a fleet already over budget is trimmed too', current: 10, desired: 10, check: over('hourly', 5), target: 5, code: 'BUDGET_HOURLY', quiet: false },
    { name: 'a check flagged but the target is affordable', current: 2, desired: 5, check: over('hourly', 5), target: 5, code: 'BUDGET_OK', quiet: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(budgetLimit(c.current, c.desired, c.check)).toMatchObject({ target: c.target, code: c.code, quiet: c.quiet });
    });
  }
  it('names the trim in its message', () => {
    expect(budgetLimit(2, 9, over('hourly', 5)).message).toBe('Budget: Would exceed hourly budget; target 9 trimmed to 5 (affordable)');
  });
});

describe('clamp', () => {
  it.each([
    { name: 'within', target: 5, want: 5, code: 'WITHIN_BOUNDS' },
    { name: 'below min', target: 0, want: 2, code: 'CLAMP_MIN' },
    { name: 'above max', target: 12, want: 8, code: 'CLAMP_MAX' },
    { name: 'at max', target: 8, want: 8, code: 'WITHIN_BOUNDS' },
  ] as const)('$name', ({ target, want, code }) => {
    expect(clampTarget(target, 2, 8)).toMatchObject({ target: want, code });
  });
  it('says what it did', () => {
    expect(clampTarget(12, 2, 8).message).toBe('Clamp: 12 outside [2, 8] → 8');
  });
});

describe('cooldown', () => {
  const last = { atMs: T0 - 2 * 60_000, action: ScalingAction.SCALE_UP, target: 5 };
  const base: CooldownInput = {
    nowMs: T0, current: 5, target: 7, lastAction: last, upMinutes: 5, downMinutes: 5,
    minWorkers: 1, maxWorkers: 10, panic: false, budgetTrimmed: false,
  };
  const cases: Array<{ name: string; input: Partial<CooldownInput>; target: number; code: LimitCode }> = [
    { name: 'no action yet', input: { lastAction: null }, target: 7, code: 'NO_COOLDOWN' },
    { name: 'the cooldown has passed', input: { nowMs: T0 + 3 * 60_000 }, target: 7, code: 'NO_COOLDOWN' },
    { name: 'nothing wanted during a cooldown', input: { target: 5 }, target: 5, code: 'COOLDOWN_NO_ACTION' },
    { name: 'a scale-up is held', input: {}, target: 5, code: 'COOLDOWN_HOLD' },
    { name: 'a scale-down is held', input: { target: 3 }, target: 5, code: 'COOLDOWN_HOLD' },
    { name: 'above max: moving back into range goes through', input: { current: 12, target: 10 }, target: 10, code: 'COOLDOWN_OUT_OF_RANGE' },
    { name: 'below min: moving back into range goes through', input: { current: 0, target: 1 }, target: 1, code: 'COOLDOWN_OUT_OF_RANGE' },
    { name: "the other direction's cooldown", input: { upMinutes: 1, downMinutes: 10 }, target: 7, code: 'COOLDOWN_DIRECTION_EXPIRED' },
    { name: 'a panic beyond the last target', input: { panic: true }, target: 7, code: 'COOLDOWN_PANIC' },
    { name: 'a panic not beyond the last target is held', input: { panic: true, current: 3, target: 5 }, target: 3, code: 'COOLDOWN_HOLD' },
    { name: 'a budget-forced scale-down wins over the cooldown', input: { current: 10, target: 5, budgetTrimmed: true }, target: 5, code: 'COOLDOWN_BUDGET' },
    { name: 'a budget trim that still scales up is held', input: { current: 5, target: 7, budgetTrimmed: true }, target: 5, code: 'COOLDOWN_HOLD' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = cooldown({ ...base, ...c.input });
      expect(r).toMatchObject({ target: c.target, code: c.code });
      expect(LIMIT_CODES[r.code].stage).toBe('cooldown');
    });
  }
  it('never reads longer than the cooldown, even when time went backwards', () => {
    const r = cooldown({ ...base, nowMs: T0 - 365 * 86_400_000 });
    expect(r.message).toMatch(/^In cooldown period \(5\.0 minutes remaining/);
  });
  it('its message is the seed\'s "In cooldown period (…)"', () => {
    expect(cooldown(base).message).toBe('In cooldown period (3.0 minutes remaining after scale_up to 5 workers); holding at 5 workers (wanted 7)');
  });
});
