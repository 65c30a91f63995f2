/**
 * The predictor's JSON format (version 1): the whole learned state, and a validator that names the
 * offending field. Typed arrays are written as plain number arrays; JSON numbers round-trip doubles
 * exactly, so an imported predictor forecasts exactly what the exported one does.
 */
import type { ErrorTrackerState } from './forecast-error-tracker.js';
import { type SeasonalModelState } from './seasonal-model.js';
export declare const HISTORY_FORMAT_VERSION = 1;
/** A kept sample with garbage fields already replaced by null. */
export interface KeptSample {
    t: number;
    rate: number | null;
    queueDepth: number | null;
    latency: number | null;
    workers: number | null;
    cpu: number | null;
    memory: number | null;
}
export interface LastReadings {
    rate: number | null;
    queueDepth: number | null;
    latency: number | null;
    workers: number | null;
}
export interface PredictorSnapshot {
    historySize: number;
    timezone: string;
    knobs: Record<string, number>;
    model: SeasonalModelState;
    tracker: ErrorTrackerState;
    last: LastReadings;
    samples: KeptSample[];
}
/** Thrown by `importHistory` for JSON that is not a valid predictor export. */
export declare class HistoryFormatError extends Error {
    constructor(message: string);
}
export declare function serializeSnapshot(s: PredictorSnapshot): string;
/** Parses and validates an export; throws HistoryFormatError naming the first bad field. */
export declare function parseSnapshot(json: string): PredictorSnapshot;
