/**
 * The members of the forecast ensemble (forecast-ensemble.ts): simple forecasters that are each
 * right on some kind of workload, so that the ensemble, weighting them by their measured error,
 * is never much worse than the best of them.
 *
 * - seasonal: the seasonal model (seasonal-model.ts), smooth, with daily/weekly profiles;
 * - last: the latest sample's rate (right for a busy rate that wanders);
 * - level-*: the profile S(x) plus an EWMA of the deseasonalised rate with a time constant from
 *   one minute to two hours (from "the latest value, seasonally adjusted" to "the long-run
 *   level"); before a day of history S is 0 and these are plain EWMAs;
 * - adaptive: S(x) plus a local-level (Kalman) filter whose gain comes from the measured
 *   autocovariance of the residual's differences, so it smooths as much as the noise asks;
 * - mean-1h: the mean rate of the last hour (the classic moving average);
 * - naive-1d / naive-7d: the same window a day / a week earlier (exact to the minute, which the
 *   5-minute profile is not), unavailable until that history exists.
 *
 * Every forecast is a mean rate over a window (from, to] minutes after the latest sample.
 */
import type { MinuteHistory, WindowMean } from './minute-history.js';

export const MEMBER_NAMES = [
  'seasonal', 'last', 'level-1m', 'level-3m', 'level-10m', 'level-30m', 'level-2h', 'adaptive', 'mean-1h', 'naive-1d', 'naive-7d',
] as const;
export type MemberName = (typeof MEMBER_NAMES)[number];
export const MEMBER_COUNT = MEMBER_NAMES.length;
/** Index of the seasonal model, the ensemble's fallback. */
export const SEASONAL_MEMBER = 0;

/** Time constants (minutes) of the level-* members, in MEMBER_NAMES order. */
const LEVEL_MINUTES = [1, 3, 10, 30, 120] as const;
const FIRST_LEVEL = 2;
const ADAPTIVE = FIRST_LEVEL + LEVEL_MINUTES.length;
const MEAN_1H = ADAPTIVE + 1;
const NAIVE_1D = MEAN_1H + 1;
const NAIVE_7D = NAIVE_1D + 1;
const MEAN_WINDOW_MINUTES = 60;
const DAY_MINUTES = 1440;
const WEEK_MINUTES = 7 * DAY_MINUTES;
/** Time constant (minutes) of the adaptive member's moment estimates. */
const ADAPTIVE_MOMENT_MINUTES = 60;
/** The adaptive gain stays within these (never frozen, never pure last-value on one sample). */
const MIN_GAIN = 0.02;
const MAX_GAIN = 1;
/** A seasonal-naive window counts only if at least this share of it was observed. */
const MIN_NAIVE_COVERAGE = 0.5;

export interface MembersState {
  last: number | null;
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
    last: null, levels: LEVEL_MINUTES.map(() => 0), levelMinutes: 0,
    adaptive: 0, adaptiveSteps: 0, diffVariance: 0, diffCovariance: 0, lastDiff: 0, lastResidual: null,
  };
}

/** What a window's forecast needs from the predictor besides the members' own state. */
export interface WindowContext {
  /** Latest sample (epoch ms) and the window (from, to] in minutes after it. */
  lastMs: number;
  fromMinutes: number;
  toMinutes: number;
  /** The seasonal model's deviation from its long-run mean, averaged over the window. */
  seasonal: number;
  /** The seasonal model's own forecast of the window. */
  model: number;
  history: MinuteHistory;
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
  /** The last hour's mean as of the latest sample (NaN = not computed since it). */
  private recentMean = Number.NaN;
  private readonly window: WindowMean = { mean: 0, covered: 0 };

  constructor(readonly state: MembersState = emptyMembersState()) {}

