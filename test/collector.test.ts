import { describe, it, expect } from 'vitest';
import { createProcessResourceSampler } from '../src/adapters/process-resource-sampler.js';
import { AutoScalingMetricsCollector, type AutoScalingMetricsCollectorOptions } from '../src/autoscaling/collector.js';
import { AutoScalingMetricsCollector as PackageCollector } from '../src/autoscaling/index.js';

const SECOND = 1000;
const MINUTE = 60_000;

function setup(options: Partial<AutoScalingMetricsCollectorOptions> = {}) {
  let t = Date.parse('2025-10-15T10:00:00Z');
  const warnings: string[] = [];
  const collector = new AutoScalingMetricsCollector({
    clock: () => new Date(t),
    resourceSampler: () => ({ cpuUsage: 42, memoryUsage: 73 }),
    logger: { warn: (m) => warnings.push(m) },
    ...options,
  });
  return {
    collector,
    warnings,
    advance: (ms: number) => { t += ms; },
    now: () => t,
    /** Runs one validation that takes `seconds`. */
    run: (id: string, seconds: number, success = true) => {
      collector.startValidation(id);
      t += seconds * SECOND;
      collector.endValidation(id, { success });
    },
  };
}

describe('the seed example', () => {
  it('start two, end one → one in flight, none waiting', () => {
    const { collector, advance } = setup();
    collector.startValidation('val-001');
    collector.startValidation('val-002');
    advance(100);
    collector.endValidation('val-001', { success: true });
    const m = collector.getCurrentMetrics();
    expect(m.queueDepth).toBe(0);
    expect(m.inFlight).toBe(1);
    expect(m.validationsPerMinute).toBeGreaterThanOrEqual(0);
    expect(m.cpuUsage).toBe(42);
    expect(m.memoryUsage).toBe(73);
    expect(m.windowMinutes).toBe(5);
    expect(m.timestamp.toISOString()).toBe('2025-10-15T10:00:00.100Z');
  });
  it('statistics after five successes', () => {
    const { collector, run } = setup();
    for (let i = 0; i < 5; i++) run(`val-${i}`, 0.05);
    const s = collector.getStatistics();
    expect(s).toMatchObject({ totalValidations: 5, totalSuccesses: 5, totalFailures: 0, overallSuccessRate: 1, inFlight: 0, completedValidations: 5 });
    expect(s.uptimeSeconds).toBeCloseTo(0.25, 10);
  });
});

describe('queue accounting', () => {
  it('queue depth counts validations waiting to start; in flight those started and not ended', () => {
    const { collector } = setup();
    for (const id of ['a', 'b', 'c']) collector.enqueueValidation(id);
    collector.startValidation('a');
    collector.startValidation('z'); // never enqueued: fine
    expect(collector.getCurrentMetrics()).toMatchObject({ queueDepth: 2, inFlight: 2 });
    collector.endValidation('a');
    collector.endValidation('z', { success: false, error: 'boom' });
    expect(collector.getCurrentMetrics()).toMatchObject({ queueDepth: 2, inFlight: 0, successRate: 0.5 });
  });
  it('ending an unknown id is a logged no-op', () => {
    const { collector, warnings } = setup();
    collector.startValidation('a');
    expect(() => collector.endValidation('nope')).not.toThrow();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('nope');
    expect(collector.getStatistics()).toMatchObject({ totalValidations: 0, inFlight: 1 });
    collector.endValidation('a');
    collector.endValidation('a'); // twice: the second is unknown
    expect(warnings).toHaveLength(2);
    expect(collector.getStatistics().totalValidations).toBe(1);
  });
  it('ending a queued validation that never started removes it without counting it', () => {
    const { collector, warnings } = setup();
    collector.enqueueValidation('q');
    collector.endValidation('q');
    expect(collector.getCurrentMetrics().queueDepth).toBe(0);
    expect(collector.getStatistics().totalValidations).toBe(0);
    expect(warnings).toHaveLength(1);
  });
  it('ignores a duplicate enqueue', () => {
    const { collector, warnings } = setup();
    collector.enqueueValidation('q');
    collector.enqueueValidation('q');
    expect(collector.getCurrentMetrics().queueDepth).toBe(1);
    expect(warnings).toHaveLength(1);
  });
});

