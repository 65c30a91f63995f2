/**
 * Public API: `import { … } from 'bountybot/autoscaling'`.
 * The v2.9.0 brief's classes in TypeScript idiom, on a pure, clock-injected core. This entry also
 * re-exports the config file loader (src/config/) and gives the metrics collector this process's
 * CPU and memory readings by default (src/adapters/process-resource-sampler.ts); the core itself
 * does no I/O.
 */
import { createProcessResourceSampler } from '../adapters/process-resource-sampler.js';
import {
  AutoScalingMetricsCollector as CoreMetricsCollector, type AutoScalingMetricsCollectorOptions,
} from './collector.js';

export * from './types.js';
export {
  BountybotError, UsageError, ConfigError, PermanentJobError, ExitCode, exitCodeOf, isPermanentJobError,
  type BountybotErrorOptions, type ExitCodeValue,
} from './errors.js';
export {
  DEFAULT_COST_CONFIG, DEFAULT_SCALING_CONFIG, MAX_FLEET, resolveCostConfig, resolveScalingConfig,
  costConfigSchema, scalingConfigSchema,
  type CostConfig, type CostConfigInput, type ScalingConfig, type ScalingConfigInput,
} from './scaling-config.js';
export { WorkloadPredictor, HistoryFormatError, type WorkloadPredictorOptions } from './predictor.js';
export { MEMBER_NAMES as FORECAST_MEMBER_NAMES, type MemberName as ForecastMemberName } from './forecast-members.js';
export { ScalingEngine, type EngineStatistics, type ScalingEngineDeps } from './engine.js';
export { LIMIT_CODES, type LimitCode, type LimitStage } from './limits.js';
export { CostOptimizer, UNLIMITED_WORKERS, type CostUpdate, type CostOptimizerDeps } from './cost.js';
export {
  type AutoScalingMetricsCollectorOptions, type CollectorMetrics, type CollectorStatistics, type ResourceSampler,
} from './collector.js';
export { createProcessResourceSampler };
export {
  loadAutoscalingConfig, parseAutoscalingConfig, MAX_CONFIG_BYTES, type AutoscalingConfig, type ParseOptions,
} from '../config/load.js';
export {
  autoscalingFileSchema, autoscalingSectionSchema, BUILTIN_DEMO_HANDLER, API_TOKEN_ENV, AUTOSCALING_RUNTIME_DEFAULTS,
  type AutoscalingSection,
} from '../config/schema.js';
export {
  planCapacity, erlangB, erlangC, probabilityWaitExceeds, workersForWait, type CapacityInput, type CapacityPlan,
} from './capacity.js';
export { SCORE_WEIGHTS, combineScores, rampScore } from './scores.js';
export { Calendar } from './calendar.js';

/** The brief's metrics collector; CPU and memory default to this process's readings. */
export class AutoScalingMetricsCollector extends CoreMetricsCollector {
  constructor(options: AutoScalingMetricsCollectorOptions = {}) {
    super({ ...options, resourceSampler: options.resourceSampler ?? createProcessResourceSampler() });
  }
}
