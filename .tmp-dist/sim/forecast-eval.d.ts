/**
 * Walk-forward forecast evaluation. The trace is put on a regular grid of its bin width
 * (holes = 0 arrivals). At every bin boundary t each model forecasts the mean arrival rate per
 * minute over [t, t+H) having observed only the bins before t; afterwards it observes the bin
 * starting at t. Scored windows: t ≥ start + min(24 h, 25 % of the trace) and t + H ≤ end.
 *
 * Metrics over the n scored windows (a = actual mean rate, f = forecast):
 * - WAPE = Σ|a − f| / Σa; accuracy = 1 − WAPE;
 * - MAPE = mean of |a − f| / a over the windows with a > 0;
 * - MASE = mean|a − f| ÷ the in-sample one-step naive MAE of the scored part, i.e. the mean of
 *   |r(i) − r(i−1)| over consecutive bins i of the scored part [first window start, trace end).
 * A metric whose denominator is 0 is null.
 */
import type { ForecastModel } from './forecast-models.js';
import type { Trace } from './trace.js';
/** Bad evaluation settings (horizon, a trace too short); the CLI turns it into exit code 2. */
export declare class ForecastSetupError extends Error {
    constructor(message: string);
}
/** A trace on a regular grid. */
export interface BinnedSeries {
    source: string;
    /** Epoch ms of bin 0's start. */
    originMs: number;
    binMinutes: number;
    /** Arrivals per grid bin. */
    counts: Float64Array;
}
/**
 * Puts the trace on its detected bin grid: each row's arrivals go to the grid bin containing
 * its start (rows closer together than the bin width are merged; a hole stays 0).
 */
export declare function binTrace(trace: Trace): BinnedSeries;
export declare function formatMinutes(minutes: number): string;
/** Bins per horizon; throws ForecastSetupError unless H is a positive multiple of the bin width. */
export declare function horizonBins(horizonMinutes: number, binMinutes: number): number;
/** First scored boundary (bin index): the first at or after min(24 h, 25 % of the trace). */
export declare function scoringStartBin(bins: number, binMinutes: number): number;
export interface ForecastScore {
    model: string;
    wape: number | null;
    mape: number | null;
    mase: number | null;
    accuracy: number | null;
    /** Scored windows. */
    n: number;
    /** Scored forecasts made by the model's fallback rule (it lacked the history its rule needs). */
    fallbacks: number;
}
/** Parallel arrays of one model's scored windows. */
export interface ForecastPredictions {
    model: string;
    /** Window start t, epoch ms. */
    tMs: Float64Array;
    /** Actual mean rate per minute over [t, t+H). */
    actual: Float64Array;
    predicted: Float64Array;
}
export interface ForecastEvaluation {
    source: string;
    binMinutes: number;
    bins: number;
    horizonMinutes: number;
    horizonBins: number;
    /** Epoch ms of the first and last scored window start. */
    firstWindowMs: number;
    lastWindowMs: number;
    windows: number;
    /** The MASE denominator (per-minute rate units). */
    maseScale: number;
    scores: ForecastScore[];
    predictions?: ForecastPredictions;
    wallMs: number;
}
export interface EvaluateOptions {
    horizonMinutes: number;
    models: ForecastModel[];
    /** Keep every scored forecast of this model (for --predictions-out). */
    keepPredictionsOf?: string;
}
export declare function evaluateForecasts(series: BinnedSeries, opts: EvaluateOptions): ForecastEvaluation;
