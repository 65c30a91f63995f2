/**
 * Metrics source `sqlite-queue`: the loop's observation read from the shared store, so it counts
 * every worker process and survives controller restarts (nothing is kept in controller memory).
 */
import type { MetricsSource, Observation } from '../control/interfaces.js';
import type { SqliteStore } from './sqlite-store.js';
export interface SqliteMetricsSourceOptions {
    /** Window for latency, p95 and success rate, ms (the config's metrics_window_minutes). */
    windowMs: number;
    /** Window for arrival and completion rates, ms. Default 60000 (the last minute). */
    rateWindowMs?: number;
}
export declare class SqliteMetricsSource implements MetricsSource {
    private readonly store;
    private readonly windowMs;
    private readonly rateWindowMs;
    constructor(store: SqliteStore, opts: SqliteMetricsSourceOptions);
    read(now: Date): Promise<Observation>;
}
