import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAutoscalingConfig, parseAutoscalingConfig } from '../src/config/load.js';
import { API_TOKEN_ENV, BUILTIN_DEMO_HANDLER, autoscalingFileSchema } from '../src/config/schema.js';
import { DEFAULT_SCALING_CONFIG } from '../src/autoscaling/scaling-config.js';
import { configErrorOf } from './helpers/config-error.js';

const SHIPPED = 'config/autoscaling.yaml';
const noEnv = { env: {} };

describe('the shipped config/autoscaling.yaml', () => {
  it('loads and equals the brief', () => {
    const c = loadAutoscalingConfig(SHIPPED, noEnv);
    expect(c.enabled).toBe(true);
    expect(c.metricsWindowMinutes).toBe(5);
    expect(c.scaling).toMatchObject({
      minWorkers: 1, maxWorkers: 10, targetQueueDepth: 10, targetLatencySeconds: 30,
      scaleUpThreshold: 0.7, scaleDownThreshold: 0.3, cooldownMinutes: 5, historySize: 1000, predictionHorizonMinutes: 5,
    });
    expect(c.scaling.costConfig).toEqual({
      hourlyBudget: 10, dailyBudget: 200, monthlyBudget: 5000, costPerWorkerHour: 2, alertThreshold: 0.8, timezone: 'UTC',
    });
    expect(c.warnings).toEqual([]);
    expect(c.source).toBe(SHIPPED);
  });
  it('fills the runtime defaults', () => {
    const c = loadAutoscalingConfig(SHIPPED, noEnv);
    expect(c).toMatchObject({
      evaluationIntervalSeconds: 15, databasePath: './data/bountybot.db', httpHost: '127.0.0.1', httpPort: 8088,
      apiToken: undefined, handler: BUILTIN_DEMO_HANDLER,
    });
    expect(c.scaling.workerStartupSeconds).toBe(DEFAULT_SCALING_CONFIG.workerStartupSeconds);
    expect(c.scaling.timezone).toBe('UTC');
  });
  it('is the brief block verbatim, comments included', () => {
    const text = readFileSync(SHIPPED, 'utf8');
    expect(text.startsWith('# config/autoscaling.yaml\nautoscaling:\n  enabled: true\n')).toBe(true);
    expect(text).toContain('  scale_up_threshold: 0.7    # Scale up when score > 0.7\n');
    expect(text).toContain('  # Cost optimization\n  cost_config:\n    hourly_budget: 10.0\n');
    expect(text.endsWith('  metrics_window_minutes: 5\n')).toBe(true);
  });
});

