/**
 * Noise scale and level-shift evidence for the predictor's level (seasonal-model.ts): how sure we
 * are that the rate moved, so that the level can follow a burst's start or end within a minute
 * while ordinary noise is averaged out, and so that long-run averages shrug off short bursts.
 */

/** Differences of consecutive residuals the noise scale is the median of. */
export const NOISE_RING = 31;
/** σ of a normal distribution per unit of median absolute value. */
const SIGMA_PER_MEDIAN = 1.4826;
/** Long-run averages take a sample into account up to this many noise σ from them. */
const LONG_RUN_CLIP = 3;
/** Rate (per minute) below which the Poisson test treats the level as this, so log(0) never occurs. */
const MIN_POISSON_RATE = 1e-3;

/**
 * Robust per-minute noise σ from recent |differences of consecutive residuals| (each already
 * scaled to one minute of evidence): a level shift makes one large difference, not many, so the
 * median ignores it. `scratch` must hold at least `diffs.length` numbers; 0 when empty.
 */
export function robustSigma(diffs: readonly number[], scratch: Float64Array): number {
  const n = diffs.length;
  if (n === 0) return 0;
  const sorted = scratch.subarray(0, n);
  for (let i = 0; i < n; i++) sorted[i] = diffs[i] ?? 0;
  sorted.sort();
  const mid = n >> 1;
  const median = n % 2 === 1 ? sorted[mid] ?? 0 : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return SIGMA_PER_MEDIAN * median;
}

/**
 * `gap` limited to LONG_RUN_CLIP noise σ of a `minutes`-long sample (σ: `measuredSigma`, at least
 * Poisson at `rate`), so a burst of a few minutes barely moves a long-run average while a lasting
 * change still does, by at most LONG_RUN_CLIP σ per time constant.
 */
export function clippedGap(gap: number, measuredSigma: number, rate: number, minutes: number): number {
  const sigma = Math.max(measuredSigma, Math.sqrt(Math.max(rate, 1)));
  const limit = (LONG_RUN_CLIP * sigma) / Math.sqrt(Math.max(minutes, 1e-9));
  return Math.max(-limit, Math.min(limit, gap));
}

export interface ShiftInputs {
  /** Rate (per minute) the slow level stands for, and the one the fast EWMA stands for. */
  levelRate: number;
  fastRate: number;
  /** Variance of the fast EWMA in units of σ² per minute (1 / minutes of evidence behind it). */
  fastVariance: number;
  /** Measured per-minute noise σ (0 = none measured yet). */
  sigma: number;
}

/**
 * Evidence (a squared z-score) that the fast EWMA's rate differs from the level's: the smaller of
 * (1) the gap over the fast EWMA's measured noise and (2) the Poisson likelihood-ratio statistic
 * of the counts the fast EWMA has seen (1/fastVariance minutes' worth) against the level's rate,
 * since rates are counts per minute. (2) judges perfectly steady input, where (1) would call any
 * change certain; it also sees that a minute of zeros rules out a rate of tens per minute.
 */
export function shiftEvidence({ levelRate, fastRate, fastVariance, sigma }: ShiftInputs): number {
  const gap = fastRate - levelRate;
  if (gap === 0 || fastVariance <= 0) return 0;
  const measured = sigma > 0 ? (gap * gap) / (sigma * sigma * fastVariance) : Infinity;
  const minutes = 1 / fastVariance;
  const expected = Math.max(levelRate, MIN_POISSON_RATE) * minutes;
  const counted = Math.max(fastRate, 0) * minutes;
  const poisson = 2 * ((counted > 0 ? counted * Math.log(counted / expected) : 0) - (counted - expected));
  return Math.min(measured, poisson);
}
