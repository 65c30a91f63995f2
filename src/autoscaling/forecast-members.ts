/**
 * The members of the forecast ensemble (forecast-ensemble.ts): simple forecasters that are each
 * right on some kind of workload, so that the ensemble, weighting them by their measured error,
 * is never much worse than the best of them.
 *
 * - seasonal: the seasonal model (seasonal-model.ts), smooth, with daily/weekly profiles;
 * - last: the latest whole minute's rate, seasonally adjusted: S(x) + (rate − S then)
 *   (right for a busy rate that wanders);
 * - level-*: the profile S(x) plus an EWMA of the deseasonalised rate with a time constant from
 *   one minute to two hours (from "the latest value, seasonally adjusted" to "the long-run
 *   level"). The slow ones (10 min and more) take each sample in only up to 3 noise σ of their
 *   level (as the model's drift does), so a burst of a few minutes does not linger for an hour in
 *   them: they are the ensemble's moving averages, robust to bursts (under absolute error a
 *   one-off burst should not move the forecast of the next hour); before a day of history S is 0;
 * - adaptive: S(x) plus a local-level (Kalman) filter whose gain comes from the measured
 *   autocovariance of the residual's differences, so it smooths as much as the noise asks;
 *
 * Before a day of history S is 0, so `last` is then exactly the last-value baseline. Seasonal
 * adjustment keeps a learned spike (Monday 09:00) in every member's forecast, so the weights
 * cannot average it away. No plain moving average: it keeps a one-off burst in the forecast for
 * its whole window; the robust slow levels did as well as the 60-minute mean where that was the
 * best baseline (bursty, sparse and overdispersed traces).
 *
 * No seasonal-naive member ("the same window a day / a week earlier"): measured on the shared
 * and synthetic traces it never beat the seasonal model and the levels, and it replays a one-off
 * spike the next day, which the seasonal profile deliberately does not.
 *
 * Every forecast is a mean rate over a window (from, to] minutes after the latest sample.
 */
import { clippedGap } from './level-shift.js';
import { DEFAULT_MODEL_KNOBS } from './seasonal-model.js';

export const MEMBER_NAMES = [
  'seasonal', 'last', 'level-1m', 'level-3m', 'level-10m', 'level-30m', 'level-2h', 'adaptive',
] as const;
export type MemberName = (typeof MEMBER_NAMES)[number];
export const MEMBER_COUNT = MEMBER_NAMES.length;
/** Index of the seasonal model, the ensemble's fallback. */
export const SEASONAL_MEMBER = 0;

/** Time constants (minutes) of the level-* members, in MEMBER_NAMES order. */
const LEVEL_MINUTES = [1, 3, 10, 30, 120] as const;
/** Levels from this index on (10 min and slower) clip their input at 3σ. */
const FIRST_ROBUST_LEVEL = 2;
export const LEVEL_COUNT = LEVEL_MINUTES.length;
const FIRST_LEVEL = 2;
const ADAPTIVE = FIRST_LEVEL + LEVEL_MINUTES.length;

/**
 * Each member seen as an EWMA of the rate: its gain per minute, for the error prior
 * (forecast-prior.ts); NaN for the adaptive member, whose gain changes.
 * The seasonal model counts as its level (default time constant).
 */
export const MEMBER_GAINS: readonly number[] = [
  1 - Math.exp(-1 / DEFAULT_MODEL_KNOBS.levelMinutes), 1, ...LEVEL_MINUTES.map((tau) => 1 - Math.exp(-1 / tau)),
  Number.NaN,
];
/** Time constant (minutes) of the adaptive member's moment estimates. */
const ADAPTIVE_MOMENT_MINUTES = 60;
/** The adaptive gain stays within these (never frozen, never pure last-value on one sample). */
const MIN_GAIN = 0.02;
const MAX_GAIN = 1;

export interface MembersState {
  /** Latest residual: the latest rate minus its seasonal deviation. */
  lastResidualRate: number | null;
  /** Residual EWMAs, one per LEVEL_MINUTES entry. */
  levels: number[];
  /** Minutes of evidence behind the levels (a running mean until it exceeds a time constant). */
  levelMinutes: number;
  /** Adaptive member: level, samples seen, EW variance and lag-1 covariance of the residual's differences. */
  adaptive: number;
  adaptiveSteps: number;
  diffVariance: number;
  diffCovariance: number;
  lastDiff: number;
  lastResidual: number | null;
}