describe('every key, snake_case → camelCase', () => {
  const full = `
autoscaling:
  enabled: false
  min_workers: 2
  max_workers: 40
  target_queue_depth: 20
  target_latency_seconds: 45
  scale_up_threshold: 0.8
  scale_down_threshold: 0.2
  cooldown_minutes: 3
  scale_up_cooldown_minutes: 1
  scale_down_cooldown_minutes: 10
  history_size: 5000
  prediction_horizon_minutes: 10
  worker_startup_seconds: 90
  target_wait_seconds: 20
  wait_percentile: 0.9
  backlog_drain_seconds: 300
  max_utilization: 0.8
  default_service_seconds: 40
  panic_threshold: 3
  scale_down_stabilization_seconds: 600
  scale_down_max_fraction: 0.25
  timezone: Europe/Paris
  cost_config:
    hourly_budget: 50
    daily_budget: 1000
    monthly_budget: 20000
    cost_per_worker_hour: 1.5
    alert_threshold: 0.9
  metrics_window_minutes: 10
  evaluation_interval_seconds: 30
  database_path: /var/lib/bountybot/state.db
  http_host: 0.0.0.0
  http_port: 9090
  api_token: a-long-enough-token-from-file
  handler: ./handlers/validate.js
`;
  it('parses them all', () => {
    const c = parseAutoscalingConfig(full, 'full.yaml', noEnv);
    expect(c).toMatchObject({
      enabled: false, metricsWindowMinutes: 10, evaluationIntervalSeconds: 30, databasePath: '/var/lib/bountybot/state.db',
      httpHost: '0.0.0.0', httpPort: 9090, apiToken: 'a-long-enough-token-from-file', handler: './handlers/validate.js', source: 'full.yaml',
    });
    expect(c.scaling).toMatchObject({
      minWorkers: 2, maxWorkers: 40, targetQueueDepth: 20, targetLatencySeconds: 45, scaleUpThreshold: 0.8,
      scaleDownThreshold: 0.2, cooldownMinutes: 3, scaleUpCooldownMinutes: 1, scaleDownCooldownMinutes: 10,
      historySize: 5000, predictionHorizonMinutes: 10, workerStartupSeconds: 90, targetWaitSeconds: 20,
      waitPercentile: 0.9, backlogDrainSeconds: 300, maxUtilization: 0.8, defaultServiceSeconds: 40,
      panicThreshold: 3, scaleDownStabilizationSeconds: 600, scaleDownMaxFraction: 0.25, timezone: 'Europe/Paris',
    });
    // The top-level timezone also sets the budget periods unless cost_config has its own.
    expect(c.scaling.costConfig).toEqual({
      hourlyBudget: 50, dailyBudget: 1000, monthlyBudget: 20000, costPerWorkerHour: 1.5, alertThreshold: 0.9, timezone: 'Europe/Paris',
    });
  });
  it('the file schema splits runtime keys from the engine\'s (camelCase, defaults filled)', () => {
    const parsed = autoscalingFileSchema.parse({ autoscaling: { maxWorkers: 4, costConfig: { timezone: 'Asia/Tokyo' } } });
    expect(parsed.autoscaling.scaling).toMatchObject({ maxWorkers: 4, minWorkers: 1, timezone: 'UTC', costConfig: { timezone: 'Asia/Tokyo', hourlyBudget: 10 } });
    expect(parsed.autoscaling).toMatchObject({ httpPort: 8088, enabled: true });
    expect(Object.keys(parsed.autoscaling.scaling)).not.toContain('httpPort');
  });
  it('an empty section means all defaults', () => {
    const c = parseAutoscalingConfig('autoscaling:\n  # nothing yet\n', 'empty.yaml', noEnv);
    expect(c.scaling.maxWorkers).toBe(10);
    expect(c.enabled).toBe(true);
    const nested = parseAutoscalingConfig('autoscaling:\n  max_workers: 4\n  cost_config:\n    # hourly_budget: 10\n', 'empty.yaml', noEnv);
    expect(nested.scaling.costConfig.hourlyBudget).toBe(10);
  });
});

