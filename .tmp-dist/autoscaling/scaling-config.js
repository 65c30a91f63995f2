/**
 * Engine and cost settings with their defaults. The brief's keys keep the brief's defaults;
 * every knob added here documents its default next to it.
 */
export const DEFAULT_COST_CONFIG = Object.freeze({
    hourlyBudget: 10,
    dailyBudget: 200,
    monthlyBudget: 5000,
    costPerWorkerHour: 2,
    alertThreshold: 0.8,
    timezone: 'UTC',
});
export const DEFAULT_SCALING_CONFIG = Object.freeze({
    minWorkers: 1,
    maxWorkers: 10,
    targetQueueDepth: 10,
    targetLatencySeconds: 30,
    scaleUpThreshold: 0.7,
    scaleDownThreshold: 0.3,
    cooldownMinutes: 5,
    historySize: 1000,
    predictionHorizonMinutes: 5,
    workerStartupSeconds: 60,
    targetWaitSeconds: 30,
    waitPercentile: 0.95,
    backlogDrainSeconds: 120,
    maxUtilization: 0.9,
    defaultServiceSeconds: 30,
    panicThreshold: 2,
    scaleDownStabilizationSeconds: 300,
    scaleDownMaxFraction: 0.5,
    timezone: 'UTC',
});
/** Thrown for any invalid setting; the message names the field and the value. */
export class ConfigError extends Error {
    constructor(message) {
        super(message);
        this.name = 'ConfigError';
    }
}
function requireFinite(field, value, check, rule) {
    if (typeof value !== 'number' || !Number.isFinite(value) || !check(value)) {
        throw new ConfigError(`${field} must be ${rule}; got ${String(value)}`);
    }
}
export function resolveCostConfig(input = {}) {
    const c = { ...DEFAULT_COST_CONFIG, ...stripUndefined(input) };
    for (const key of ['hourlyBudget', 'dailyBudget', 'monthlyBudget']) {
        requireFinite(`costConfig.${key}`, c[key], (v) => v > 0, 'a number > 0');
    }
    requireFinite('costConfig.costPerWorkerHour', c.costPerWorkerHour, (v) => v >= 0, 'a number >= 0');
    requireFinite('costConfig.alertThreshold', c.alertThreshold, (v) => v > 0 && v <= 1, 'in (0, 1]');
    assertTimezone('costConfig.timezone', c.timezone);
    return c;
}
/** Fills defaults and validates; throws ConfigError naming the field and value. */
export function resolveScalingConfig(input = {}) {
    const { costConfig, ...rest } = input;
    const c = {
        ...DEFAULT_SCALING_CONFIG,
        ...stripUndefined(rest),
        costConfig: resolveCostConfig(costConfig),
    };
    requireFinite('minWorkers', c.minWorkers, (v) => Number.isInteger(v) && v >= 0, 'an integer >= 0');
    requireFinite('maxWorkers', c.maxWorkers, (v) => Number.isInteger(v) && v >= 1, 'an integer >= 1');
    if (c.minWorkers > c.maxWorkers) {
        throw new ConfigError(`minWorkers (${c.minWorkers}) must be <= maxWorkers (${c.maxWorkers})`);
    }
    const positive = [
        'targetQueueDepth', 'targetLatencySeconds', 'historySize', 'predictionHorizonMinutes',
        'targetWaitSeconds', 'backlogDrainSeconds', 'defaultServiceSeconds',
    ];
    for (const key of positive)
        requireFinite(key, c[key], (v) => v > 0, 'a number > 0');
    requireFinite('historySize', c.historySize, Number.isInteger, 'an integer');
    for (const key of ['scaleUpThreshold', 'scaleDownThreshold']) {
        requireFinite(key, c[key], (v) => v >= 0 && v <= 1, 'in [0, 1]');
    }
    if (c.scaleDownThreshold >= c.scaleUpThreshold) {
        throw new ConfigError(`scaleDownThreshold (${c.scaleDownThreshold}) must be < scaleUpThreshold (${c.scaleUpThreshold})`);
    }
    const nonNegative = ['cooldownMinutes', 'workerStartupSeconds', 'scaleDownStabilizationSeconds'];
    for (const key of nonNegative)
        requireFinite(key, c[key], (v) => v >= 0, 'a number >= 0');
    for (const key of ['scaleUpCooldownMinutes', 'scaleDownCooldownMinutes']) {
        const v = c[key];
        if (v !== undefined)
            requireFinite(key, v, (x) => x >= 0, 'a number >= 0');
    }
    requireFinite('waitPercentile', c.waitPercentile, (v) => v > 0 && v < 1, 'in (0, 1)');
    requireFinite('maxUtilization', c.maxUtilization, (v) => v > 0 && v <= 1, 'in (0, 1]');
    requireFinite('panicThreshold', c.panicThreshold, (v) => v > 1, 'a number > 1');
    requireFinite('scaleDownMaxFraction', c.scaleDownMaxFraction, (v) => v > 0 && v <= 1, 'in (0, 1]');
    assertTimezone('timezone', c.timezone);
    return c;
}
export function assertTimezone(field, tz) {
    try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
    }
    catch {
        throw new ConfigError(`${field} must be an IANA time zone such as "UTC" or "Europe/Paris"; got ${JSON.stringify(tz)}`);
    }
}
function stripUndefined(o) {
    const out = {};
    for (const [k, v] of Object.entries(o)) {
        if (v !== undefined)
            out[k] = v;
    }
    return out;
}
//# sourceMappingURL=scaling-config.js.map