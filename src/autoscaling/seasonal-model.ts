/**
 * The predictor's forecasting model: a level plus a seasonal deviation.
 *
 *   forecast(x) = S(x) + drift + (level − drift)·e^(−h/τd)  [+ damped trend],  h = x − latest
 *
 * - S(x), the seasonal deviation from the long-run mean: 5-minute slots of the local day (288)
 *   and of the local week (2016), each a SeasonalProfile (denoised slot means, see
 *   seasonal-profile.ts). The daily layer counts where it differs from the long-run mean by more
 *   than its measured variability, the weekly layer where it differs from the daily one (both
 *   compared at the smoothed, neighbourhood level, so the mix changes gradually from slot to slot);
 *   a slot's own sharp deviation (a spike) counts where it stands out by 3σ and has repeated. So a
 *   day of data gives a daily shape, a few weeks a weekly one, a repeated Monday 09:00 spike keeps
 *   its full height, a one-off burst is not taken for a pattern, and a trace without steady
 *   seasonality falls back to its level. S(x) uses only slots observed in periods before x's
 *   (yesterday for the daily layer, last week for the weekly one): what happened earlier today
 *   is the level's business.
 * - level / drift: EWMAs (time constants in minutes, α from the elapsed time, so irregular
 *   sampling works) of the deseasonalised rate y − S. The level fades toward the drift over the
 *   horizon; the drift persists. Both are absolute, so the level never cancels S: at 08:55 the
 *   level says "as usual", S says "09:00 is the spike". The level jumps when a fast EWMA shows
 *   beyond doubt that the rate moved (a burst began or ended); the drift and the long-run mean
 *   take each sample in only up to 3σ, so a burst of minutes does not linger for hours.
 * - trend: optional damped trend of the level (off by default: it did not pay on real traces).
 *
 * A sample's rate covers the interval since the previous sample, capped at `gapMinutes` (or twice
 * the median sampling interval when longer), so one value after a long gap is not smeared over
 * hours of slots. Profiles learn one observation per slot and period (the slot's mean rate) when
 * the slot is complete.
 */
import { NOISE_RING, clippedGap, robustSigma, shiftEvidence } from './level-shift.js';
import { LocalSlots, SLOT_MINUTES, SLOT_MS, DAY_SLOTS, WEEK_SLOTS } from './local-slots.js';
import { SeasonalProfile, emptyProfile, keepShare, type ProfileState } from './seasonal-profile.js';

export interface SeasonalModelKnobs {
  /** Weeks a weekly slot remembers (an EWMA over weeks once full). */
  weeklyMemoryWeeks: number;
  /** Days a daily slot remembers. */
  dailyMemoryDays: number;
  /** Observations' worth of pooled variance mixed into each slot's own variance. */
  variancePrior: number;
  /** Half-width, in 5-minute slots, of the neighbourhood a slot is smoothed toward. */
  smoothingSlots: number;
  /** A layer (daily vs mean, weekly vs daily) counts only beyond this many noise variances. */
  significance: number;
  /** A slot's own deviation from its neighbourhood (a spike) counts only beyond this many noise variances. */
  detailSignificance: number;
  /** Time constant (min) of the short-term level. */
  levelMinutes: number;
  /** Time constant (min) of the drift (persistent level). */
  driftMinutes: number;
  /** How fast (min) the short-term level fades to the drift over the forecast horizon. */
  levelDecayMinutes: number;
  /** Damping time (min) of the trend term; 0 turns it off. */
  trendDampingMinutes: number;
  /** Time constant (min) of the trend (slope) estimate. */
  trendMinutes: number;
  /** Time constant (min) of the long-run mean (the baseline where no seasonality stands out). */
  meanMinutes: number;
  /** Time constant (min) of the fast level that detects a level shift (the end of a burst). */
  shiftMinutes: number;
  /** The level jumps toward the fast level when the evidence of a shift (a squared z-score) exceeds this; 0 = never. */
  shiftSignificance: number;
  /** A sample covers at most this many minutes (or 2 × the median sampling interval if longer). */
  gapMinutes: number;
}

