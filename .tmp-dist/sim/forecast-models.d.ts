/**
 * Forecast models compared by `bountybot forecast`. Every model sees the trace one bin at a
 * time (`observe`, consecutive bins on a regular grid) and, at a bin boundary t, forecasts the
 * mean arrival rate per minute over [t, t+H) from the bins it has seen, i.e. data before t.
 *
 * The naive baselines keep prefix sums, so a forecast costs O(1) whatever the window.
 * Where a baseline has no data for its rule yet it falls back (documented per model) and
 * counts the forecasts it made that way.
 */
import { type WorkloadPredictorOptions } from '../autoscaling/predictor.js';
import { type HoltWintersParams } from './forecast-holt-winters.js';
export interface ForecastModel {
    readonly name: string;
    /** One line for the table legend and BENCHMARKS.md. */
    readonly description: string;
    /** The bin starting at `binStartMs` (epoch ms) had this mean arrival rate per minute. */
    observe(binStartMs: number, ratePerMinute: number): void;
    /** Mean arrival rate per minute over [tMs, tMs + horizonMinutes) from the bins observed so far. */
    predictMean(tMs: number, horizonMinutes: number): number;
    /** Forecasts made by a fallback rule because the model's own rule had no data yet. */
    readonly fallbacks: number;
}
export interface ModelContext {
    /** Width of one bin, minutes (may be fractional for sub-minute traces). */
    binMinutes: number;
}
/** Observed per-bin rates with prefix sums: the shared memory of the naive baselines. */
export declare class RateHistory {
    private readonly rates;
    private readonly prefix;
    get length(): number;
    push(rate: number): void;
    at(i: number): number;
    /** Sum of rates of bins [from, to). */
    sum(from: number, to: number): number;
}
declare abstract class HistoryModel implements ForecastModel {
    protected readonly ctx: ModelContext;
    abstract readonly name: string;
    abstract readonly description: string;
    protected readonly history: RateHistory;
    fallbacks: number;
    constructor(ctx: ModelContext);
    observe(_binStartMs: number, ratePerMinute: number): void;
    abstract predictMean(tMs: number, horizonMinutes: number): number;
}
/** The latest bin's rate, for the whole window (0 before any bin). */
export declare class LastValueModel extends HistoryModel {
    readonly name = "last-value";
    readonly description = "the latest bin's rate";
    predictMean(): number;
}
/** Mean rate of the latest `windowMinutes` (fewer bins while the history is shorter). */
export declare class MovingAverageModel extends HistoryModel {
    readonly name = "moving-average";
    readonly description: string;
    private readonly windowBins;
    constructor(ctx: ModelContext, windowMinutes?: number);
    predictMean(): number;
}
/**
 * Seasonal naive: each bin of the window is forecast by the bin one period earlier (for a
 * window longer than the period, by the latest observed bin of the same phase). Until one
 * period of history exists it uses `fallback`.
 */
export declare class SeasonalNaiveModel extends HistoryModel {
    private readonly fallback;
    readonly name: string;
    readonly description: string;
    private readonly periodBins;
    constructor(ctx: ModelContext, name: string, periodMinutes: number, fallback: ForecastModel, fallbackLabel: string);
    observe(binStartMs: number, ratePerMinute: number): void;
    predictMean(tMs: number, horizonMinutes: number): number;
}
/** WorkloadPredictor (ours), each bin fed as a sample stamped at the bin's end. */
export declare class BountybotModel implements ForecastModel {
    readonly name = "bountybot";
    readonly description = "WorkloadPredictor (src/autoscaling/predictor.ts), forecastMeanRate(0, H)";
    readonly fallbacks = 0;
    private readonly predictor;
    private readonly binMs;
    constructor(ctx: ModelContext, options?: WorkloadPredictorOptions);
    observe(binStartMs: number, ratePerMinute: number): void;
    predictMean(_tMs: number, horizonMinutes: number): number;
}
/**
 * The seed's v2.9.0 predictor (original-forecaster.ts). Its predict(H) is documented as the
 * workload "for the next H minutes", so it is scored as that window's mean.
 */
export declare class OriginalModel implements ForecastModel {
    readonly name = "original";
    readonly description = "the seed's v2.9.0 forecaster: 0.4\u00B7(last + slope\u00B7H) + 0.3\u00B7hour/day means + 0.3\u00B7EMA(0.3)";
    readonly fallbacks = 0;
    private readonly predictor;
    private readonly binMs;
    constructor(ctx: ModelContext);
    observe(binStartMs: number, ratePerMinute: number): void;
    predictMean(tMs: number, horizonMinutes: number): number;
}
export declare const HOLT_WINTERS_DEFAULTS: HoltWintersParams;
/** Builds one model for a trace's bin width. */
export type ModelFactory = (ctx: ModelContext) => ForecastModel;
/** Every model of `bountybot forecast`, in table order. */
export declare const FORECAST_MODELS: ReadonlyArray<readonly [string, ModelFactory]>;
export declare const FORECAST_MODEL_NAMES: readonly string[];
/** Fresh instances of the named models (all by default); throws RangeError on an unknown name. */
export declare function createForecastModels(ctx: ModelContext, names?: readonly string[]): ForecastModel[];
export {};
