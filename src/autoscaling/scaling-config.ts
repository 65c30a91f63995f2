/**
 * Engine and cost settings: each declared once, in the schemas below, with its default, its
 * bounds and its description. The TypeScript types come from the schemas; the engine's
 * constructor, the CostOptimizer and the YAML loader (src/config/) all parse with them.
 * The brief's keys keep the brief's defaults. Every count and duration has a sane maximum, so no
 * setting can make a decision slow or a buffer unbounded.
 */
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { count, nonNegative, positive, ranged, ref, section, timezone } from './setting-fields.js';
import { formatIssues, parseSettings, showKey, showValue, type SettingIssue } from './settings.js';

/** The calendar of the predictor and of budget periods unless set. */
export const DEFAULT_TIMEZONE = 'UTC';
/** Largest fleet any setting may ask for. */
export const MAX_FLEET = 10_000;
const DAY_SECONDS = 86_400;
const DAY_MINUTES = 1_440;
/** Dollars: budgets above this are "unlimited" for any real fleet. */
const MAX_DOLLARS = 1e12;
const fraction = (opts: { minExclusive?: boolean; maxExclusive?: boolean } = {}) => ranged({ min: 0, max: 1, ...opts });

const costShape = {
  hourlyBudget: positive(MAX_DOLLARS).default(10).describe('Budget for one clock hour, dollars'),
  dailyBudget: positive(MAX_DOLLARS).default(200).describe('Budget for one calendar day, dollars'),
  monthlyBudget: positive(MAX_DOLLARS).default(5000).describe('Budget for one calendar month, dollars'),
  costPerWorkerHour: nonNegative(1e6).default(2).describe('Price of one worker for one hour, dollars'),
  alertThreshold: fraction({ minExclusive: true }).default(0.8).describe('Share of any budget spent at which an alert is raised'),
  timezone: timezone().optional().describe('IANA time zone of the budget periods'),
};

/** Cost settings on their own (the CostOptimizer's constructor): the time zone defaults to UTC. */
export const costConfigSchema = section(costShape).transform((c) => ({ ...c, timezone: c.timezone ?? DEFAULT_TIMEZONE }));

/** The engine's keys (camelCase; snake_case input is mapped onto them). */
export const scalingShape = {
  minWorkers: count(0, MAX_FLEET).default(1).describe('Lower bound of the fleet'),
  maxWorkers: count(1, MAX_FLEET).default(10).describe('Upper bound of the fleet'),
  targetQueueDepth: positive(1e9).default(10).describe('Queue depth the queue score treats as on target'),
  targetLatencySeconds: positive(DAY_SECONDS).default(30).describe('Latency the latency score treats as on target, seconds'),
  scaleUpThreshold: fraction().default(0.7).describe('Combined score above which the engine scales up'),
  scaleDownThreshold: fraction().default(0.3).describe('Combined score below which the engine scales down'),
  cooldownMinutes: nonNegative(DAY_MINUTES).default(5).describe('Minutes after a scaling action during which no further action is taken'),
  scaleUpCooldownMinutes: nonNegative(DAY_MINUTES).optional().describe('Minutes after an action before another scale-up'),
  scaleDownCooldownMinutes: nonNegative(DAY_MINUTES).optional().describe('Minutes after an action before another scale-down'),
  historySize: count(1, 1_000_000).default(1000).describe('Samples the predictor keeps for statistics and export (not its seasonal memory)'),
  predictionHorizonMinutes: positive(DAY_MINUTES).default(5).describe('Forecast horizon of the prediction score, minutes'),
  workerStartupSeconds: nonNegative(DAY_SECONDS).default(60).describe('Seconds from requesting a worker to it taking jobs; sizing looks this far ahead'),
  targetWaitSeconds: positive(DAY_SECONDS).default(30).describe('Queue wait the sizing model aims for, seconds'),
  waitPercentile: fraction({ minExclusive: true, maxExclusive: true }).default(0.95).describe('Share of validations that must start within the target wait (Erlang C)'),
  backlogDrainSeconds: positive(DAY_SECONDS).default(120).describe('A backlog must drain within this many seconds'),
  maxUtilization: fraction({ minExclusive: true }).default(0.9).describe('Highest planned busy share of a worker, headroom for bursts'),
  defaultServiceSeconds: positive(DAY_SECONDS).default(30).describe('Service time assumed until latency has been measured, seconds'),
  panicThreshold: ranged({ min: 1, max: 100, minExclusive: true }).default(2).describe('Panic when the model needs at least this multiple of the fleet'),
  // 60 s, not the HPA's 300 s: the cooldown already spaces actions and recommendations come from a
  // smoothed forecast; on the shared traces 300 s cost 3–4 % more at the same SLO (BENCHMARKS.md).
  scaleDownStabilizationSeconds: nonNegative(DAY_SECONDS).default(60).describe('Scale-downs go to the highest recommendation of this window, seconds'),
  scaleDownMaxFraction: fraction({ minExclusive: true }).default(0.5).describe('Largest share of the fleet removed in one scale-down (at least one worker)'),
  timezone: timezone().default(DEFAULT_TIMEZONE).describe('IANA time zone of the predictor calendar, and of budget periods unless the cost settings have their own'),
  costConfig: section(costShape).prefault({}).describe('Cost and budget settings'),
};

const scalingObject = section(scalingShape);
/** The engine's keys as parsed, before finishScaling. */
export type ScalingFields = z.output<typeof scalingObject>;

