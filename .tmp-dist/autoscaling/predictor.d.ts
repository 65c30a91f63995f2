import { HistoryFormatError } from './predictor-history.js';
import { type Clock, type WorkloadPrediction, type WorkloadSample, type WorkloadStatistics } from './types.js';
export { HistoryFormatError };
export interface WorkloadPredictorOptions {
    /** Samples kept for getStatistics() and the export (default 1000). The seasonal memory does not depend on it. */
    historySize?: number;
    /** Used only for the timestamp of a prediction made before any sample (default: system clock). */
    clock?: Clock;
    /** IANA time zone of the weekly/daily profile (default 'UTC'): "Monday 09:00" is local time there. */
    timezone?: string;
    /** Weeks a weekly 5-minute slot remembers; older weeks fade exponentially (default 4). */
    weeklyMemoryWeeks?: number;
    /** Days a daily 5-minute slot remembers (default 14). */
    dailyMemoryDays?: number;
    /** Observations' worth of pooled (all-slot) variance mixed into each slot's own variance (default 3). */
    variancePrior?: number;
    /** Half-width, in 5-minute slots, of the neighbourhood a profile slot is smoothed toward unless it stands out (default 9). */
    smoothingSlots?: number;
    /** A seasonal layer (daily vs long-run mean, weekly vs daily) counts only beyond this many noise variances (default 1). */
    significance?: number;
    /** A slot's own deviation from its neighbourhood (a sharp spike) counts only beyond this many noise variances (default 9). */
    detailSignificance?: number;
    /** Time constant, minutes, of the level: how far the rate runs above/below its profile now (default 8). */
    levelMinutes?: number;
    /** Time constant, minutes, of the drift: the part of that level which persists over any horizon (default 360). */
    driftMinutes?: number;
    /** Minutes over which the level fades back to the drift in a forecast (default 60). */
    levelDecayMinutes?: number;
    /** Damping time, minutes, of the trend term of the forecast; 0 = no trend term (default 0). */
    trendDampingMinutes?: number;
    /** Time constant, minutes, of the trend estimate used by that term (default 30). */
    trendMinutes?: number;
    /** Time constant, minutes, of the long-run mean, the baseline where no seasonality stands out (default 1440). */
    meanMinutes?: number;
    /** A sample's rate is credited to at most this many minutes before it, or 2× the median sampling interval if longer (default 5). */
    gapMinutes?: number;
    /** Window, minutes, of the forecasts the predictor scores itself on (default 5). */
    confidenceHorizonMinutes?: number;
    /** Number of recent scored forecasts the measured error averages over (default 20). */
    confidenceMemory?: number;
    /** Rate (per minute) below which errors are scaled as if the rate were this (default 1). */
    confidenceErrorFloor?: number;
    /** Scored forecasts for the data-sufficiency factor to reach 63 % (default 5). */
    confidenceSufficiency?: number;
    /** Relative change of the smoothed rate over `trendWindowMinutes` that counts as a trend (default 0.1). */
    trendThreshold?: number;
    /** Window, minutes, of that relative change (default 30). */
    trendWindowMinutes?: number;
}
export declare class WorkloadPredictor {
    readonly historySize: number;
    readonly timezone: string;
    private readonly clock;
    private readonly knobs;
    private readonly model;
    private readonly tracker;
    /** Ring buffer of kept samples (oldest at ringStart once full). */
    private readonly ring;
    private ringStart;
    private last;
    constructor(options?: WorkloadPredictorOptions);
    private trackerKnobs;
    /** Samples kept (at most historySize). */
    get sampleCount(): number;
    /**
     * Adds one observation; `validationsPerMinute` is the rate since the previous sample. Garbage
     * numbers are treated as missing; a sample without a valid timestamp, or older than the latest
     * one, is ignored (the rate of an out-of-order interval is undefined). Never throws.
     */
    addSample(sample: WorkloadSample): void;
    private keep;
    private keptSamples;
    /** Forecast of the rate `timeHorizonMinutes` after the latest sample (fractional minutes allowed). */
    predict(timeHorizonMinutes?: number): WorkloadPrediction;
    /**
     * Queue after h minutes, assuming arrivals at the predicted rate and service at the fleet's
     * capacity (activeWorkers × 60 / avgLatencySeconds per minute, every worker busy). When capacity
     * is unknown (no latency or workers yet), the fleet is assumed to keep serving the latest rate.
     */
    private queueDepthAfter;
    private trend;
    /** Mean predicted rate over (latest + fromMinutes, latest + toMinutes]. */
    forecastMeanRate(fromMinutes: number, toMinutes: number): number;
    getStatistics(): WorkloadStatistics;
    /** The whole learned state as versioned JSON (`{ "version": 1, … }`). */
    exportHistory(): string;
    /**
     * Rebuilds a predictor from `exportHistory()` output. The exported knobs and time zone are kept;
     * `options` may inject a clock, change historySize (keeping the newest samples) or override knobs.
     * Throws HistoryFormatError naming the first invalid field.
     */
    static importHistory(json: string, options?: WorkloadPredictorOptions): WorkloadPredictor;
}