export const DEFAULT_MODEL_KNOBS: Readonly<SeasonalModelKnobs> = Object.freeze({
  weeklyMemoryWeeks: 4,
  dailyMemoryDays: 14,
  variancePrior: 3,
  smoothingSlots: 12,
  significance: 1,
  detailSignificance: 9,
  levelMinutes: 8,
  driftMinutes: 360,
  levelDecayMinutes: 120,
  trendDampingMinutes: 0,
  trendMinutes: 30,
  meanMinutes: 1440,
  shiftMinutes: 0.5,
  shiftSignificance: 49,
  gapMinutes: 5,
});

/** Everything the model has learned: plain numbers and fixed-size arrays. */
export interface SeasonalModelState {
  lastMs: number | null;
  week: ProfileState;
  day: ProfileState;
  /** The 5-minute slot being filled: its UTC start, Σ rate × minutes and minutes so far. */
  slotStartMs: number | null;
  slotSum: number;
  slotMinutes: number;
  mean: number;
  meanWeight: number;
  level: number;
  drift: number;
  slope: number;
  levelWeight: number;
  /** Fast EWMA of the deseasonalised rate (time constant shiftMinutes) and its variance in units of σ² per minute. */
  fast: number;
  fastVariance: number;
  /** Recent absolute differences of consecutive residuals, scaled to one minute of evidence; newest last, at most NOISE_RING. */
  recentDiffs: number[];
  lastResidual: number;
  /** Smoothed raw rate and its slope, for the reported trend. */
  rawLevel: number;
  rawSlope: number;
  rawWeight: number;
  /** Recent sampling intervals (minutes), newest last; at most INTERVAL_RING. */
  recentIntervals: number[];
}

export const INTERVAL_RING = 9;
const DAY_MS = 1440 * 60_000;
const WEEK_MS = 7 * DAY_MS;
const RAW_LEVEL_MINUTES = 5;
const RAW_SLOPE_MINUTES = 15;
/** Weight (in slot observations) of the daily variance as the prior of the weekly one. */
const WEEKLY_FALLBACK_WEIGHT = DAY_SLOTS;

export function emptyModelState(): SeasonalModelState {
  return {
    lastMs: null,
    week: emptyProfile(WEEK_SLOTS),
    day: emptyProfile(DAY_SLOTS),
    slotStartMs: null, slotSum: 0, slotMinutes: 0,
    mean: 0, meanWeight: 0,
    level: 0, drift: 0, slope: 0, levelWeight: 0,
    fast: 0, fastVariance: 0, recentDiffs: [], lastResidual: 0,
    rawLevel: 0, rawSlope: 0, rawWeight: 0,
    recentIntervals: [],
  };
}

/** EWMA gain for `minutes` of evidence, time constant `tau`, after `seen` minutes (running mean at start). */
function gain(minutes: number, tau: number, seen: number): number {
  if (minutes <= 0) return 0;
  const timeGain = tau > 0 ? 1 - Math.exp(-minutes / tau) : 1;
  return Math.max(timeGain, minutes / (seen + minutes));
}

/** Mean of e^(−h/τ) over h in (from, to]. */
function meanDecay(from: number, to: number, tau: number): number {
  if (tau <= 0) return 0;
  if (to - from < 1e-9) return Math.exp(-from / tau);
  return (tau / (to - from)) * (Math.exp(-from / tau) - Math.exp(-to / tau));
}

export interface WindowParts {
  seasonal: number;
  forecast: number;
}

export interface CoveredInterval {
  startMs: number;
  endMs: number;
}

export class SeasonalModel {
  readonly knobs: Readonly<SeasonalModelKnobs>;
  readonly state: SeasonalModelState;
  private readonly slots: LocalSlots;
  private readonly week: SeasonalProfile;
  private readonly day: SeasonalProfile;
  private readonly scratch = new Float64Array(NOISE_RING);
  /**
   * slotSeasonal by slot start, valid until the state changes (cleared by observe and restore):
   * the ensemble asks for overlapping windows after each sample, so most slots repeat.
   */
  private readonly slotCache = new Map<number, number>();
  private readonly parts: WindowParts = { seasonal: 0, forecast: 0 };
  private sigmaCache: number | null = null;

