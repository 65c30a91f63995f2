/**
 * `config/autoscaling.yaml` loader: YAML (snake_case, as the v2.9.0 brief) → typed camelCase
 * `AutoscalingConfig`. Every error names the file, the key path as written in the YAML and the
 * value; unknown keys are rejected with a suggestion. All keys live under `autoscaling:`; every
 * key except that section is optional, defaults below.
 *
 * Runtime keys and defaults: evaluation_interval_seconds 15, database_path './data/bountybot.db'
 * (relative to the working directory), http_host '127.0.0.1', http_port 8088, api_token none
 * (the environment variable BOUNTYBOT_API_TOKEN, when set and non-empty, supplies or overrides it),
 * handler 'builtin:demo' (or a module path), metrics_window_minutes 5, enabled true.
 * Scaling knobs are ScalingConfig's in snake_case with its defaults; `timezone` applies to the
 * predictor and, unless cost_config.timezone is given, to the budget periods.
 * Budgets are not required to satisfy hourly ≤ daily ≤ monthly (each is enforced on its own);
 * such a config loads with a warning in `warnings`.
 */
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { z } from 'zod';
import { ConfigError, resolveScalingConfig, } from './scaling-config.js';
export const BUILTIN_DEMO_HANDLER = 'builtin:demo';
export const API_TOKEN_ENV = 'BOUNTYBOT_API_TOKEN';
export const AUTOSCALING_RUNTIME_DEFAULTS = Object.freeze({
    enabled: true,
    metricsWindowMinutes: 5,
    evaluationIntervalSeconds: 15,
    databasePath: './data/bountybot.db',
    httpHost: '127.0.0.1',
    httpPort: 8088,
    handler: BUILTIN_DEMO_HANDLER,
});
// ---- schema ----
const num = (rule, check) => z.number({ error: `must be ${rule}` }).refine(check, { error: `must be ${rule}` }).optional();
const str = (rule = 'a non-empty string') => z.string({ error: `must be ${rule}` }).refine((s) => s.trim().length > 0, { error: `must be ${rule}` }).optional();
const intAtLeast = (min) => num(`an integer >= ${min}`, (v) => Number.isInteger(v) && v >= min);
const positive = () => num('a number > 0', (v) => v > 0);
const nonNegative = () => num('a number >= 0', (v) => v >= 0);
const timezone = () => z.string({ error: 'must be an IANA time zone such as "UTC" or "Europe/Paris"' })
    .refine(isTimezone, { error: 'must be an IANA time zone such as "UTC" or "Europe/Paris"' })
    .optional();