export function emptyMembersState(): MembersState {
  return {
    lastResidualRate: null, levels: LEVEL_MINUTES.map(() => 0), levelMinutes: 0,
    adaptive: 0, adaptiveSteps: 0, diffVariance: 0, diffCovariance: 0, lastDiff: 0, lastResidual: null,
  };
}


function ewmaGain(minutes: number, tau: number, seen: number): number {
  if (minutes <= 0) return 0;
  return Math.max(1 - Math.exp(-minutes / tau), minutes / (seen + minutes));
}

/** Steady-state gain of a local-level model from Var(Δy) and Cov(Δy_t, Δy_t−1) (= −noise variance). */
function localLevelGain(diffVariance: number, diffCovariance: number): number {
  const noise = Math.max(-diffCovariance, 0);
  const drift = Math.max(diffVariance - 2 * noise, 0);
  if (noise <= 0) return drift > 0 ? MAX_GAIN : MIN_GAIN;
  const p = (drift + Math.sqrt(drift * drift + 4 * drift * noise)) / 2;
  return Math.min(MAX_GAIN, Math.max(MIN_GAIN, p / (p + noise)));
}

export class ForecastMembers {

  constructor(readonly state: MembersState = emptyMembersState()) {}

  /**
   * `minutes` whole minutes just completed with mean `rate`, and `residual` = rate minus their
   * seasonal deviation; `sigma` is the measured per-minute noise.
   */
  observe(rate: number, residual: number, minutes: number, sigma: number): void {
    const s = this.state;
    s.lastResidualRate = residual;
    const seasonal = rate - residual;
    for (let i = 0; i < LEVEL_MINUTES.length; i++) {
      const level = s.levels[i] ?? 0;
      const gap = residual - level;
      const robust = i >= FIRST_ROBUST_LEVEL && s.levelMinutes > 0;
      const step = robust ? clippedGap(gap, sigma, Math.max(seasonal + level, 0), Math.max(minutes, 1e-9)) : gap;
      s.levels[i] = level + ewmaGain(minutes, LEVEL_MINUTES[i] ?? 1, s.levelMinutes) * step;
    }
    if (minutes > 0) s.levelMinutes = Math.min(s.levelMinutes + minutes, 10 * (LEVEL_MINUTES[LEVEL_MINUTES.length - 1] ?? 1));
    this.observeAdaptive(residual, minutes);
  }

  private observeAdaptive(residual: number, minutes: number): void {
    const s = this.state;
    if (s.lastResidual === null || minutes <= 0) {
      if (s.lastResidual === null) s.adaptive = residual;
      s.lastResidual = residual;
      return;
    }
    const diff = residual - s.lastResidual;
    const g = Math.max(1 / (s.adaptiveSteps + 1), 1 - Math.exp(-minutes / ADAPTIVE_MOMENT_MINUTES));
    s.diffVariance += g * (diff * diff - s.diffVariance);
    if (s.adaptiveSteps > 0) s.diffCovariance += g * (diff * s.lastDiff - s.diffCovariance);
    s.lastDiff = diff;
    s.lastResidual = residual;
    s.adaptiveSteps += 1;
    const gain = s.adaptiveSteps < 3 ? 1 / s.adaptiveSteps : localLevelGain(s.diffVariance, s.diffCovariance);
    s.adaptive += gain * (residual - s.adaptive);
  }

  /**
   * Every member's forecast of a window into `out` (NaN = the member cannot forecast yet), given
   * the window's mean seasonal deviation and the seasonal model's own forecast of it.
   */
  forecast(seasonal: number, model: number, out: Float64Array): void {
    const s = this.state;
    out[SEASONAL_MEMBER] = model;
    out[1] = s.lastResidualRate === null ? Number.NaN : seasonal + s.lastResidualRate;
    for (let i = 0; i < LEVEL_MINUTES.length; i++) out[FIRST_LEVEL + i] = seasonal + (s.levels[i] ?? 0);
    out[ADAPTIVE] = seasonal + s.adaptive;
    for (let i = 0; i < MEMBER_COUNT; i++) {
      const v = out[i] ?? Number.NaN;
      if (!Number.isNaN(v)) out[i] = Number.isFinite(v) && v > 0 ? v : 0;
    }
  }
}
