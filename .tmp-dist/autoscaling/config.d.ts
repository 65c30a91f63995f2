import { z } from 'zod';
import { type ScalingConfig, type ScalingConfigInput } from './scaling-config.js';
export declare const BUILTIN_DEMO_HANDLER = "builtin:demo";
export declare const API_TOKEN_ENV = "BOUNTYBOT_API_TOKEN";
export declare const AUTOSCALING_RUNTIME_DEFAULTS: Readonly<{
    enabled: true;
    metricsWindowMinutes: 5;
    evaluationIntervalSeconds: 15;
    databasePath: "./data/bountybot.db";
    httpHost: "127.0.0.1";
    httpPort: 8088;
    handler: "builtin:demo";
}>;
export interface AutoscalingConfig {
    enabled: boolean;
    metricsWindowMinutes: number;
    evaluationIntervalSeconds: number;
    databasePath: string;
    httpHost: string;
    httpPort: number;
    /** From `api_token` or BOUNTYBOT_API_TOKEN (which wins); undefined when neither is set. */
    apiToken: string | undefined;
    /** Module path of the validation handler, or BUILTIN_DEMO_HANDLER. */
    handler: string;
    /** Engine and cost settings, defaults filled and validated. */
    scaling: ScalingConfig;
    /** Where the config came from (file path or '<inline>'). */
    source: string;
    /** Legal but suspicious settings (e.g. hourly budget above the daily one). */
    warnings: string[];
}
export interface ParseOptions {
    /** Environment for BOUNTYBOT_API_TOKEN; default `process.env`. */
    env?: Readonly<Record<string, string | undefined>>;
}
/** The `autoscaling:` section (snake_case keys, all optional). */
export declare const autoscalingSectionSchema: z.ZodObject<{
    enabled: z.ZodOptional<z.ZodBoolean>;
    min_workers: z.ZodOptional<z.ZodNumber>;
    max_workers: z.ZodOptional<z.ZodNumber>;
    target_queue_depth: z.ZodOptional<z.ZodNumber>;
    target_latency_seconds: z.ZodOptional<z.ZodNumber>;
    scale_up_threshold: z.ZodOptional<z.ZodNumber>;
    scale_down_threshold: z.ZodOptional<z.ZodNumber>;
    cooldown_minutes: z.ZodOptional<z.ZodNumber>;
    scale_up_cooldown_minutes: z.ZodOptional<z.ZodNumber>;
    scale_down_cooldown_minutes: z.ZodOptional<z.ZodNumber>;
    history_size: z.ZodOptional<z.ZodNumber>;
    prediction_horizon_minutes: z.ZodOptional<z.ZodNumber>;
    worker_startup_seconds: z.ZodOptional<z.ZodNumber>;
    target_wait_seconds: z.ZodOptional<z.ZodNumber>;
    wait_percentile: z.ZodOptional<z.ZodNumber>;
    backlog_drain_seconds: z.ZodOptional<z.ZodNumber>;
    max_utilization: z.ZodOptional<z.ZodNumber>;
    default_service_seconds: z.ZodOptional<z.ZodNumber>;
    panic_threshold: z.ZodOptional<z.ZodNumber>;
    scale_down_stabilization_seconds: z.ZodOptional<z.ZodNumber>;
    scale_down_max_fraction: z.ZodOptional<z.ZodNumber>;
    timezone: z.ZodOptional<z.ZodString>;
    cost_config: z.ZodOptional<z.ZodObject<{
        hourly_budget: z.ZodOptional<z.ZodNumber>;
        daily_budget: z.ZodOptional<z.ZodNumber>;
        monthly_budget: z.ZodOptional<z.ZodNumber>;
        cost_per_worker_hour: z.ZodOptional<z.ZodNumber>;
        alert_threshold: z.ZodOptional<z.ZodNumber>;
        timezone: z.ZodOptional<z.ZodString>;
    }, z.core.$strict>>;
    metrics_window_minutes: z.ZodOptional<z.ZodNumber>;
    evaluation_interval_seconds: z.ZodOptional<z.ZodNumber>;
    database_path: z.ZodOptional<z.ZodString>;
    http_host: z.ZodOptional<z.ZodString>;
    http_port: z.ZodOptional<z.ZodNumber>;
    api_token: z.ZodOptional<z.ZodString>;
    handler: z.ZodOptional<z.ZodString>;
}, z.core.$strict>;
/** The whole file: exactly one top-level key, `autoscaling`. */
export declare const autoscalingFileSchema: z.ZodObject<{
    autoscaling: z.ZodObject<{
        enabled: z.ZodOptional<z.ZodBoolean>;
        min_workers: z.ZodOptional<z.ZodNumber>;
        max_workers: z.ZodOptional<z.ZodNumber>;
        target_queue_depth: z.ZodOptional<z.ZodNumber>;
        target_latency_seconds: z.ZodOptional<z.ZodNumber>;
        scale_up_threshold: z.ZodOptional<z.ZodNumber>;
        scale_down_threshold: z.ZodOptional<z.ZodNumber>;
        cooldown_minutes: z.ZodOptional<z.ZodNumber>;
        scale_up_cooldown_minutes: z.ZodOptional<z.ZodNumber>;
        scale_down_cooldown_minutes: z.ZodOptional<z.ZodNumber>;
        history_size: z.ZodOptional<z.ZodNumber>;
        prediction_horizon_minutes: z.ZodOptional<z.ZodNumber>;
        worker_startup_seconds: z.ZodOptional<z.ZodNumber>;
        target_wait_seconds: z.ZodOptional<z.ZodNumber>;
        wait_percentile: z.ZodOptional<z.ZodNumber>;
        backlog_drain_seconds: z.ZodOptional<z.ZodNumber>;
        max_utilization: z.ZodOptional<z.ZodNumber>;
        default_service_seconds: z.ZodOptional<z.ZodNumber>;
        panic_threshold: z.ZodOptional<z.ZodNumber>;
        scale_down_stabilization_seconds: z.ZodOptional<z.ZodNumber>;
        scale_down_max_fraction: z.ZodOptional<z.ZodNumber>;
        timezone: z.ZodOptional<z.ZodString>;
        cost_config: z.ZodOptional<z.ZodObject<{
            hourly_budget: z.ZodOptional<z.ZodNumber>;
            daily_budget: z.ZodOptional<z.ZodNumber>;
            monthly_budget: z.ZodOptional<z.ZodNumber>;
            cost_per_worker_hour: z.ZodOptional<z.ZodNumber>;
            alert_threshold: z.ZodOptional<z.ZodNumber>;
            timezone: z.ZodOptional<z.ZodString>;
        }, z.core.$strict>>;
        metrics_window_minutes: z.ZodOptional<z.ZodNumber>;
        evaluation_interval_seconds: z.ZodOptional<z.ZodNumber>;
        database_path: z.ZodOptional<z.ZodString>;
        http_host: z.ZodOptional<z.ZodString>;
        http_port: z.ZodOptional<z.ZodNumber>;
        api_token: z.ZodOptional<z.ZodString>;
        handler: z.ZodOptional<z.ZodString>;
    }, z.core.$strict>;
}, z.core.$strict>;
export type AutoscalingSection = z.infer<typeof autoscalingSectionSchema>;
export type AutoscalingFile = z.infer<typeof autoscalingFileSchema>;
/** The section's engine and cost keys as a `ScalingConfigInput` (camelCase, only keys present). */
export declare function toScalingConfigInput(section: AutoscalingSection): ScalingConfigInput;
export declare function loadAutoscalingConfig(path: string, options?: ParseOptions): AutoscalingConfig;
export declare function parseAutoscalingConfig(yamlText: string, source?: string, options?: ParseOptions): AutoscalingConfig;
/** " — did you mean X?" for the closest allowed key, or the list of allowed keys. */
export declare function suggestion(key: string, allowed: readonly string[]): string;
