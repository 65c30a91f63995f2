/**
 * Public API: `import { … } from 'bountybot/autoscaling'`.
 * The v2.9.0 brief's classes in TypeScript idiom, on a pure, clock-injected core.
 */
export * from './types.js';
export {
  BountybotError, UsageError, PermanentJobError, ExitCode, exitCodeOf, isPermanentJobError,
  type BountybotErrorOptions, type ExitCodeValue,
} from './errors.js';
export {
  DEFAULT_COST_CONFIG, DEFAULT_SCALING_CONFIG, ConfigError, resolveCostConfig, resolveScalingConfig,
  type CostConfig, type ScalingConfig, type ScalingConfigInput,
} from './scaling-config.js';
export { WorkloadPredictor, HistoryFormatError, type WorkloadPredictorOptions } from './predictor.js';
export { MEMBER_NAMES as FORECAST_MEMBER_NAMES, type MemberName as ForecastMemberName } from './forecast-members.js';
export { ScalingEngine, type EngineStatistics, type ScalingEngineDeps } from './engine.js';
export { CostOptimizer, UNLIMITED_WORKERS, type CostUpdate, type CostOptimizerDeps } from './cost.js';
export {
  AutoScalingMetricsCollector, createProcessResourceSampler, type CollectorMetrics, type CollectorStatistics,
  type ResourceSampler,
} from './collector.js';
export {
  loadAutoscalingConfig, parseAutoscalingConfig, autoscalingFileSchema, autoscalingSectionSchema, toScalingConfigInput,
  BUILTIN_DEMO_HANDLER, API_TOKEN_ENV, AUTOSCALING_RUNTIME_DEFAULTS,
  type AutoscalingConfig, type ParseOptions, type AutoscalingSection,
} from './config.js';
export {
  planCapacity, erlangB, erlangC, probabilityWaitExceeds, workersForWait, type CapacityInput, type CapacityPlan,
} from './capacity.js';
export { SCORE_WEIGHTS, combineScores, rampScore } from './scores.js';
export { Calendar } from './calendar.js';
