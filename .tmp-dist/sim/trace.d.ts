export interface Trace {
    /** File path or scenario name, for messages and reports. */
    source: string;
    /** Epoch milliseconds of the first bin's start: simulation time 0. */
    startMs: number;
    /** Detected bin width, seconds. */
    binSeconds: number;
    /** Each bin's start, milliseconds after `startMs`. */
    binStartMs: Float64Array;
    /** Each bin's length, milliseconds (the bin width, or less where the next row starts sooner). */
    binLengthMs: Float64Array;
    /** Arrivals per bin (may be fractional after scaling). */
    counts: Float64Array;
    /** End of the last bin, milliseconds after `startMs`: arrivals stop here. */
    endMs: number;
}
/** A malformed trace; the message names the file, the line and the offending value. */
export declare class TraceError extends Error {
    constructor(message: string);
}
/** Parses an ISO-8601 time (UTC unless it carries an offset) or Unix epoch seconds; NaN if neither. */
export declare function parseTimestamp(text: string): number;
export declare function loadTraceFile(path: string): Trace;
/** Parses `timestamp,count` rows; throws TraceError naming `source`, the line and the value. */
export declare function parseTraceCsv(text: string, source: string): Trace;
/** Builds a Trace from absolute bin start times (epoch ms, increasing) and counts. */
export declare function buildTrace(source: string, timesMs: readonly number[], counts: readonly number[]): Trace;
/** Total arrivals in the trace. */
export declare function traceTotal(trace: Trace): number;
/**
 * Arrivals in the busiest clock hour (UTC hours [hh:00, hh+1:00)); a bin that straddles hours
 * contributes in proportion to its overlap with each.
 */
export declare function busiestHourCount(trace: Trace): number;
/** Highest arrival rate of any single bin, per second. */
export declare function peakBinRatePerSecond(trace: Trace): number;
