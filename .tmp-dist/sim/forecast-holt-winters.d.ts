/**
 * Additive Holt-Winters (level + trend + daily season) with fixed smoothing constants, the
 * classic textbook baseline. Initialised from the first full season (level = its mean,
 * trend = 0, season = deviations from that mean); until then it uses its fallback model.
 * Forecasts are clipped at 0 (a rate cannot be negative).
 */
import type { ForecastModel, ModelContext } from './forecast-models.js';
export interface HoltWintersParams {
    /** Level smoothing. */
    alpha: number;
    /** Trend smoothing. */
    beta: number;
    /** Season smoothing. */
    gamma: number;
    seasonMinutes: number;
}
export declare class HoltWintersModel implements ForecastModel {
    private readonly ctx;
    private readonly p;
    private readonly fallback;
    readonly name = "holt-winters";
    readonly description: string;
    fallbacks: number;
    private readonly m;
    private readonly season;
    /** Bins observed so far; bin i has season slot i mod m. */
    private count;
    private firstSeasonSum;
    private level;
    private trend;
    private ready;
    constructor(ctx: ModelContext, p: HoltWintersParams, fallback: ForecastModel);
    observe(binStartMs: number, y: number): void;
    predictMean(tMs: number, horizonMinutes: number): number;
}
