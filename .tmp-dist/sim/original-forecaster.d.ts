/**
 * The seed's v2.9.0 workload predictor, reimplemented from its published description so it can
 * be back-tested: forecast = 0.4 × (last + slope × horizon) + 0.3 × hour/day pattern means
 * + 0.3 × EMA(α = 0.3). Behaviour kept on purpose, including its quirks:
 * - the slope is a least-squares fit over the last 60 samples *per sample index*, multiplied
 *   by the horizon in minutes (right only for one sample per minute);
 * - the pattern means keep the last 100 samples per hour of day and 50 per weekday;
 * - with fewer than 10 samples it returns the latest sample (confidence 0.3).
 * One deliberate change: the original looks patterns up by the *wall clock*; here the caller
 * passes `now` (the simulation or walk-forward clock), which is what makes back-testing possible.
 */
export interface OriginalSample {
    timestamp: Date;
    validationsPerMinute: number;
    queueDepth: number;
    avgLatencySeconds: number;
    activeWorkers: number;
}
export interface OriginalPrediction {
    predictedValidationsPerMinute: number;
    predictedQueueDepth: number;
    confidence: number;
    timeHorizonMinutes: number;
}
export declare class OriginalWorkloadPredictor {
    private readonly historySize;
    private readonly samples;
    private readonly hourly;
    private readonly daily;
    constructor(historySize?: number);
    get sampleCount(): number;
    addSample(s: OriginalSample): void;
    /** Forecast of the rate `horizonMinutes` after `now` (the caller's clock). */
    predict(horizonMinutes: number, now: Date): OriginalPrediction;
    /** 0.7 × hour-of-day mean + 0.3 × weekday mean, falling back to whichever is positive. */
    patternMean(at: Date): number;
    private confidence;
}
/** Least-squares slope of ys against 0, 1, 2 … (numpy.polyfit(x, y, 1)[0]). */
export declare function slopePerIndex(ys: readonly number[]): number;
/** Exponential moving average seeded with the first value. */
export declare function ema(ys: readonly number[], alpha: number): number;
