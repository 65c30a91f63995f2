import { Registry, register as globalRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { checkBearer, constantTimeEqual } from '../src/server/auth.js';
import { createAutoscalingMetrics } from '../src/server/prometheus.js';
import { readFileSync } from 'node:fs';
import { FakeRuntime, sampleValue } from './server-fakes.js';

const TOKEN = 's3cret-token-for-tests';

describe('createAutoscalingMetrics', () => {
  it.each([
    ['bountybot_autoscaling_queue_depth', 25],
    ['bountybot_autoscaling_avg_latency_seconds', 45.5],
    ['bountybot_autoscaling_validations_per_minute', 8],
    ['bountybot_autoscaling_active_workers', 3],
    ['bountybot_autoscaling_ready_workers', 2],
    ['bountybot_autoscaling_draining_workers', 1],
    ['bountybot_autoscaling_desired_workers', 5],
    ['bountybot_autoscaling_paused', 0],
    ['bountybot_autoscaling_arrivals_per_minute', 9.5],
    ['bountybot_autoscaling_in_flight_validations', 2],
    ['bountybot_autoscaling_dead_lettered_validations', 4],
    ['bountybot_autoscaling_predicted_validations_per_minute', 12.25],
    ['bountybot_autoscaling_prediction_confidence_ratio', 0.8],
    ['bountybot_autoscaling_override_active', 0],
    ['bountybot_autoscaling_budget_utilization{period="hourly"}', 0.75],
    ['bountybot_autoscaling_budget_utilization{period="daily"}', 0.5],
    ['bountybot_autoscaling_budget_utilization{period="monthly"}', 0.7],
    ['bountybot_autoscaling_budget_spend_dollars{period="hourly"}', 7.5],
    ['bountybot_autoscaling_budget_limit_dollars{period="monthly"}', 5000],
    ['bountybot_autoscaling_decisions_total{action="scale_up"}', 3],
    ['bountybot_autoscaling_decisions_total{action="scale_down"}', 1],
    ['bountybot_autoscaling_decisions_total{action="no_change"}', 12],
  ])('%s = %d, read from the runtime at scrape time', async (series, expected) => {
    const registry = new Registry();
    createAutoscalingMetrics(registry, new FakeRuntime(), { defaultMetrics: false });
    expect(sampleValue(await registry.metrics(), series)).toBe(expected);
  });

  it('every metric of ours is documented in the README with its meaning', () => {
    const registry = new Registry();
    const ours = createAutoscalingMetrics(registry, new FakeRuntime(), { defaultMetrics: false }).names;
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const undocumented = ours.filter((n) => !readme.includes(`| \`${n}\``) && !readme.includes(`| \`${n}{`));
    expect(ours.length).toBeGreaterThan(15);
    expect(undocumented).toEqual([]);
  });

  it('follows the runtime between scrapes (pause, override, counters)', async () => {
    const registry = new Registry();
    const runtime = new FakeRuntime();
    createAutoscalingMetrics(registry, runtime, { defaultMetrics: false });
    runtime.pause();
    runtime.override(7, 60);
    runtime.gaugeValues.decisionsTotal = { scale_up: 4, scale_down: 1, no_change: 12 };
    const text = await registry.metrics();
    expect(sampleValue(text, 'bountybot_autoscaling_paused')).toBe(1);
    expect(sampleValue(text, 'bountybot_autoscaling_override_active')).toBe(1);
    expect(sampleValue(text, 'bountybot_autoscaling_override_workers')).toBe(7);
    expect(sampleValue(text, 'bountybot_autoscaling_decisions_total{action="scale_up"}')).toBe(4);
  });

  it('omits budget periods the runtime has no value for yet', async () => {
    const registry = new Registry();
    const runtime = new FakeRuntime();
    runtime.gaugeValues.budgetUtilization = { hourly: 0.1 };
    createAutoscalingMetrics(registry, runtime, { defaultMetrics: false });
    const text = await registry.metrics();
    expect(sampleValue(text, 'bountybot_autoscaling_budget_utilization{period="hourly"}')).toBe(0.1);
    expect(sampleValue(text, 'bountybot_autoscaling_budget_utilization{period="daily"}')).toBeUndefined();
  });

  it('still serves the cheap gauges when runtime.status() fails, and reports the failure', async () => {
    const registry = new Registry();
    const runtime = new FakeRuntime();
    runtime.statusFails = true;
    const errors: unknown[] = [];
    createAutoscalingMetrics(registry, runtime, { defaultMetrics: false, onStatusError: (e) => errors.push(e) });
    const text = await registry.metrics();
    expect(sampleValue(text, 'bountybot_autoscaling_queue_depth')).toBe(25);
    expect(errors).toHaveLength(1);
  });

  it('registers default process metrics on the passed registry and never on the global one', async () => {
    const registry = new Registry();
    const before = globalRegistry.getMetricsAsArray().length;
    const metrics = createAutoscalingMetrics(registry, new FakeRuntime());
    expect(metrics.names).toContain('process_cpu_user_seconds_total');
    expect(metrics.names).toContain('bountybot_autoscaling_queue_depth');
    // prom-client's `_total` gauges fail promtool's lint; the per-type gauges stay.
    expect(metrics.names).toContain('nodejs_active_handles');
    expect(metrics.names).not.toContain('nodejs_active_handles_total');
    expect(globalRegistry.getMetricsAsArray().length).toBe(before);
    metrics.unregister();
    expect(registry.getMetricsAsArray()).toHaveLength(0);
  });

  it('refuses a registry that already holds its metrics and leaves that registry as it was', () => {
    const registry = new Registry();
    createAutoscalingMetrics(registry, new FakeRuntime(), { defaultMetrics: false });
    const count = registry.getMetricsAsArray().length;
    expect(() => createAutoscalingMetrics(registry, new FakeRuntime(), { defaultMetrics: false })).toThrow(/already been registered/);
    expect(registry.getMetricsAsArray().length).toBe(count);
  });
});

describe('auth helpers', () => {
  it.each([
    ['equal', 'abc', 'abc', true],
    ['different content', 'abc', 'abd', false],
    ['different length', 'abc', 'abcd', false],
    ['empty vs non-empty', '', 'a', false],
  ])('constantTimeEqual: %s', (_name, a, b, expected) => {
    expect(constantTimeEqual(a, b)).toBe(expected);
  });

  it.each([
    ['scheme is case-insensitive', `bearer ${TOKEN}`, true],
    ['Basic scheme is refused', `Basic ${TOKEN}`, false],
    ['token with extra words is refused', `Bearer ${TOKEN} extra`, false],
  ])('checkBearer: %s', (_name, header, ok) => {
    expect(checkBearer(header, TOKEN).ok).toBe(ok);
  });
});
