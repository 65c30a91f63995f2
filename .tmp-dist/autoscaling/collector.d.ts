import { type Clock, type TrendOrInsufficient } from './types.js';
export interface ResourceReading {
    /** Percent 0..100. */
    cpuUsage: number;
    /** Percent 0..100. */
    memoryUsage: number;
}
export type ResourceSampler = () => ResourceReading;
export interface CollectorLogger {
    warn(message: string): void;
}
export interface AutoScalingMetricsCollectorOptions {
    /** Sliding window for rates and latency, minutes. Default 5. */
    windowMinutes?: number;
    clock?: Clock;
    /** Default: this process's CPU share of all cores and the system's memory in use. */
    resourceSampler?: ResourceSampler;
    /** Where ignored calls (ending an unknown id …) are reported. Default `console.warn`. */
    logger?: CollectorLogger;
    /** Hard cap on completions kept for the window (oldest dropped beyond it). Default 100 000. */
    maxWindowCompletions?: number;
}
export interface CollectorMetrics {
    timestamp: Date;
    queueDepth: number;
    pendingValidations: number;
    activeValidations: number;
    validationsPerMinute: number;
    avgLatencySeconds: number;
    p95LatencySeconds: number;
    maxLatencySeconds: number;
    minLatencySeconds: number;
    successRate: number;
    cpuUsage: number;
    memoryUsage: number;
    windowMinutes: number;
}
export interface CollectorStatistics {
    uptimeSeconds: number;
    /** Validations ended since start or reset. */
    totalValidations: number;
    totalSuccesses: number;
    totalFailures: number;
    /** totalSuccesses / totalValidations; 1 before any validation ended (as `successRate`). */
    overallSuccessRate: number;
    currentMetrics: CollectorMetrics;
    queueDepthTrend: TrendOrInsufficient;
    latencyTrend: TrendOrInsufficient;
    activeValidations: number;
    /** Validations ended within the window. */
    completedValidations: number;
}
export interface ExportedCollectorMetrics {
    bountybot_autoscaling_queue_depth: number;
    bountybot_autoscaling_validations_per_minute: number;
    bountybot_autoscaling_avg_latency_seconds: number;
    bountybot_autoscaling_success_rate: number;
    bountybot_autoscaling_cpu_usage: number;
    bountybot_autoscaling_memory_usage: number;
    bountybot_autoscaling_total_validations: number;
    bountybot_autoscaling_total_successes: number;
    bountybot_autoscaling_total_failures: number;
    bountybot_autoscaling_uptime_seconds: number;
}
/** Sizes of the internal structures, for tests and diagnostics. */
export interface CollectorFootprint {
    pending: number;
    active: number;
    windowCompletions: number;
    depthPoints: number;
}
/** CPU: this process's CPU time per wall time since the previous reading, over all cores. */
export declare function createProcessResourceSampler(): ResourceSampler;
export declare class AutoScalingMetricsCollector {
    readonly windowMinutes: number;
    private readonly windowMs;
    private readonly clock;
    private readonly sampler;
    private readonly logger;
    private readonly pending;
    private readonly active;
    private readonly completions;
    private readonly depthHistory;
    private lastResources;
    private startedMs;
    private totalSuccesses;
    private totalFailures;
    constructor(options?: AutoScalingMetricsCollectorOptions);
    /** A validation entered the queue. Enqueuing an id already queued or running is ignored. */
    enqueueValidation(id: string): void;
    /** A validation started (it need not have been enqueued). Starting a running id restarts its timer. */
    startValidation(id: string): void;
    /**
     * A validation ended. Ending an id that never started but is queued removes it from the queue
     * (a cancellation: not counted as a completion); ending an unknown id is a logged no-op.
     */
    endValidation(id: string, result?: {
        success?: boolean;
        error?: string;
    }): void;
    getCurrentMetrics(): CollectorMetrics;
    getQueueDepthTrend(): TrendOrInsufficient;
    getLatencyTrend(): TrendOrInsufficient;
    getStatistics(): CollectorStatistics;
    /** The brief's metric names, for an external exporter. */
    exportMetrics(): ExportedCollectorMetrics;
    /** Forgets everything, including validations in flight; uptime restarts. */
    reset(): void;
    getFootprint(): CollectorFootprint;
    private nowMs;
    private prune;
    private recordDepth;
    private readResources;
}