describe('latency and throughput over the window', () => {
  it('avg, p95, min, max of 1..20 s', () => {
    const { collector, run } = setup();
    for (let s = 1; s <= 20; s++) run(`v${s}`, s);
    const m = collector.getCurrentMetrics();
    expect(m).toMatchObject({ avgLatencySeconds: 10.5, p95LatencySeconds: 19, minLatencySeconds: 1, maxLatencySeconds: 20, successRate: 1 });
  });
  const p95Cases: Array<{ name: string; latencies: number[]; p95: number }> = [
    { name: 'one sample', latencies: [7], p95: 7 },
    { name: 'two samples', latencies: [1, 9], p95: 9 },
    { name: '100 samples 1..100', latencies: Array.from({ length: 100 }, (_, i) => i + 1), p95: 95 },
  ];
  for (const c of p95Cases) {
    it(`p95: ${c.name}`, () => {
      const { collector, run } = setup({ windowMinutes: 600 });
      c.latencies.forEach((l, i) => run(`v${i}`, l));
      expect(collector.getCurrentMetrics().p95LatencySeconds).toBe(c.p95);
    });
  }
  it('empty window: zeros and success rate 1', () => {
    const { collector } = setup();
    expect(collector.getCurrentMetrics()).toMatchObject({
      validationsPerMinute: 0, avgLatencySeconds: 0, p95LatencySeconds: 0, maxLatencySeconds: 0, minLatencySeconds: 0, successRate: 1,
    });
  });
  it('prunes completions that ended before the window', () => {
    const { collector, run, advance } = setup();
    run('old', 2);
    advance(5 * MINUTE);
    expect(collector.getStatistics().completedValidations).toBe(1); // exactly at the edge: kept
    advance(1);
    const s = collector.getStatistics();
    expect(s.completedValidations).toBe(0);
    expect(s.totalValidations).toBe(1);
    expect(s.currentMetrics.avgLatencySeconds).toBe(0);
  });
  const rateCases: Array<{ name: string; warmupMs: number; completions: number; spacingMs: number; expected: number }> = [
    { name: 'first seconds: divided by one minute, not extrapolated', warmupMs: 0, completions: 5, spacingMs: 2 * SECOND, expected: 5 },
    { name: 'three minutes in: divided by the time since start', warmupMs: 0, completions: 30, spacingMs: 6 * SECOND, expected: 10 },
    { name: 'after the window has filled: divided by the window', warmupMs: 10 * MINUTE, completions: 50, spacingMs: 6 * SECOND, expected: 10 },
  ];
  for (const c of rateCases) {
    it(`validationsPerMinute: ${c.name}`, () => {
      const { collector, advance } = setup();
      advance(c.warmupMs);
      for (let i = 0; i < c.completions; i++) {
        collector.startValidation(`v${i}`);
        advance(c.spacingMs);
        collector.endValidation(`v${i}`);
      }
      expect(collector.getCurrentMetrics().validationsPerMinute).toBeCloseTo(c.expected, 10);
    });
  }
});

