/**
 * Turns untrusted metrics into clean numbers. A field that is not a finite, non-negative,
 * plausible number is treated as missing and a note says so; nothing here throws.
 */
import type { ScalingMetrics } from './types.js';
export interface CleanMetrics {
    queueDepth?: number;
    validationsPerMinute?: number;
    avgLatencySeconds?: number;
    activeWorkers?: number;
    cpuUsage?: number;
    memoryUsage?: number;
    aiProviderLatencySeconds?: number;
    currentCostPerHour?: number;
    arrivalsPerMinute?: number;
    readyWorkers?: number;
    inFlight?: number;
    oldestWaitSeconds?: number;
    timestamp?: Date;
}
export interface SanitizedMetrics {
    metrics: CleanMetrics;
    /** One note per field that was dropped, e.g. "queueDepth=NaN ignored (not a finite number >= 0)". */
    notes: string[];
    /** Names of the dropped fields. */
    missing: string[];
}
export declare function describeValue(v: unknown): string;
export declare function sanitizeMetrics(input: Partial<ScalingMetrics> | null | undefined): SanitizedMetrics;
