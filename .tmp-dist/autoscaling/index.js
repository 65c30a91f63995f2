/**
 * Public API: `import { … } from 'bountybot/autoscaling'`.
 * The v2.9.0 brief's classes in TypeScript idiom, on a pure, clock-injected core.
 */
export * from './types.js';
export { DEFAULT_COST_CONFIG, DEFAULT_SCALING_CONFIG, ConfigError, resolveCostConfig, resolveScalingConfig, } from './scaling-config.js';
export { WorkloadPredictor, HistoryFormatError } from './predictor.js';
export { ScalingEngine } from './engine.js';
export { CostOptimizer, UNLIMITED_WORKERS } from './cost.js';
export { AutoScalingMetricsCollector, createProcessResourceSampler, } from './collector.js';
export { loadAutoscalingConfig, parseAutoscalingConfig, autoscalingFileSchema, autoscalingSectionSchema, toScalingConfigInput, BUILTIN_DEMO_HANDLER, API_TOKEN_ENV, AUTOSCALING_RUNTIME_DEFAULTS, } from './config.js';
export { planCapacity, erlangB, erlangC, probabilityWaitExceeds, workersForWait, } from './capacity.js';
export { SCORE_WEIGHTS, combineScores, rampScore } from './scores.js';
export { Calendar } from './calendar.js';
//# sourceMappingURL=index.js.map