describe('memory bound', () => {
  it('1e5 validations leave only the window in memory', () => {
    const { collector, advance } = setup();
    for (let i = 0; i < 100_000; i++) {
      const id = `v${i}`;
      collector.enqueueValidation(id);
      collector.startValidation(id);
      advance(100);
      collector.endValidation(id, { success: i % 10 !== 0 });
    }
    const f = collector.getFootprint();
    expect(f.queued).toBe(0);
    expect(f.inFlight).toBe(0);
    expect(f.windowCompletions).toBeLessThanOrEqual(3001); // 5 min / 100 ms
    expect(f.depthPoints).toBeLessThanOrEqual(301); // at most one per second
    const s = collector.getStatistics();
    expect(s.totalValidations).toBe(100_000);
    expect(s.totalFailures).toBe(10_000);
    expect(s.currentMetrics.validationsPerMinute).toBeCloseTo(600, 0);
  });
  it('validations started and never ended are dropped after an hour, counted as abandoned (defect 3.4)', () => {
    const { collector, advance } = setup();
    for (let i = 0; i < 200_000; i++) {
      collector.startValidation(`v${i}`);
      advance(SECOND);
    }
    const f = collector.getFootprint();
    expect(f.inFlight).toBe(3600);
    const s = collector.getStatistics();
    expect(s.inFlight).toBe(f.inFlight);
    expect(s.abandonedValidations).toBe(200_000 - f.inFlight);
    collector.endValidation('v0');
    expect(collector.getStatistics().totalValidations).toBe(0);
  });
  it('at most maxTracked queued and running validations, the oldest dropped', () => {
    const { collector } = setup({ maxTracked: 1000 });
    for (let i = 0; i < 5000; i++) collector.enqueueValidation(`q${i}`);
    for (let i = 0; i < 5000; i++) collector.startValidation(`r${i}`);
    expect(collector.getFootprint()).toMatchObject({ queued: 1000, inFlight: 1000 });
    expect(collector.getStatistics().abandonedValidations).toBe(8000);
    expect(collector.getCurrentMetrics()).toMatchObject({ queueDepth: 1000, inFlight: 1000 });
  });
  it('a restarted validation keeps its place by its new start time', () => {
    const { collector, advance } = setup({ abandonAfterMinutes: 10 });
    collector.startValidation('a');
    collector.startValidation('b');
    advance(6 * MINUTE);
    collector.startValidation('a');
    advance(5 * MINUTE);
    expect(collector.getCurrentMetrics().inFlight).toBe(1);
    expect(collector.getStatistics().abandonedValidations).toBe(1);
  });
  it('a burst inside one window is capped by maxWindowCompletions', () => {
    const { collector } = setup({ maxWindowCompletions: 1000 });
    for (let i = 0; i < 20_000; i++) {
      collector.startValidation(`v${i}`);
      collector.endValidation(`v${i}`);
    }
    expect(collector.getFootprint().windowCompletions).toBe(1000);
    expect(collector.getStatistics().totalValidations).toBe(20_000);
  });
});

describe('trends', () => {
  it('insufficient below 10 points', () => {
    const { collector, advance } = setup();
    for (let i = 0; i < 8; i++) {
      collector.enqueueValidation(`q${i}`);
      advance(SECOND);
    }
    expect(collector.getQueueDepthTrend()).toBe('insufficient_data');
    expect(collector.getLatencyTrend()).toBe('insufficient_data');
  });
  it('queue depth: increasing, then decreasing, then stable', () => {
    const { collector, advance } = setup();
    for (let i = 0; i < 20; i++) {
      collector.enqueueValidation(`q${i}`);
      advance(SECOND);
    }
    expect(collector.getQueueDepthTrend()).toBe('increasing');
    advance(5 * MINUTE); // old points leave the window
    for (let i = 0; i < 20; i++) {
      collector.startValidation(`q${i}`);
      collector.endValidation(`q${i}`);
      advance(SECOND);
    }
    expect(collector.getQueueDepthTrend()).toBe('decreasing');
    advance(5 * MINUTE);
    for (let i = 0; i < 20; i++) {
      collector.enqueueValidation(`s${i}`);
      collector.startValidation(`s${i}`);
      collector.endValidation(`s${i}`);
      collector.getCurrentMetrics();
      advance(SECOND);
    }
    expect(collector.getQueueDepthTrend()).toBe('stable');
  });
  it('events within one second count as one depth point', () => {
    const { collector } = setup();
    for (let i = 0; i < 50; i++) collector.enqueueValidation(`q${i}`);
    expect(collector.getFootprint().depthPoints).toBe(1);
    expect(collector.getQueueDepthTrend()).toBe('insufficient_data');
  });
  const latencyCases: Array<{ name: string; first: number; second: number; trend: string }> = [
    { name: 'increasing', first: 10, second: 20, trend: 'increasing' },
    { name: 'decreasing', first: 20, second: 10, trend: 'decreasing' },
    { name: 'stable within ±20 %', first: 10, second: 11, trend: 'stable' },
  ];
  for (const c of latencyCases) {
    it(`latency: ${c.name}`, () => {
      const { collector, run } = setup();
      for (let i = 0; i < 5; i++) run(`a${i}`, c.first);
      for (let i = 0; i < 5; i++) run(`b${i}`, c.second);
      expect(collector.getLatencyTrend()).toBe(c.trend);
    });
  }
});