  constructor(knobs: Readonly<SeasonalModelKnobs>, slots: LocalSlots, state: SeasonalModelState = emptyModelState()) {
    this.knobs = knobs;
    this.slots = slots;
    this.state = state;
    const common = { variancePrior: knobs.variancePrior, smoothingSlots: knobs.smoothingSlots, detailSignificance: knobs.detailSignificance };
    this.week = new SeasonalProfile(state.week, { ...common, memory: knobs.weeklyMemoryWeeks }, WEEK_MS);
    this.day = new SeasonalProfile(state.day, { ...common, memory: knobs.dailyMemoryDays }, DAY_MS);
  }

  /** Replaces the learned state in place (the profiles keep referring to the same objects). */
  restore(snapshot: SeasonalModelState): void {
    this.slotCache.clear();
    this.sigmaCache = null;
    const { week, day, ...rest } = snapshot;
    Object.assign(this.state, rest);
    Object.assign(this.state.week, week);
    Object.assign(this.state.day, day);
  }

  get lastMs(): number | null {
    return this.state.lastMs;
  }

  /** Measured per-minute noise σ of the deseasonalised rate (robust; 0 before any is measured). */
  noiseSigma(): number {
    this.sigmaCache ??= robustSigma(this.state.recentDiffs, this.scratch);
    return this.sigmaCache;
  }