describe('bad values name the file, the YAML key path and the value', () => {
  const cases: Array<{ name: string; yaml: string; message: string }> = [
    { name: 'negative max_workers', yaml: 'max_workers: -3', message: 'x.yaml: autoscaling.max_workers: must be an integer >= 1; got -3' },
    { name: 'fractional min_workers', yaml: 'min_workers: 1.5', message: 'autoscaling.min_workers: must be an integer in [0, 10000]; got 1.5' },
    { name: 'string for a number', yaml: 'max_workers: ten', message: 'autoscaling.max_workers: must be an integer in [1, 10000]; got "ten"' },
    { name: 'infinite', yaml: 'target_queue_depth: .inf', message: 'autoscaling.target_queue_depth: must be a number <= 1e9; got Infinity' },
    { name: 'NaN', yaml: 'target_latency_seconds: .nan', message: 'autoscaling.target_latency_seconds: must be a number in (0, 86400]; got NaN' },
    { name: 'a fleet beyond any sane maximum', yaml: 'max_workers: 99999999999999999999', message: 'autoscaling.max_workers: must be an integer <= 10000; got 100000000000000000000' },
    { name: 'a history beyond its maximum', yaml: 'history_size: 2000000', message: 'autoscaling.history_size: must be an integer <= 1e6; got 2000000' },
    { name: 'a cooldown longer than a day', yaml: 'cooldown_minutes: 1441', message: 'autoscaling.cooldown_minutes: must be a number <= 1440; got 1441' },
    { name: 'a budget beyond 1e12', yaml: 'cost_config:\n    monthly_budget: 1e13', message: 'autoscaling.cost_config.monthly_budget: must be a number <= 1e12; got 10000000000000' },
    { name: 'empty value', yaml: 'cooldown_minutes:', message: 'autoscaling.cooldown_minutes: must be a number in [0, 1440]; got null' },
    { name: 'threshold above 1', yaml: 'scale_up_threshold: 1.5', message: 'autoscaling.scale_up_threshold: must be a number <= 1; got 1.5' },
    { name: 'zero budget', yaml: 'cost_config:\n    hourly_budget: 0', message: 'autoscaling.cost_config.hourly_budget: must be a number > 0; got 0' },
    { name: 'negative daily budget', yaml: 'cost_config:\n    daily_budget: -200', message: 'autoscaling.cost_config.daily_budget: must be a number > 0; got -200' },
    { name: 'alert threshold 0', yaml: 'cost_config:\n    alert_threshold: 0', message: 'autoscaling.cost_config.alert_threshold: must be a number > 0; got 0' },
    { name: 'alert threshold 1.2', yaml: 'cost_config:\n    alert_threshold: 1.2', message: 'autoscaling.cost_config.alert_threshold: must be a number <= 1; got 1.2' },
    { name: 'yes is not a boolean in YAML 1.2', yaml: 'enabled: yes', message: 'autoscaling.enabled: must be true or false; got "yes"' },
    { name: 'bad time zone', yaml: 'timezone: Mars/Olympus', message: 'autoscaling.timezone: must be an IANA time zone such as "UTC" or "Europe/Paris"; got "Mars/Olympus"' },
    { name: 'port out of range', yaml: 'http_port: 70000', message: 'autoscaling.http_port: must be an integer <= 65535; got 70000' },
    { name: 'empty token', yaml: 'api_token: ""', message: 'autoscaling.api_token: must be a non-empty string; got ""' },
    { name: 'cost_config not a mapping', yaml: 'cost_config: 10', message: 'autoscaling.cost_config: must be a mapping of keys; got 10' },
    { name: 'panic threshold 1', yaml: 'panic_threshold: 1', message: 'autoscaling.panic_threshold: must be a number > 1; got 1' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const message = configErrorOf(() => parseAutoscalingConfig(`autoscaling:\n  ${c.yaml}\n`, 'x.yaml', noEnv));
      expect(message).toContain(c.message);
      expect(message.startsWith('x.yaml: ')).toBe(true);
      expect(message).toContain(`(line ${c.yaml.split('\n').length + 1})`);
    });
  }
  it('reports every bad key at once', () => {
    const message = configErrorOf(() => parseAutoscalingConfig('autoscaling:\n  max_workers: 0\n  min_workers: -1\n', 'x.yaml', noEnv));
    expect(message.split('\n')).toHaveLength(2);
  });
  it('a document without the section', () => {
    expect(configErrorOf(() => parseAutoscalingConfig('', 'x.yaml', noEnv)))
      .toBe('x.yaml: (document root): must be a mapping with an "autoscaling:" section; got null');
    expect(configErrorOf(() => parseAutoscalingConfig('other: 1\n', 'x.yaml', noEnv)))
      .toContain('x.yaml: autoscaling: is missing (required)');
  });
});

describe('unknown keys are rejected with a suggestion', () => {
  const cases: Array<{ name: string; yaml: string; message: string }> = [
    { name: 'typo in cost_config', yaml: 'autoscaling:\n  cost_config:\n    hourly_budgte: 10\n', message: 'x.yaml: unknown key autoscaling.cost_config.hourly_budgte — did you mean hourly_budget? (line 3)' },
    { name: 'camelCase key', yaml: 'autoscaling:\n  maxWorkers: 10\n', message: 'unknown key autoscaling.maxWorkers — did you mean max_workers?' },
    { name: 'typo at the top', yaml: 'autoscalling:\n  max_workers: 10\n', message: 'unknown key autoscalling — did you mean autoscaling?' },
    { name: 'nothing close: list the keys', yaml: 'autoscaling:\n  cost_config:\n    currency: EUR\n', message: 'unknown key autoscaling.cost_config.currency — allowed keys: hourly_budget, daily_budget' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(configErrorOf(() => parseAutoscalingConfig(c.yaml, 'x.yaml', noEnv))).toContain(c.message);
    });
  }
});