  /**
   * One sample: `rate` covered `minutes` (0 for a repeated timestamp) and left `residual`
   * (rate minus the seasonal deviation, as the model computed it).
   */
  observe(rate: number, residual: number, minutes: number): void {
    const s = this.state;
    this.recentMean = Number.NaN;
    s.last = rate;
    for (let i = 0; i < LEVEL_MINUTES.length; i++) {
      const level = s.levels[i] ?? 0;
      s.levels[i] = level + ewmaGain(minutes, LEVEL_MINUTES[i] ?? 1, s.levelMinutes) * (residual - level);
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

  private lastHourMean(ctx: WindowContext): number {
    if (Number.isNaN(this.recentMean)) {
      const recent = ctx.history.windowMean(ctx.lastMs - MEAN_WINDOW_MINUTES * 60_000, ctx.lastMs, this.window);
      // -1 marks "computed, no data", so an empty hour is not recomputed on every call.
      this.recentMean = recent.covered > 0 ? recent.mean : -1;
    }
    return this.recentMean < 0 ? Number.NaN : this.recentMean;
  }

  /** Every member's forecast of the window into `out` (NaN = the member cannot forecast it yet). */
  forecast(ctx: WindowContext, out: Float64Array): void {
    const s = this.state;
    out[SEASONAL_MEMBER] = ctx.model;
    out[1] = s.last ?? Number.NaN;
    for (let i = 0; i < LEVEL_MINUTES.length; i++) out[FIRST_LEVEL + i] = ctx.seasonal + (s.levels[i] ?? 0);
    out[ADAPTIVE] = ctx.seasonal + s.adaptive;
    out[MEAN_1H] = this.lastHourMean(ctx);
    out[NAIVE_1D] = naive(ctx, DAY_MINUTES, this.window);
    out[NAIVE_7D] = naive(ctx, WEEK_MINUTES, this.window);
    for (let i = 0; i < MEMBER_COUNT; i++) {
      const v = out[i] ?? Number.NaN;
      if (!Number.isNaN(v)) out[i] = Number.isFinite(v) && v > 0 ? v : 0;
    }
  }
}

/**
 * Seasonal naive: each minute of the window is forecast by the latest observed minute of the
 * same phase (one period earlier, or more when the window reaches beyond one period ahead);
 * whole periods of a long window count as the mean of the latest period.
 */
function naive(ctx: WindowContext, periodMinutes: number, scratch: WindowMean): number {
  const periodMs = periodMinutes * 60_000;
  const startMs = ctx.lastMs + ctx.fromMinutes * 60_000;
  const length = ctx.toMinutes - ctx.fromMinutes;
  if (length <= 0) {
    // A point forecast: the minute one period before it.
    const back = Math.max(1, Math.ceil((ctx.fromMinutes + 1e-9) / periodMinutes)) * periodMs;
    const v = ctx.history.minuteMean(Math.floor((startMs - back) / 60_000));
    return v;
  }
  const wholePeriods = Math.floor(length / periodMinutes);
  let sum = 0;
  let covered = 0;
  if (wholePeriods > 0) {
    const latest = ctx.history.windowMean(ctx.lastMs - periodMs, ctx.lastMs, scratch);
    sum += latest.mean * latest.covered * wholePeriods;
    covered += latest.covered * wholePeriods;
  }
  // The rest of the window, split where it crosses a multiple of the period ahead.
  let at = startMs + wholePeriods * periodMs;
  const endMs = ctx.lastMs + ctx.toMinutes * 60_000;
  while (at < endMs) {
    const ahead = at - ctx.lastMs;
    const periodsBack = Math.max(1, Math.ceil((ahead + 1) / periodMs));
    const chunkEnd = Math.min(endMs, ctx.lastMs + periodsBack * periodMs);
    const w = ctx.history.windowMean(at - periodsBack * periodMs, chunkEnd - periodsBack * periodMs, scratch);
    sum += w.mean * w.covered;
    covered += w.covered;
    at = chunkEnd;
  }
  return covered >= MIN_NAIVE_COVERAGE * length ? sum / covered : Number.NaN;
}
