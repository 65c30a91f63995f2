/**
 * Measures the predictor's own forecast error: it keeps a few pending forecasts ("mean rate over
 * the next H minutes will be p"), scores each once its window has been observed, and keeps an
 * EWMA of the scaled absolute error |a − p| / max(a, p, floor). Confidence = (1 − error) times a
 * data-sufficiency factor that grows with the number of scored forecasts.
 */
export interface PendingForecast {
    startMs: number;
    endMs: number;
    predicted: number;
    /** Σ rate × minutes observed inside the window so far. */
    observedSum: number;
    observedMinutes: number;
}
export interface ErrorTrackerState {
    pending: PendingForecast[];
    lastIssuedMs: number | null;
    error: number;
    scored: number;
}
export interface ErrorTrackerKnobs {
    /** Window of the self-scored forecasts, minutes. */
    horizonMinutes: number;
    /** Number of recent scored forecasts the error average remembers. */
    memory: number;
    /** Rates below this (per minute) count as this when scaling the error, so tiny rates are not all 100 % off. */
    errorFloor: number;
    /** Scored forecasts for the data-sufficiency factor to reach 1 − 1/e. */
    sufficiencyScale: number;
}
export declare function emptyTrackerState(): ErrorTrackerState;
export declare class ForecastErrorTracker {
    readonly knobs: Readonly<ErrorTrackerKnobs>;
    readonly state: ErrorTrackerState;
    constructor(knobs: Readonly<ErrorTrackerKnobs>, state?: ErrorTrackerState);
    /** Credits the rate observed over [startMs, endMs) to pending windows, then scores finished ones. */
    observe(startMs: number, endMs: number, rate: number | null, nowMs: number): void;
    /** Registers the forecast made at `nowMs` for the next `horizonMinutes`, at most once a minute. */
    issue(nowMs: number, predicted: number): void;
    private score;
    /** Confidence in [0, 1]: 1 − measured error, scaled down while few forecasts have been scored. */
    confidence(): number;
}