describe('export and reset', () => {
  it('exports the brief metric names', () => {
    const { collector, run } = setup();
    run('a', 3);
    run('b', 5, false);
    collector.startValidation('c');
    collector.enqueueValidation('d');
    const e = collector.exportMetrics();
    expect(Object.keys(e).sort()).toEqual([
      'bountybot_autoscaling_avg_latency_seconds',
      'bountybot_autoscaling_cpu_usage',
      'bountybot_autoscaling_memory_usage',
      'bountybot_autoscaling_queue_depth',
      'bountybot_autoscaling_success_rate',
      'bountybot_autoscaling_total_failures',
      'bountybot_autoscaling_total_successes',
      'bountybot_autoscaling_total_validations',
      'bountybot_autoscaling_uptime_seconds',
      'bountybot_autoscaling_validations_per_minute',
    ]);
    expect(e).toMatchObject({
      bountybot_autoscaling_queue_depth: 1,
      bountybot_autoscaling_avg_latency_seconds: 4,
      bountybot_autoscaling_success_rate: 0.5,
      bountybot_autoscaling_cpu_usage: 42,
      bountybot_autoscaling_memory_usage: 73,
      bountybot_autoscaling_total_validations: 2,
      bountybot_autoscaling_total_successes: 1,
      bountybot_autoscaling_total_failures: 1,
      bountybot_autoscaling_uptime_seconds: 8,
      bountybot_autoscaling_validations_per_minute: 2,
    });
  });
  it('reset forgets everything and restarts uptime', () => {
    const { collector, run, advance } = setup();
    run('a', 3);
    collector.enqueueValidation('b');
    advance(10 * SECOND);
    collector.reset();
    const s = collector.getStatistics();
    expect(s).toMatchObject({ uptimeSeconds: 0, totalValidations: 0, inFlight: 0, abandonedValidations: 0, completedValidations: 0, queueDepthTrend: 'insufficient_data' });
    expect(s.currentMetrics.queueDepth).toBe(0);
    expect(collector.getFootprint()).toEqual({ queued: 0, inFlight: 0, windowCompletions: 0, depthPoints: 1 });
  });
});

describe('resource readings', () => {
  it('the default sampler reads real CPU and memory percentages', () => {
    const sample = createProcessResourceSampler();
    let x = 0;
    const until = process.hrtime.bigint() + 20_000_000n;
    while (process.hrtime.bigint() < until) x += Math.sqrt(x + 1); // some CPU work to measure
    const r = sample();
    expect(r.cpuUsage).toBeGreaterThan(0);
    expect(r.cpuUsage).toBeLessThanOrEqual(100);
    expect(r.memoryUsage).toBeGreaterThan(0);
    expect(r.memoryUsage).toBeLessThanOrEqual(100);
  });
  it('the pure core has no default reading; the package entry reads this process', () => {
    expect(new AutoScalingMetricsCollector({ logger: { warn: () => undefined } }).getCurrentMetrics()).toMatchObject({ cpuUsage: 0, memoryUsage: 0 });
    expect(new PackageCollector().getCurrentMetrics().memoryUsage).toBeGreaterThan(0);
  });
  it('a failing sampler keeps the last reading and warns', () => {
    let fail = false;
    const { collector, warnings } = setup({
      resourceSampler: () => {
        if (fail) throw new Error('no /proc');
        return { cpuUsage: 12, memoryUsage: 34 };
      },
    });
    expect(collector.getCurrentMetrics().cpuUsage).toBe(12);
    fail = true;
    expect(collector.getCurrentMetrics()).toMatchObject({ cpuUsage: 12, memoryUsage: 34 });
    expect(warnings[0]).toContain('no /proc');
  });
  it('rejects bad options', () => {
    expect(() => new AutoScalingMetricsCollector({ windowMinutes: 0 })).toThrow(/windowMinutes.*0/);
    expect(() => new AutoScalingMetricsCollector({ windowMinutes: NaN })).toThrow(/windowMinutes/);
    expect(() => new AutoScalingMetricsCollector({ abandonAfterMinutes: -1 })).toThrow(/abandonAfterMinutes.*-1/);
    expect(() => new AutoScalingMetricsCollector({ maxTracked: 1.5 })).toThrow(/maxTracked.*1.5/);
  });
});
