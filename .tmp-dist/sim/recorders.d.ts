import type { SimulationSeries, WorkerLog } from './types.js';
/** `time,provisioned,ready,busy` rows, one per instant at which any of them changed. */
export declare class WorkerLogRecorder {
    private time;
    private provisioned;
    private ready;
    private busy;
    private n;
    record(tMs: number, provisioned: number, ready: number, busy: number): void;
    /** Always ends with a row at `tMs` (the end of billing), even if nothing changed then. */
    finish(tMs: number, provisioned: number, ready: number, busy: number): WorkerLog;
}
/** Per-minute series: time-weighted means of fleet and queue, arrivals, forecast, latency p95. */
export declare class SeriesRecorder {
    private arrivals;
    private forecast;
    private provisioned;
    private ready;
    private busy;
    private queue;
    private p95;
    private minutes;
    private latencies;
    private latencyCount;
    private latencyMinute;
    private ensure;
    /** Adds the state held over [fromMs, toMs) to the minute buckets it covers. */
    accumulate(fromMs: number, toMs: number, paid: number, ready: number, busy: number, waiting: number): void;
    arrival(tMs: number): void;
    /** A forecast of the arrival rate (per minute) for the minute containing `forMs`. */
    forecastFor(forMs: number, perMinute: number): void;
    completion(endMs: number, latencyMs: number): void;
    private flushLatency;
    finish(stopMs: number): SimulationSeries;
}
/** Completions inside the sliding metrics window, as a live metrics collector would keep them. */
export declare class CompletionWindow {
    private readonly windowMs;
    private end;
    private proc;
    private head;
    private size;
    private sumProcMs;
    private scratch;
    constructor(windowMs: number);
    add(endMs: number, processingMs: number): void;
    /** Drops completions at or before `nowMs - window`. */
    evict(nowMs: number): void;
    get count(): number;
    meanProcessingMs(): number;
    p95ProcessingMs(): number;
    private growRing;
}
/** A set of small integer ids with O(1) add/remove and iteration (worker ids by state). */
export declare class IdSet {
    private items;
    private pos;
    size: number;
    has(id: number): boolean;
    add(id: number): void;
    remove(id: number): void;
    at(i: number): number;
}
/**
 * CPU reading of ready (non-draining) workers: busy ÷ ready worker-time over the last `windowMs`
 * (a metrics server reports a rate, not an instant); instantaneous until time has passed.
 */
export declare class CpuMeter {
    private readonly windowMs;
    private busyMs;
    private readyMs;
    private readonly snapT;
    private readonly snapBusy;
    private readonly snapReady;
    constructor(windowMs: number);
    accumulate(busy: number, ready: number, dtMs: number): void;
    /** Percent at `tMs` (call once per evaluation; times increasing). */
    percent(tMs: number, busyNow: number, readyNow: number): number;
}
