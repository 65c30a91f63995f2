/**
 * Engine and cost settings with their defaults. The brief's keys keep the brief's defaults;
 * every knob added here documents its default next to it.
 */
export interface CostConfig {
    /** Budget for one clock hour, dollars. Default 10. */
    hourlyBudget: number;
    /** Budget for one calendar day, dollars. Default 200. */
    dailyBudget: number;
    /** Budget for one calendar month, dollars. Default 5000. */
    monthlyBudget: number;
    /** Price of one worker for one hour, dollars. Default 2. */
    costPerWorkerHour: number;
    /** Utilization (0..1) of any budget at which an alert is raised. Default 0.8. */
    alertThreshold: number;
    /** IANA time zone for budget periods; default 'UTC'. */
    timezone: string;
}
export declare const DEFAULT_COST_CONFIG: Readonly<CostConfig>;
export interface ScalingConfig {
    /** Lower bound of the fleet. Default 1. */
    minWorkers: number;
    /** Upper bound of the fleet. Default 10. */
    maxWorkers: number;
    /** Queue depth the queue score treats as "on target". Default 10. */
    targetQueueDepth: number;
    /** Latency the latency score treats as "on target", seconds. Default 30. */
    targetLatencySeconds: number;
    /** Combined score above which the engine scales up. Default 0.7. */
    scaleUpThreshold: number;
    /** Combined score below which the engine scales down. Default 0.3. */
    scaleDownThreshold: number;
    /** Minutes after a scaling action during which no further action is taken. Default 5. */
    cooldownMinutes: number;
    /** Minutes after an action before another scale-up; default `cooldownMinutes`. */
    scaleUpCooldownMinutes?: number;
    /** Minutes after an action before another scale-down; default `cooldownMinutes`. */
    scaleDownCooldownMinutes?: number;
    /** Samples the predictor keeps for statistics (its seasonal memory does not depend on it). Default 1000. */
    historySize: number;
    /** Forecast horizon for the prediction score, minutes. Default 5. */
    predictionHorizonMinutes: number;
    /** Seconds from requesting a worker to it taking jobs; sizing looks this far ahead. Default 60. */
    workerStartupSeconds: number;
    /** Queue wait the sizing model aims for, seconds. Default 30 (the brief's target latency). */
    targetWaitSeconds: number;
    /** Share of validations that must start within `targetWaitSeconds` (Erlang C). Default 0.95. */
    waitPercentile: number;
    /** A backlog must drain within this many seconds; sizing adds the workers that takes. Default 120. */
    backlogDrainSeconds: number;
    /** Highest planned utilization of a worker (0..1], headroom for bursts. Default 0.9. */
    maxUtilization: number;
    /** Service time assumed until latency has been measured, seconds. Default 30. */
    defaultServiceSeconds: number;
    /** Panic when the model needs at least this multiple of the current fleet. Default 2 (Knative's 200 %). */
    panicThreshold: number;
    /** Scale-down recommendations are the max over this window, seconds (HPA's stabilization). Default 300. */
    scaleDownStabilizationSeconds: number;
    /** Largest share of the fleet removed in one scale-down (at least one worker). Default 0.5. */
    scaleDownMaxFraction: number;
    /** Cost and budget settings. */
    costConfig: CostConfig;
    /** IANA time zone for the predictor's calendar; default 'UTC'. */
    timezone: string;
}
export type ScalingConfigInput = Partial<Omit<ScalingConfig, 'costConfig'>> & {
    costConfig?: Partial<CostConfig>;
};
export declare const DEFAULT_SCALING_CONFIG: Readonly<Omit<ScalingConfig, 'costConfig'>>;
/** Thrown for any invalid setting; the message names the field and the value. */
export declare class ConfigError extends Error {
    constructor(message: string);
}
export declare function resolveCostConfig(input?: Partial<CostConfig>): CostConfig;
/** Fills defaults and validates; throws ConfigError naming the field and value. */
export declare function resolveScalingConfig(input?: ScalingConfigInput): ScalingConfig;
export declare function assertTimezone(field: string, tz: string): void;