/** Defaults, for the cross-field checks' choice of which key to blame (never repeated by hand). */
const FIELD_DEFAULTS: ScalingFields = scalingObject.parse({});

/**
 * Cross-field rules. The key blamed is the one set away from its default, so the message points at
 * what the user wrote. Exported so that sections embedding these keys (src/config/) apply them too.
 */
export function refineScaling(c: ScalingFields, ctx: z.RefinementCtx): void {
  if (c.minWorkers > c.maxWorkers) {
    const blameMin = c.minWorkers !== FIELD_DEFAULTS.minWorkers || c.maxWorkers === FIELD_DEFAULTS.maxWorkers;
    ctx.addIssue({
      code: 'custom', path: [blameMin ? 'minWorkers' : 'maxWorkers'],
      message: blameMin ? `must be <= ${ref('maxWorkers')} (${c.maxWorkers})` : `must be >= ${ref('minWorkers')} (${c.minWorkers})`,
    });
  }
  if (c.scaleDownThreshold >= c.scaleUpThreshold) {
    const blameDown = c.scaleDownThreshold !== FIELD_DEFAULTS.scaleDownThreshold || c.scaleUpThreshold === FIELD_DEFAULTS.scaleUpThreshold;
    ctx.addIssue({
      code: 'custom', path: [blameDown ? 'scaleDownThreshold' : 'scaleUpThreshold'],
      message: blameDown
        ? `must be < ${ref('scaleUpThreshold')} (${c.scaleUpThreshold})`
        : `must be > ${ref('scaleDownThreshold')} (${c.scaleDownThreshold})`,
    });
  }
}

/** The finished settings: budget periods follow the top-level time zone unless given their own. */
export function finishScaling<T extends ScalingFields>(c: T): Omit<T, 'costConfig'> & { costConfig: CostConfig } {
  return { ...c, costConfig: { ...c.costConfig, timezone: c.costConfig.timezone ?? c.timezone } };
}

export const scalingConfigSchema = scalingObject.superRefine(refineScaling).transform(finishScaling);

export type CostConfig = z.output<typeof costConfigSchema>;
export type ScalingConfig = Omit<ScalingFields, 'costConfig'> & { costConfig: CostConfig };
/** What the engine's constructor takes: any subset of the keys, camelCase or the brief's snake_case. */
export type ScalingConfigInput = z.input<typeof scalingConfigSchema>;
export type CostConfigInput = z.input<typeof costConfigSchema>;

/** `field: must be …; got value` for the engine's and the optimizer's constructors. */
function describeIssue(issue: SettingIssue, hint: string): string {
  const where = issue.path.map(showKey).join('.');
  if (issue.kind === 'unknown_key') return `unknown setting ${where}${hint}`;
  return `${where}: ${issue.message}${issue.hasValue ? `; got ${showValue(issue.value)}` : ''}`;
}

function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  if (input !== undefined && (typeof input !== 'object' || input === null || Array.isArray(input))) {
    throw new ConfigError(`${what} must be an object; got ${Array.isArray(input) ? 'an array' : showValue(input)}`);
  }
  const r = parseSettings(schema, input ?? {}, { style: 'camel+snake' });
  if (!r.ok) throw new ConfigError(formatIssues(r.issues, describeIssue));
  return r.value;
}

/** Fills defaults and validates cost settings; throws ConfigError naming the field and value. */
export function resolveCostConfig(input: CostConfigInput | Record<string, unknown> = {}): CostConfig {
  return parseOrThrow(costConfigSchema, input, 'cost config');
}

/** Fills defaults and validates; throws ConfigError naming each bad field and its value. */
export function resolveScalingConfig(input: ScalingConfigInput | Record<string, unknown> = {}): ScalingConfig {
  return parseOrThrow(scalingConfigSchema, input, 'scaling config');
}

export const DEFAULT_COST_CONFIG: Readonly<CostConfig> = Object.freeze(resolveCostConfig({}));
const { costConfig: _defaultCost, ...defaultScaling } = resolveScalingConfig({});
export const DEFAULT_SCALING_CONFIG: Readonly<Omit<ScalingConfig, 'costConfig'>> = Object.freeze(defaultScaling);

/** Legal but suspicious settings, with `{{ref}}` names (see resolveSettingRefs). */
export function scalingWarnings(c: ScalingConfig): string[] {
  const k = c.costConfig;
  const warnings: string[] = [];
  if (k.hourlyBudget > k.dailyBudget) {
    warnings.push(`${ref('costConfig.hourlyBudget')} (${k.hourlyBudget}) is above ${ref('costConfig.dailyBudget')} (${k.dailyBudget}); the daily budget will bind first`);
  }
  if (k.dailyBudget > k.monthlyBudget) {
    warnings.push(`${ref('costConfig.dailyBudget')} (${k.dailyBudget}) is above ${ref('costConfig.monthlyBudget')} (${k.monthlyBudget}); the monthly budget will bind first`);
  }
  const floorCost = c.minWorkers * k.costPerWorkerHour;
  if (floorCost > k.hourlyBudget) {
    warnings.push(`${ref('minWorkers')} (${c.minWorkers}) cost $${floorCost.toFixed(2)}/hour, above ${ref('costConfig.hourlyBudget')} (${k.hourlyBudget}); the budget cannot be kept`);
  }
  return warnings;
}
