/**
 * A prior for the ensemble's member errors while few of their forecasts have been scored (a
 * one-hour trace has only ~15 minutes before its first scored window; a scored 5-minute window
 * is known only 5 minutes after it was forecast).
 *
 * It fits a local-level model (level random walk with variance Q per minute, plus noise with
 * variance R) to the trace's own variogram, E[(y_t − y_t−h)²] = h·Q + 2R, measured at lag 1 and
 * at the bucket's window W on the minute history. From it follows the expected error of a flat
 * forecaster that tracks the level with gain α per minute (an EWMA) over a W-minute window:
 *
 *   MSE = ((1−α)²Q + α²R) / (α(2−α))   (error of its level estimate)
 *       + Q·(W+1)(2W+1) / (6W)          (the level moving during the window)
 *       + R / W                         (the window's own noise)
 *
 * and MAE ≈ 0.8·√MSE. Comparing lag W with lag 1 is what tells a rate that wanders (the
 * variogram keeps growing: last value wins) from on/off bursts or noise around a level (it
 * saturates: averaging wins). The lag-W variogram must exceed the lag-1 one beyond its sampling
 * error (SIGNIFICANCE standard errors, counting overlapping differences as W times fewer) before
 * the level counts as moving: an estimate of Q that is merely noise would make every slow
 * member look bad. The prior counts as PRIOR_SCORES scores and fades as real scores come in.
 * Only for samples at most ~1 minute apart: coarser bins say nothing at lag 1.
 */
import type { MinuteHistory } from './minute-history.js';

export interface VariogramState {
  /** Latest closed minute folded in; null before any. */
  minute: number | null;
  /** EW mean of squared 1-minute differences and the number of differences behind it. */
  lag1: number;
  lag1Count: number;
  /** The same at each bucket's lag. */
  lagW: number[];
  lagWCount: number[];
}

/** Scores' worth of weight the prior has against the measured errors. */
export const PRIOR_SCORES = 5;
/** Time constant (minutes) of the variogram estimates. */
const VARIOGRAM_MINUTES = 60;
/** Differences needed at a lag before the prior is used. */
const MIN_DIFFERENCES = 5;
/** At most this many closed minutes are folded per sample (after a gap the rest are skipped). */
const MAX_FOLD = 120;
/** Coarser sampling than this (minutes) gets no prior. */
const MAX_INTERVAL_MINUTES = 1.5;
const MAE_PER_RMSE = 0.8;
/** Standard errors by which the lag-W variogram must exceed the lag-1 one for the level to count as moving. */
const SIGNIFICANCE = 0.5;

export function emptyVariogramState(buckets: number): VariogramState {
  return { minute: null, lag1: 0, lag1Count: 0, lagW: new Array<number>(buckets).fill(0), lagWCount: new Array<number>(buckets).fill(0) };
}

export class LocalLevelPrior {
  constructor(readonly state: VariogramState, private readonly bucketMinutes: readonly number[]) {}

  /** Folds in the minutes closed before `openMinute`; returns whether anything changed. */
  update(history: MinuteHistory, openMinute: number | null): boolean {
    const s = this.state;
    if (openMinute === null) return false;
    const lastClosed = openMinute - 1;
    if (s.minute === null) s.minute = lastClosed - 1;
    if (lastClosed <= s.minute) return false;
    const from = Math.max(s.minute + 1, lastClosed - MAX_FOLD + 1);
    for (let m = from; m <= lastClosed; m++) {
      const y = history.minuteMean(m);
      if (Number.isNaN(y)) continue;
      const y1 = history.minuteMean(m - 1);
      if (!Number.isNaN(y1)) {
        s.lag1Count += 1;
        s.lag1 += gain(s.lag1Count) * ((y - y1) ** 2 - s.lag1);
      }
      for (let b = 0; b < this.bucketMinutes.length; b++) {
        const yW = history.minuteMean(m - (this.bucketMinutes[b] ?? 1));
        if (Number.isNaN(yW)) continue;
        const n = (s.lagWCount[b] ?? 0) + 1;
        s.lagWCount[b] = n;
        s.lagW[b] = (s.lagW[b] ?? 0) + gain(n) * ((y - yW) ** 2 - (s.lagW[b] ?? 0));
      }
    }
    s.minute = lastClosed;
    return true;
  }

  /**
   * Prior MAE, for bucket b, of a flat forecaster with per-minute gain `alpha`; NaN when there is
   * no prior (no gain given, too little data, or samples too far apart).
   */
  error(b: number, alpha: number, intervalMinutes: number): number {
    const s = this.state;
    const w = this.bucketMinutes[b] ?? 1;
    if (Number.isNaN(alpha) || intervalMinutes > MAX_INTERVAL_MINUTES || w <= 1) return Number.NaN;
    if (s.lag1Count < MIN_DIFFERENCES || (s.lagWCount[b] ?? 0) < MIN_DIFFERENCES) return Number.NaN;
    // Squared differences of normal noise have a relative standard error of √2 per independent one.
    const independent = Math.max(1, Math.min(s.lagWCount[b] ?? 0, 2 * VARIOGRAM_MINUTES) / w);
    const excess = (s.lagW[b] ?? 0) - s.lag1 * (1 + SIGNIFICANCE * Math.sqrt(2 / independent));
    const q = Math.max(0, excess) / (w - 1);
    const r = Math.max(0, (s.lag1 - q) / 2);
    const level = ((1 - alpha) ** 2 * q + alpha * alpha * r) / (alpha * (2 - alpha));
    const mse = level + (q * (w + 1) * (2 * w + 1)) / (6 * w) + r / w;
    return MAE_PER_RMSE * Math.sqrt(mse);
  }
}

function gain(count: number): number {
  return Math.max(1 / count, 1 - Math.exp(-1 / VARIOGRAM_MINUTES));
}