describe('cross-field checks', () => {
  const cases: Array<{ name: string; yaml: string; message: string }> = [
    { name: 'min above max', yaml: 'min_workers: 5\n  max_workers: 3', message: 'x.yaml: autoscaling.min_workers: must be <= autoscaling.max_workers (3); got 5 (line 2)' },
    { name: 'min above the default max', yaml: 'min_workers: 12', message: 'autoscaling.min_workers: must be <= autoscaling.max_workers (10); got 12' },
    { name: 'max below the default min', yaml: 'max_workers: 1\n  min_workers: 1', message: '' },
    { name: 'down threshold not below up', yaml: 'scale_down_threshold: 0.7', message: 'autoscaling.scale_down_threshold: must be < autoscaling.scale_up_threshold (0.7); got 0.7' },
    { name: 'up threshold lowered under the default down', yaml: 'scale_up_threshold: 0.2', message: 'autoscaling.scale_up_threshold: must be > autoscaling.scale_down_threshold (0.3); got 0.2' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const parse = () => parseAutoscalingConfig(`autoscaling:\n  ${c.yaml}\n`, 'x.yaml', noEnv);
      if (c.message === '') expect(parse().scaling.maxWorkers).toBe(1);
      else expect(configErrorOf(parse)).toContain(c.message);
    });
  }
  it('budgets out of order load with a warning', () => {
    const c = parseAutoscalingConfig('autoscaling:\n  cost_config:\n    hourly_budget: 300\n    monthly_budget: 100\n', 'x.yaml', noEnv);
    expect(c.warnings).toEqual([
      'x.yaml: autoscaling.cost_config.hourly_budget (300) is above autoscaling.cost_config.daily_budget (200); the daily budget will bind first',
      'x.yaml: autoscaling.cost_config.daily_budget (200) is above autoscaling.cost_config.monthly_budget (100); the monthly budget will bind first',
    ]);
  });
  it('a minimum fleet above the hourly budget warns', () => {
    const c = parseAutoscalingConfig('autoscaling:\n  min_workers: 6\n', 'x.yaml', noEnv);
    expect(c.warnings[0]).toContain('autoscaling.min_workers (6) cost $12.00/hour');
  });
});

describe('YAML syntax and files', () => {
  it('a syntax error names the file and line', () => {
    const message = configErrorOf(() => parseAutoscalingConfig('autoscaling:\n  max_workers: 3\n min_workers: [\n', 'bad.yaml', noEnv));
    expect(message).toMatch(/^bad\.yaml: line 3, column \d+: invalid YAML: /);
  });
  it('duplicate keys are an error', () => {
    expect(configErrorOf(() => parseAutoscalingConfig('autoscaling:\n  max_workers: 3\n  max_workers: 4\n', 'dup.yaml', noEnv)))
      .toContain('dup.yaml: line 3, column 3: invalid YAML: Map keys must be unique');
  });
  it('a missing file names the path', () => {
    expect(configErrorOf(() => loadAutoscalingConfig('config/nope.yaml'))).toBe('config file not found: config/nope.yaml');
  });
  it('a directory is not a config file', () => {
    expect(configErrorOf(() => loadAutoscalingConfig('config'))).toContain('config: is a directory');
  });
  it('errors from a file name that file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bountybot-config-'));
    const path = join(dir, 'autoscaling.yaml');
    writeFileSync(path, 'autoscaling:\n  max_workers: -3\n');
    expect(configErrorOf(() => loadAutoscalingConfig(path, noEnv))).toBe(`${path}: autoscaling.max_workers: must be an integer >= 1; got -3 (line 2)`);
  });
});

describe('API token from the environment', () => {
  const cases: Array<{ name: string; yaml: string; env: Record<string, string | undefined>; token: string | undefined }> = [
    { name: 'env supplies it', yaml: '', env: { [API_TOKEN_ENV]: 'from-env' }, token: 'from-env' },
    { name: 'env overrides the file', yaml: '  api_token: from-file\n', env: { [API_TOKEN_ENV]: 'from-env' }, token: 'from-env' },
    { name: 'file alone', yaml: '  api_token: from-file\n', env: {}, token: 'from-file' },
    { name: 'empty env is ignored', yaml: '  api_token: from-file\n', env: { [API_TOKEN_ENV]: '' }, token: 'from-file' },
    { name: 'neither', yaml: '', env: {}, token: undefined },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(parseAutoscalingConfig(`autoscaling:\n  enabled: true\n${c.yaml}`, 'x.yaml', { env: c.env }).apiToken).toBe(c.token);
    });
  }
});