const mapping = (shape) => z.strictObject(shape, {
    error: (iss) => (iss.input === undefined ? 'is missing (required)' : 'must be a mapping of keys'),
});
const costShape = {
    hourly_budget: positive(),
    daily_budget: positive(),
    monthly_budget: positive(),
    cost_per_worker_hour: nonNegative(),
    alert_threshold: num('a number in (0, 1]', (v) => v > 0 && v <= 1),
    timezone: timezone(),
};
const sectionShape = {
    enabled: z.boolean({ error: 'must be true or false' }).optional(),
    min_workers: intAtLeast(0),
    max_workers: intAtLeast(1),
    target_queue_depth: positive(),
    target_latency_seconds: positive(),
    scale_up_threshold: num('a number in [0, 1]', (v) => v >= 0 && v <= 1),
    scale_down_threshold: num('a number in [0, 1]', (v) => v >= 0 && v <= 1),
    cooldown_minutes: nonNegative(),
    scale_up_cooldown_minutes: nonNegative(),
    scale_down_cooldown_minutes: nonNegative(),
    history_size: intAtLeast(1),
    prediction_horizon_minutes: positive(),
    worker_startup_seconds: nonNegative(),
    target_wait_seconds: positive(),
    wait_percentile: num('a number in (0, 1)', (v) => v > 0 && v < 1),
    backlog_drain_seconds: positive(),
    max_utilization: num('a number in (0, 1]', (v) => v > 0 && v <= 1),
    default_service_seconds: positive(),
    panic_threshold: num('a number > 1', (v) => v > 1),
    scale_down_stabilization_seconds: nonNegative(),
    scale_down_max_fraction: num('a number in (0, 1]', (v) => v > 0 && v <= 1),
    timezone: timezone(),
    cost_config: mapping(costShape).optional(),
    metrics_window_minutes: positive(),
    evaluation_interval_seconds: positive(),
    database_path: str(),
    http_host: str(),
    http_port: num('an integer in [0, 65535]', (v) => Number.isInteger(v) && v >= 0 && v <= 65535),
    api_token: str(),
    handler: str('a non-empty module path or "builtin:demo"'),
};
/** The `autoscaling:` section (snake_case keys, all optional). */
export const autoscalingSectionSchema = mapping(sectionShape);
/** The whole file: exactly one top-level key, `autoscaling`. */
export const autoscalingFileSchema = z.strictObject({ autoscaling: autoscalingSectionSchema }, { error: 'must be a mapping with an "autoscaling:" section' });
const KEYS_AT = {
    '': ['autoscaling'],
    autoscaling: Object.keys(sectionShape),
    'autoscaling.cost_config': Object.keys(costShape),
};
// ---- conversion ----
/** The section's engine and cost keys as a `ScalingConfigInput` (camelCase, only keys present). */
export function toScalingConfigInput(section) {
    const s = section;
    const cost = s.cost_config ?? {};
    const costConfig = defined({
        hourlyBudget: cost.hourly_budget,
        dailyBudget: cost.daily_budget,
        monthlyBudget: cost.monthly_budget,
        costPerWorkerHour: cost.cost_per_worker_hour,
        alertThreshold: cost.alert_threshold,
        timezone: cost.timezone ?? s.timezone,
    });
    return {
        ...defined({
            minWorkers: s.min_workers,
            maxWorkers: s.max_workers,
            targetQueueDepth: s.target_queue_depth,
            targetLatencySeconds: s.target_latency_seconds,
            scaleUpThreshold: s.scale_up_threshold,
            scaleDownThreshold: s.scale_down_threshold,
            cooldownMinutes: s.cooldown_minutes,
            scaleUpCooldownMinutes: s.scale_up_cooldown_minutes,
            scaleDownCooldownMinutes: s.scale_down_cooldown_minutes,
            historySize: s.history_size,
            predictionHorizonMinutes: s.prediction_horizon_minutes,
            workerStartupSeconds: s.worker_startup_seconds,
            targetWaitSeconds: s.target_wait_seconds,
            waitPercentile: s.wait_percentile,
            backlogDrainSeconds: s.backlog_drain_seconds,
            maxUtilization: s.max_utilization,
            defaultServiceSeconds: s.default_service_seconds,
            panicThreshold: s.panic_threshold,
            scaleDownStabilizationSeconds: s.scale_down_stabilization_seconds,
            scaleDownMaxFraction: s.scale_down_max_fraction,
            timezone: s.timezone,
        }),
        costConfig,
    };
}
// ---- entry points ----
export function loadAutoscalingConfig(path, options = {}) {
    let text;
    try {
        text = readFileSync(path, 'utf8');
    }
    catch (err) {
        const code = err.code;
        if (code === 'ENOENT')
            throw new ConfigError(`config file not found: ${path}`);
        if (code === 'EISDIR')
            throw new ConfigError(`${path}: is a directory, not a config file`);
        throw new ConfigError(`${path}: cannot read config file (${err instanceof Error ? err.message : String(err)})`);
    }
    return parseAutoscalingConfig(text, path, options);
}
export function parseAutoscalingConfig(yamlText, source = '<inline>', options = {}) {
    const lineCounter = new YAML.LineCounter();
    const doc = YAML.parseDocument(yamlText, { lineCounter, prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length > 0) {
        throw new ConfigError(doc.errors.map((e) => {
            const pos = e.linePos?.[0];
            const where = pos ? `line ${pos.line}, column ${pos.col}` : 'unknown position';
            return `${source}: ${where}: invalid YAML: ${e.message.split(' at line ')[0]?.split('\n')[0] ?? e.message}`;
        }).join('\n'));
    }
    let raw;
    try {
        raw = doc.toJS({ maxAliasCount: 100 });
    }
    catch (err) {
        throw new ConfigError(`${source}: invalid YAML: ${err instanceof Error ? err.message : String(err)}`);
    }
    const lineOf = (path, key) => {
        const node = doc.getIn(path, true);
        let range;
        if (key !== undefined && YAML.isMap(node)) {
            const pair = node.items.find((it) => YAML.isScalar(it.key) && it.key.value === key);
            range = YAML.isScalar(pair?.key) ? pair.key.range ?? undefined : undefined;
        }
        else if (YAML.isNode(node)) {
            range = node.range ?? undefined;
        }
        return range?.[0] === undefined ? '' : ` (line ${lineCounter.linePos(range[0]).line})`;
    };
    const parsed = autoscalingFileSchema.safeParse(emptySectionsAsMappings(raw));
    if (!parsed.success) {
        const lines = [];
        for (const issue of parsed.error.issues) {
            const path = issue.path.map(String);
            if (issue.code === 'unrecognized_keys') {
                for (const key of issue.keys) {
                    lines.push(`${source}: unknown key ${dotted([...path, key])}${suggestion(key, KEYS_AT[path.join('.')] ?? [])}${lineOf(issue.path, key)}`);
                }
            }
            else {
                const value = valueAt(raw, path);
                const got = value === undefined ? '' : `; got ${show(value)}`;
                lines.push(`${source}: ${dotted(path)}: ${issue.message}${got}${lineOf(issue.path)}`);
            }
        }
        throw new ConfigError(lines.join('\n'));
    }
    const section = parsed.data.autoscaling;
    const input = toScalingConfigInput(section);
    crossFieldChecks(section, input, source, lineOf);
    let scaling;
    try {
        scaling = resolveScalingConfig(input);
    }
    catch (err) {
        if (err instanceof ConfigError)
            throw new ConfigError(`${source}: ${err.message}`);
        throw err;
    }
    const env = options.env ?? process.env;
    const envToken = env[API_TOKEN_ENV];
    const d = AUTOSCALING_RUNTIME_DEFAULTS;
    return {
        enabled: section.enabled ?? d.enabled,
        metricsWindowMinutes: section.metrics_window_minutes ?? d.metricsWindowMinutes,
        evaluationIntervalSeconds: section.evaluation_interval_seconds ?? d.evaluationIntervalSeconds,
        databasePath: section.database_path ?? d.databasePath,
        httpHost: section.http_host ?? d.httpHost,
        httpPort: section.http_port ?? d.httpPort,
        apiToken: envToken !== undefined && envToken.trim() !== '' ? envToken : section.api_token,
        handler: section.handler ?? d.handler,
        scaling,
        source,
        warnings: budgetWarnings(scaling, source),
    };
}
// ---- checks and messages ----
function crossFieldChecks(section, input, source, lineOf) {
    const errors = [];
    const min = input.minWorkers ?? 1;
    const max = input.maxWorkers ?? 10;
    if (min > max) {
        const key = section.min_workers !== undefined ? 'min_workers' : 'max_workers';
        const rule = key === 'min_workers' ? `<= autoscaling.max_workers (${max})` : `>= autoscaling.min_workers (${min})`;
        errors.push(`${source}: autoscaling.${key}: must be ${rule}; got ${key === 'min_workers' ? min : max}${lineOf(['autoscaling', key])}`);
    }
    const up = input.scaleUpThreshold ?? 0.7;
    const down = input.scaleDownThreshold ?? 0.3;
    if (down >= up) {
        const key = section.scale_down_threshold !== undefined ? 'scale_down_threshold' : 'scale_up_threshold';
        const rule = key === 'scale_down_threshold' ? `< autoscaling.scale_up_threshold (${up})` : `> autoscaling.scale_down_threshold (${down})`;
        errors.push(`${source}: autoscaling.${key}: must be ${rule}; got ${key === 'scale_down_threshold' ? down : up}${lineOf(['autoscaling', key])}`);
    }
    if (errors.length > 0)
        throw new ConfigError(errors.join('\n'));
}
function budgetWarnings(scaling, source) {
    const c = scaling.costConfig;
    const warnings = [];
    const key = (k) => `autoscaling.cost_config.${k}`;
    if (c.hourlyBudget > c.dailyBudget) {
        warnings.push(`${source}: ${key('hourly_budget')} (${c.hourlyBudget}) is above ${key('daily_budget')} (${c.dailyBudget}); the daily budget will bind first`);
    }
    if (c.dailyBudget > c.monthlyBudget) {
        warnings.push(`${source}: ${key('daily_budget')} (${c.dailyBudget}) is above ${key('monthly_budget')} (${c.monthlyBudget}); the monthly budget will bind first`);
    }
    const floorCost = scaling.minWorkers * c.costPerWorkerHour;
    if (floorCost > c.hourlyBudget) {
        warnings.push(`${source}: autoscaling.min_workers (${scaling.minWorkers}) cost $${floorCost.toFixed(2)}/hour, above ${key('hourly_budget')} (${c.hourlyBudget}); the budget cannot be kept`);
    }
    return warnings;
}
/** `autoscaling:` or `cost_config:` with every key commented out parses as null: treat it as empty. */
function emptySectionsAsMappings(raw) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
        return raw;
    const root = { ...raw };
    if (root.autoscaling === null)
        root.autoscaling = {};
    const section = root.autoscaling;
    if (section !== null && typeof section === 'object' && !Array.isArray(section)) {
        const copy = { ...section };
        if (copy.cost_config === null)
            copy.cost_config = {};
        root.autoscaling = copy;
    }
    return root;
}
function dotted(path) {
    return path.length === 0 ? '(document root)' : path.join('.');
}
function valueAt(root, path) {
    let v = root;
    for (const k of path) {
        if (v === null || typeof v !== 'object')
            return undefined;
        v = v[k];
    }
    return v;
}
function show(v) {
    if (v === undefined)
        return 'nothing';
    if (typeof v === 'number' || typeof v === 'boolean' || v === null)
        return String(v);
    const s = JSON.stringify(v) ?? String(v);
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
/** " — did you mean X?" for the closest allowed key, or the list of allowed keys. */
export function suggestion(key, allowed) {
    const norm = (s) => s.toLowerCase().replace(/[_\-\s]/g, '');
    let best;
    let bestDistance = Infinity;
    for (const candidate of allowed) {
        const d = norm(candidate) === norm(key) ? 0 : levenshtein(key.toLowerCase(), candidate);
        if (d < bestDistance) {
            best = candidate;
            bestDistance = d;
        }
    }
    if (best !== undefined && bestDistance <= Math.max(2, Math.floor(key.length / 3)))
        return ` — did you mean ${best}?`;
    return allowed.length > 0 ? ` — allowed keys: ${allowed.join(', ')}` : '';
}
function levenshtein(a, b) {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const cur = [i];
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
        }
        prev = cur;
    }
    return prev[b.length] ?? 0;
}
function isTimezone(tz) {
    try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
    }
    catch {
        return false;
    }
}
function defined(o) {
    const out = {};
    for (const [k, v] of Object.entries(o))
        if (v !== undefined)
            out[k] = v;
    return out;
}
//# sourceMappingURL=config.js.map