  /** Median of recent sampling intervals (minutes); 1 before any is known. */
  typicalIntervalMinutes(): number {
    const r = this.state.recentIntervals;
    if (r.length === 0) return 1;
    const sorted = [...r].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] ?? 1;
  }

  /**
   * Learns the rate `rate` observed over the interval ending at `endMs`; `rate` null advances
   * time only (a sample whose rate was garbage). Returns the interval the rate was credited to
   * (empty for a repeated timestamp). The caller guarantees endMs >= lastMs.
   */
  observe(endMs: number, rate: number | null): CoveredInterval {
    // Values cached before or during the update are stale after it.
    this.slotCache.clear();
    const covered = this.learn(endMs, rate);
    this.slotCache.clear();
    this.sigmaCache = null;
    return covered;
  }

  private learn(endMs: number, rate: number | null): CoveredInterval {
    const s = this.state;
    const k = this.knobs;
    const elapsed = s.lastMs === null ? null : (endMs - s.lastMs) / 60_000;
    if (elapsed === 0) {
      // Same instant again: a newer reading of the current rate. It covers no time, so it moves
      // the level (as one usual interval would) but not the seasonal profile.
      if (rate !== null) this.updateLevels(rate, this.meanSeasonal(endMs - 60_000, endMs), this.typicalIntervalMinutes(), 0);
      return { startMs: endMs, endMs };
    }
    const cap = Math.max(k.gapMinutes, 2 * this.typicalIntervalMinutes());
    const span = elapsed === null ? Math.min(1, cap) : Math.min(elapsed, cap);
    if (elapsed !== null) {
      s.recentIntervals.push(elapsed);
      if (s.recentIntervals.length > INTERVAL_RING) s.recentIntervals.shift();
      const uncovered = elapsed - span;
      if (uncovered > 0 && k.levelDecayMinutes > 0) {
        const fade = Math.exp(-uncovered / k.levelDecayMinutes);
        s.level = s.drift + (s.level - s.drift) * fade;
        s.fast = s.drift + (s.fast - s.drift) * fade;
        s.slope *= fade;
      }
    }
    s.lastMs = endMs;
    if (rate === null) return { startMs: endMs, endMs };

    const startMs = endMs - span * 60_000;
    const sigma = this.updateLevels(rate, this.meanSeasonal(startMs, endMs), span, span);
    this.updateRaw(rate, span);
    this.slots.forEachSlot(startMs, endMs, (_slot, minutes, slotStartMs) => {
      if (s.slotStartMs !== slotStartMs) {
        this.closeSlot();
        s.slotStartMs = slotStartMs;
      }
      s.slotSum += rate * minutes;
      s.slotMinutes += minutes;
    });
    const meanGap = rate - s.mean;
    s.mean += gain(span, k.meanMinutes, s.meanWeight) * (s.meanWeight > 0 ? clippedGap(meanGap, sigma, s.mean, span) : meanGap);
    s.meanWeight = Math.min(s.meanWeight + span, 10 * k.meanMinutes);
    return { startMs, endMs };
  }

  /** Turns the slot being filled into one observation of its daily and weekly slots. */
  private closeSlot(): void {
    const s = this.state;
    if (s.slotStartMs !== null && s.slotMinutes > 0) {
      const slot = this.slots.slotAt(s.slotStartMs);
      const observation = s.slotSum / s.slotMinutes;
      const weight = Math.min(1, s.slotMinutes / SLOT_MINUTES);
      this.day.observe(slot.day, observation, weight, s.slotStartMs);
      this.week.observe(slot.week, observation, weight, s.slotStartMs);
    }
    s.slotStartMs = null;
    s.slotSum = 0;
    s.slotMinutes = 0;
  }

  /**
   * Level, drift and slope from one rate covering `minutes`. The level is a slow EWMA (noise
   * averages out), but when a fast EWMA departs from it beyond shiftSignificance (see
   * level-shift.ts), the level moves toward the fast one by the James-Stein share 1 − 1/z²: a
   * burst that stopped (zeros after hundreds per minute) is believed within a minute or so,
   * while ordinary noise leaves the slow level alone. The level never overshoots the fast EWMA,
   * so a run of zeros makes it fall monotonically. Returns the measured noise σ (per minute).
   */
  private updateLevels(rate: number, seasonal: number, minutes: number, slopeMinutes: number): number {
    const s = this.state;
    const k = this.knobs;
    const residual = rate - seasonal;
    const previous = s.level;
    const seen = s.levelWeight;
    if (seen > 0) {
      s.recentDiffs.push(Math.abs(residual - s.lastResidual) * Math.sqrt(minutes / 2));
      if (s.recentDiffs.length > NOISE_RING) s.recentDiffs.shift();
    }
    s.lastResidual = residual;
    const sigma = robustSigma(s.recentDiffs, this.scratch);
    s.level += gain(minutes, k.levelMinutes, seen) * (residual - s.level);
    const driftGap = residual - s.drift;
    s.drift += gain(minutes, k.driftMinutes, seen) * (seen > 0 ? clippedGap(driftGap, sigma, seasonal + s.drift, minutes) : driftGap);
    if (slopeMinutes > 0 && seen > 0) {
      s.slope += gain(slopeMinutes, k.trendMinutes, 0) * ((s.level - previous) / slopeMinutes - s.slope);
    }
    const a = gain(minutes, k.shiftMinutes, seen);
    s.fast += a * (residual - s.fast);
    s.fastVariance = (1 - a) * (1 - a) * s.fastVariance + (a * a) / Math.max(minutes, 1e-9);
    if (k.shiftSignificance > 0 && seen > 0) {
      const z2 = shiftEvidence({ levelRate: seasonal + s.level, fastRate: seasonal + s.fast, fastVariance: s.fastVariance, sigma });
      if (z2 > k.shiftSignificance) s.level += (1 - 1 / z2) * (s.fast - s.level);
    }
    s.levelWeight = Math.min(seen + minutes, 10 * Math.max(k.driftMinutes, k.levelMinutes));
    return sigma;
  }

  private updateRaw(rate: number, minutes: number): void {
    const s = this.state;
    const previous = s.rawLevel;
    s.rawLevel += gain(minutes, RAW_LEVEL_MINUTES, s.rawWeight) * (rate - s.rawLevel);
    if (s.rawWeight > 0) {
      s.rawSlope += gain(minutes, RAW_SLOPE_MINUTES, 0) * ((s.rawLevel - previous) / minutes - s.rawSlope);
    }
    s.rawWeight = Math.min(s.rawWeight + minutes, 10 * RAW_SLOPE_MINUTES);
  }

  /**
   * Seasonal baseline of one slot (see the file comment). Layers are compared at the smooth
   * (neighbourhood) level so that which layer speaks changes gradually from slot to slot; sharp
   * detail (a spike) comes from the weekly slot where the weekly layer speaks, else the daily one.
   */
  private slotSeasonal(weekSlot: number, daySlot: number, slotStartMs: number): number {
    const cached = this.slotCache.get(slotStartMs);
    if (cached !== undefined) return cached;
    const value = this.computeSlotSeasonal(weekSlot, daySlot, slotStartMs);
    this.slotCache.set(slotStartMs, value);
    return value;
  }

  private computeSlotSeasonal(weekSlot: number, daySlot: number, slotStartMs: number): number {
    const s = this.state;
    const c = this.knobs.significance;
    const mean = s.meanWeight > 0 ? s.mean : 0;
    const day = this.day.estimate(daySlot, slotStartMs);
    if (day === null) return 0;
    const daily = (day.smooth - mean) * keepShare(day.smooth - mean, day.smoothNoise, c);
    const week = this.week.estimate(weekSlot, slotStartMs, s.day.pooledVariance, WEEKLY_FALLBACK_WEIGHT);
    // The weekly layer speaks only for slots it has seen: its neighbourhood alone would echo the
    // last hour during the first week.
    if (week === null || week.own <= 0) return daily + day.detail;
    const weekly = week.smooth - mean;
    const share = keepShare(weekly - daily, week.smoothNoise, c);
    return daily + share * (weekly - daily + week.detail) + (1 - share) * day.detail;
  }

  /** Mean seasonal deviation from the long-run mean over [startMs, endMs) (the slot at startMs when empty). */
  meanSeasonal(startMs: number, endMs: number): number {
    if (endMs <= startMs) {
      const slot = this.slots.slotAt(startMs);
      return this.slotSeasonal(slot.week, slot.day, Math.floor(startMs / SLOT_MS) * SLOT_MS);
    }
    if (endMs - startMs > WEEK_MS) {
      // The deviation repeats weekly: whole weeks contribute the mean of one week.
      const weeks = Math.floor((endMs - startMs) / WEEK_MS);
      const restStart = startMs + weeks * WEEK_MS;
      const rest = endMs > restStart ? this.meanSeasonal(restStart, endMs) * (endMs - restStart) : 0;
      return (this.meanSeasonal(startMs, startMs + WEEK_MS) * weeks * WEEK_MS + rest) / (endMs - startMs);
    }
    let sum = 0;
    let total = 0;
    this.slots.forEachSlot(startMs, endMs, (slot, minutes, slotStartMs) => {
      sum += this.slotSeasonal(slot.week, slot.day, slotStartMs) * minutes;
      total += minutes;
    });
    return total > 0 ? sum / total : 0;
  }

  /** Mean forecast rate over (last + from, last + to] minutes; from === to gives the point forecast. */
  forecastMean(fromMinutes: number, toMinutes: number): number {
    return this.windowParts(fromMinutes, toMinutes).forecast;
  }

  /**
   * The window's mean seasonal deviation (S) and the model's forecast of it (one S computation
   * for both). The returned object is reused by the next call: read it at once.
   */
  windowParts(fromMinutes: number, toMinutes: number): WindowParts {
    const s = this.state;
    const k = this.knobs;
    const out = this.parts;
    out.seasonal = 0;
    out.forecast = 0;
    if (s.lastMs === null) return out;
    const seasonal = this.meanSeasonal(s.lastMs + fromMinutes * 60_000, s.lastMs + toMinutes * 60_000);
    let value = seasonal + s.drift + (s.level - s.drift) * meanDecay(fromMinutes, toMinutes, k.levelDecayMinutes);
    if (k.trendDampingMinutes > 0) {
      value += s.slope * k.trendDampingMinutes * (1 - meanDecay(fromMinutes, toMinutes, k.trendDampingMinutes));
    }
    out.seasonal = seasonal;
    out.forecast = Number.isFinite(value) && value > 0 ? value : 0;
    return out;
  }

  /** Relative change of the smoothed rate over `windowMinutes` at its current slope. */
  relativeSlope(windowMinutes: number): number {
    const s = this.state;
    if (s.rawWeight <= 0) return 0;
    return (s.rawSlope * windowMinutes) / Math.max(Math.abs(s.rawLevel), 1);
  }
}
