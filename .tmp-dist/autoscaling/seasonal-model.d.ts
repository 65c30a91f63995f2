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
 *   a slot's own sharp deviation (a spike) counts where it stands out by 3σ. So a day of data gives
 *   a daily shape, a few weeks a weekly one, a repeated Monday 09:00 spike keeps its full height,
 *   and a trace without steady seasonality falls back to its level.
 * - level / drift: EWMAs (time constants in minutes, α from the elapsed time, so irregular
 *   sampling works) of the deseasonalised rate y − S. The level fades toward the drift over the
 *   horizon; the drift persists. Both are absolute, so the level never cancels S: at 08:55 the
 *   level says "as usual", S says "09:00 is the spike".
 * - trend: optional damped trend of the level (off by default: it did not pay on real traces).
 *
 * A sample's rate covers the interval since the previous sample, capped at `gapMinutes` (or twice
 * the median sampling interval when longer), so one value after a long gap is not smeared over
 * hours of slots. Profiles learn one observation per slot and period (the slot's mean rate) when
 * the slot is complete.
 */
import { LocalSlots } from './local-slots.js';
import { type ProfileState } from './seasonal-profile.js';
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
    /** A sample covers at most this many minutes (or 2 × the median sampling interval if longer). */
    gapMinutes: number;
}
export declare const DEFAULT_MODEL_KNOBS: Readonly<SeasonalModelKnobs>;
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
    /** Smoothed raw rate and its slope, for the reported trend. */
    rawLevel: number;
    rawSlope: number;
    rawWeight: number;
    /** Recent sampling intervals (minutes), newest last; at most INTERVAL_RING. */
    recentIntervals: number[];
}
export declare const INTERVAL_RING = 9;
export declare function emptyModelState(): SeasonalModelState;
export interface CoveredInterval {
    startMs: number;
    endMs: number;
}
export declare class SeasonalModel {
    readonly knobs: Readonly<SeasonalModelKnobs>;
    readonly state: SeasonalModelState;
    private readonly slots;
    private readonly week;
    private readonly day;
    constructor(knobs: Readonly<SeasonalModelKnobs>, slots: LocalSlots, state?: SeasonalModelState);
    /** Replaces the learned state in place (the profiles keep referring to the same objects). */
    restore(snapshot: SeasonalModelState): void;
    get lastMs(): number | null;
    /** Median of recent sampling intervals (minutes); 1 before any is known. */
    typicalIntervalMinutes(): number;
    /**
     * Learns the rate `rate` observed over the interval ending at `endMs`; `rate` null advances
     * time only (a sample whose rate was garbage). Returns the interval the rate was credited to
     * (empty for a repeated timestamp). The caller guarantees endMs >= lastMs.
     */
    observe(endMs: number, rate: number | null): CoveredInterval;
    /** Turns the slot being filled into one observation of its daily and weekly slots. */
    private closeSlot;
    private updateLevels;
    private updateRaw;
    /**
     * Seasonal baseline of one slot (see the file comment). Layers are compared at the smooth
     * (neighbourhood) level so that which layer speaks changes gradually from slot to slot; sharp
     * detail (a spike) comes from the weekly slot where the weekly layer speaks, else the daily one.
     */
    private slotSeasonal;
    /** Mean seasonal deviation from the long-run mean over [startMs, endMs) (the slot at startMs when empty). */
    meanSeasonal(startMs: number, endMs: number): number;
    /** Mean forecast rate over (last + from, last + to] minutes; from === to gives the point forecast. */
    forecastMean(fromMinutes: number, toMinutes: number): number;
    /** Relative change of the smoothed rate over `windowMinutes` at its current slope. */
    relativeSlope(windowMinutes: number): number;
}
