/**
 * Prometheus exposition of the autoscaler. Every value is read from the RuntimeApi at scrape time
 * (prom-client `collect()` callbacks), so nothing here has to be kept in sync with the loop.
 * Metrics live on the Registry the caller passes; the global registry is never touched.
 */
import { type Registry } from 'prom-client';
import type { RuntimeApi } from '../runtime/runtime-api.js';
export declare const METRIC_PREFIX = "bountybot_autoscaling_";
export interface AutoscalingMetricsOptions {
    /** Also register Node's default process metrics on the same registry. Default true. */
    defaultMetrics?: boolean;
    /** Told when `runtime.status()` fails during a scrape; the status-derived gauges then keep their last values. */
    onStatusError?: (err: unknown) => void;
}
export interface AutoscalingMetrics {
    /** Names of every metric this call registered (ours and the default process metrics). */
    readonly names: readonly string[];
    /** Removes all of them from the registry, so a new server can register again. */
    unregister(): void;
}
/**
 * Registers the autoscaler's metrics on `registry`. Throws (prom-client's own error) when a
 * metric of the same name is already registered there.
 */
export declare function createAutoscalingMetrics(registry: Registry, runtime: RuntimeApi, options?: AutoscalingMetricsOptions): AutoscalingMetrics;
