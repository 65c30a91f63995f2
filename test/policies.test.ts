import { describe, it, expect } from 'vitest';
import type { FleetState, Observation, PolicyInput } from '../src/control/interfaces.js';
import { ema, OriginalWorkloadPredictor, slopePerIndex } from '../src/sim/original-forecaster.js';
import { createFixedPolicy } from '../src/sim/policies/fixed.js';
import {
  cpuMetric, HorizontalAutoscaler, K8S_DEFAULT_BEHAVIOR, latencyMetric, queueMetric, createHpaPolicy,
} from '../src/sim/policies/hpa.js';
import { createKedaPolicy } from '../src/sim/policies/keda.js';
import { createZeroWaitPolicy, planZeroWait } from '../src/sim/policies/zero-wait.js';
import { OriginalEngine, originalCostScore, rampScore, type OriginalEngineConfig } from '../src/sim/policies/original.js';
import type { Trace } from '../src/sim/trace.js';
import type { Workload } from '../src/sim/workload.js';

const T0 = Date.UTC(2025, 0, 6, 8, 0, 0);

function obs(over: Partial<Observation> = {}): Observation {
  return {
    timestamp: new Date(T0), queueDepth: 0, inFlight: 0, validationsPerMinute: 0, avgLatencySeconds: 0,
    arrivalsPerMinute: 0, activeWorkers: 1, readyWorkers: 1, cpuUsage: 0, ...over,
  };
}

function input(atMs: number, o: Partial<Observation>, fleet: Partial<FleetState> = {}): PolicyInput {
  const provisioned = fleet.provisioned ?? o.activeWorkers ?? 1;
  return {
    now: new Date(atMs),
    observation: obs({ timestamp: new Date(atMs), activeWorkers: provisioned, ...o }),
    fleet: { provisioned, ready: fleet.ready ?? provisioned, draining: fleet.draining ?? 0 },
  };
}

describe('HPA metrics: ceil(current × value / target), skipped within tolerance 0.1', () => {
  it.each([
    // name, queue (waiting+in flight), current, expected replicas
    ['at target', 40, 4, 4],
    ['within +10 %', 43, 4, 4],
    ['just outside +10 %', 45, 4, 5],
    ['double', 80, 4, 8],
    ['within -10 %', 37, 4, 4],
    ['half', 20, 4, 2],
    ['empty queue', 0, 4, 0],
  ])('queue per pod (target 10): %s', (_n, queue, current, expected) => {
    const p = queueMetric(10)(obs({ queueDepth: queue / 2, inFlight: queue / 2 }), current, 0.1);
    expect(p?.replicas).toBe(expected);
  });

  it.each([
    ['on target', 30, 6, 6],
    ['slow (45 s)', 45, 6, 9],
    ['fast (15 s)', 15, 6, 3],
    ['within tolerance (32 s)', 32, 6, 6],
  ])('average latency (target 30 s): %s', (_n, latency, current, expected) => {
    const p = latencyMetric(30)(obs({ avgLatencySeconds: latency, validationsPerMinute: 5 }), current, 0.1);
    expect(p?.replicas).toBe(expected);
  });

  it('latency is missing while nothing completed in the window', () => {
    expect(latencyMetric(30)(obs({ avgLatencySeconds: 0, validationsPerMinute: 0 }), 3, 0.1)).toBeUndefined();
  });

  it.each([
    // name, cpu %, ready, current (ready + starting), expected
    ['all ready, at 70 %', 70, 10, 10, 10],
    ['all ready, 100 %', 100, 7, 7, 10],
    ['all ready, 35 %', 35, 10, 10, 5],
    ['starting pods count as 0 % on scale-up', 100, 7, 10, 10],
    ['starting pods, still above target', 100, 8, 10, 12],
    ['no ready pods: missing', 0, 0, 3, -1],
  ])('CPU busy ÷ ready (target 70 %%): %s', (_n, cpu, ready, current, expected) => {
    const p = cpuMetric(70)(obs({ cpuUsage: cpu, readyWorkers: ready, activeWorkers: current }), current, 0.1);
    expect(p?.replicas ?? -1).toBe(expected);
  });
});

describe('HPA controller behaviour', () => {
  const queueOnly = (min = 1, max = 1000): HorizontalAutoscaler =>
    new HorizontalAutoscaler({ minReplicas: min, maxReplicas: max, metrics: [queueMetric(1)] });
  const q = (n: number): Observation => obs({ queueDepth: n, inFlight: 0 });

  it('uses the Kubernetes defaults', () => {
    expect(K8S_DEFAULT_BEHAVIOR).toMatchObject({
      tolerance: 0.1, syncPeriodSeconds: 15, scaleDownStabilizationSeconds: 300, scaleUpPods: 4, scaleUpPercent: 100,
    });
  });

  it.each([
    ['small fleet: +4 pods wins', 2, 6],
    ['+100 % wins above 4 pods', 10, 20],
    ['one pod', 1, 5],
  ])('limits a scale-up to max(+4, +100 %%) per 15 s: %s', (_n, current, expected) => {
    expect(queueOnly().decide(T0, q(500), current).target).toBe(expected);
  });

  it('counts replicas added earlier in the period (an event exactly 15 s ago is outside it)', () => {
    const h = new HorizontalAutoscaler({
      minReplicas: 1, maxReplicas: 1000, metrics: [queueMetric(1)], behavior: { syncPeriodSeconds: 5 },
    });
    expect(h.decide(T0, q(500), 10).target).toBe(20);
    // 10 s later the period started at 10 replicas: still capped at 20.
    expect(h.decide(T0 + 10_000, q(500), 20).target).toBe(20);
    // 15 s after the first step, the period starts at 20.
    expect(h.decide(T0 + 15_000, q(500), 20).target).toBe(40);
  });

  it('holds scale-down for the 300 s stabilization window (max of recommendations)', () => {
    const h = queueOnly();
    expect(h.decide(T0, q(10), 10).target).toBe(10);
    let t = T0;
    for (let i = 1; i < 20; i++) {
      t = T0 + i * 15_000;
      expect(h.decide(t, q(2), 10).target).toBe(10);
    }
    // 300 s after the last recommendation of 10 it has left the window.
    expect(h.decide(T0 + 300_000, q(2), 10).target).toBe(2);
  });

  it('within a sync period it keeps the current count', () => {
    const h = queueOnly();
    expect(h.decide(T0, q(30), 10).target).toBe(20);
    expect(h.decide(T0 + 5_000, q(300), 20).target).toBe(20);
  });

  it('clamps to min and max replicas', () => {
    // A first recommendation has nothing to stabilize against.
    expect(queueOnly(3, 8).decide(T0, q(0), 4).target).toBe(3);
    expect(queueOnly(1, 8).decide(T0, q(500), 6).target).toBe(8);
  });

  it('the hpa policy takes the max across the three metrics', () => {
    const p = createHpaPolicy({ minReplicas: 1, maxReplicas: 100 });
    const out = p.decide(input(T0, { queueDepth: 0, inFlight: 4, cpuUsage: 100, readyWorkers: 4, avgLatencySeconds: 25, validationsPerMinute: 9 }, { provisioned: 4 }));
    expect(out.targetWorkers).toBe(6);
    expect(out.action).toBe('scale_up');
    expect(out.reasoning.join(' ')).toMatch(/cpu 100 vs target 70 → 6/);
  });
});

describe('KEDA queue scaler', () => {
  const keda = (over: Parameters<typeof createKedaPolicy>[0] extends infer O ? Partial<O> : never = {}) =>
    createKedaPolicy({ maxReplicas: 100, queueTarget: 5, ...over });

  it('activates 0 → 1 on a poll when the queue exceeds the activation threshold', () => {
    const p = keda({ activationThreshold: 2 });
    expect(p.decide(input(T0, { queueDepth: 2 }, { provisioned: 0, ready: 0 })).targetWorkers).toBe(0);
    // Not a poll instant yet (30 s polling): stays at 0 even with a queue.
    expect(p.decide(input(T0 + 15_000, { queueDepth: 50 }, { provisioned: 0, ready: 0 })).targetWorkers).toBe(0);
    expect(p.decide(input(T0 + 30_000, { queueDepth: 50 }, { provisioned: 0, ready: 0 })).targetWorkers).toBe(1);
  });

  it('above zero, the HPA computes ceil(queue / target)', () => {
    const p = keda();
    expect(p.decide(input(T0, { queueDepth: 20, inFlight: 2 }, { provisioned: 2 })).targetWorkers).toBe(5);
  });

  it('scales to zero only after the cooldown of inactivity', () => {
    const p = keda();
    p.decide(input(T0, { queueDepth: 0, inFlight: 1 }, { provisioned: 1 }));
    // Last active poll at T0: still within the 300 s cooldown at +30 s and +270 s.
    expect(p.decide(input(T0 + 30_000, {}, { provisioned: 1 })).targetWorkers).toBe(1);
    expect(p.decide(input(T0 + 270_000, {}, { provisioned: 1 })).targetWorkers).toBe(1);
    expect(p.decide(input(T0 + 300_000, {}, { provisioned: 1 })).targetWorkers).toBe(0);
  });

  it('never scales to zero with minReplicas 1', () => {
    const p = keda({ minReplicas: 1 });
    expect(p.decide(input(T0, {}, { provisioned: 1 })).targetWorkers).toBe(1);
    expect(p.decide(input(T0 + 600_000, {}, { provisioned: 1 })).targetWorkers).toBe(1);
  });
});

describe('original (v2.9.0) engine', () => {
  it.each([
    [0, 10, 0], [5, 10, 0], [12.5, 10, 0.5], [20, 10, 1], [30, 10, 1], [15, 30, 0], [37.5, 30, 0.5], [60, 30, 1],
  ])('ramp score of %d against target %d is %d', (value, target, expected) => {
    expect(rampScore(value, target)).toBeCloseTo(expected, 12);
  });

  it.each([[2, 10, 0], [5, 10, 0], [7, 10, 0.5], [9, 10, 1], [12, 10, 1]])('cost score of $%d/h on a $%d budget is %d', (cost, budget, expected) => {
    expect(originalCostScore(cost, budget)).toBeCloseTo(expected, 12);
  });

  const config: OriginalEngineConfig = {
    minWorkers: 1, maxWorkers: 50, targetQueueDepth: 10, targetLatencySeconds: 30, scaleUpThreshold: 0.7,
    scaleDownThreshold: 0.3, cooldownMinutes: 5, historySize: 1000, hourlyBudget: 10,
  };
  const metrics = (at: number, over: Partial<Parameters<OriginalEngine['makeDecision']>[0]> = {}) => ({
    queueDepth: 0, validationsPerMinute: 1, avgLatencySeconds: 10, activeWorkers: 5, currentCostPerHour: 0,
    timestamp: new Date(at), ...over,
  });

  it('scales up to max(queue/10 + 1, predicted + 1, current + 1)', () => {
    const e = new OriginalEngine(config);
    const m = metrics(T0, { queueDepth: 125, validationsPerMinute: 8, avgLatencySeconds: 90, activeWorkers: 5 });
    e.addMetrics(m);
    const d = e.makeDecision(m);
    expect(d.action).toBe('scale_up');
    // One sample: the prediction is the sample (8/min) → max(13, 9, 6).
    expect(d.targetWorkers).toBe(13);
  });

  it('scales down to max(max(1, predicted), current − 1), then cools down for 5 minutes of sim time', () => {
    const e = new OriginalEngine(config);
    const m = metrics(T0, { activeWorkers: 8, validationsPerMinute: 0.2 });
    e.addMetrics(m);
    const d = e.makeDecision(m);
    expect(d.action).toBe('scale_down');
    expect(d.targetWorkers).toBe(7);
    const later = metrics(T0 + 4 * 60_000, { activeWorkers: 7, validationsPerMinute: 0.2 });
    expect(e.makeDecision(later).reasoning[0]).toMatch(/^In cooldown period \(1\.0 minutes remaining\)/);
    expect(e.makeDecision(metrics(T0 + 5 * 60_000, { activeWorkers: 7, validationsPerMinute: 0.2 })).action).toBe('scale_down');
  });

  it('its cost score pushes toward scaling up (the flaw kept on purpose)', () => {
    const e = new OriginalEngine(config);
    // Queue 17 → 0.8, latency 60 → 1, prediction 0: 0.32 + 0.25 = 0.57 without cost, 0.72 with it.
    const m = metrics(T0, { queueDepth: 17, avgLatencySeconds: 60, validationsPerMinute: 0, activeWorkers: 5, currentCostPerHour: 10 });
    e.addMetrics(m);
    expect(e.makeDecision(m).action).toBe('scale_up');
    const cheap = new OriginalEngine(config);
    const m2 = { ...m, currentCostPerHour: 0 };
    cheap.addMetrics(m2);
    expect(cheap.makeDecision(m2).action).toBe('no_change');
  });
});

describe('original forecaster', () => {
  it('least-squares slope and EMA', () => {
    expect(slopePerIndex([1, 3, 5, 7])).toBeCloseTo(2, 12);
    expect(slopePerIndex([4])).toBe(0);
    expect(ema([10, 0], 0.3)).toBeCloseTo(7, 12);
  });

  it('returns the latest sample (confidence 0.3) with fewer than 10 samples', () => {
    const p = new OriginalWorkloadPredictor();
    p.addSample({ timestamp: new Date(T0), validationsPerMinute: 4, queueDepth: 3, avgLatencySeconds: 20, activeWorkers: 2 });
    expect(p.predict(5, new Date(T0))).toEqual({ predictedValidationsPerMinute: 4, predictedQueueDepth: 3, confidence: 0.3, timeHorizonMinutes: 5 });
  });

  it('mixes 0.4 (last + slope × h) + 0.3 pattern + 0.3 EMA, the pattern looked up on the given clock', () => {
    const p = new OriginalWorkloadPredictor();
    // 10 flat samples at 08:00-08:09 UTC Monday, rate 6.
    for (let i = 0; i < 10; i++) {
      p.addSample({ timestamp: new Date(T0 + i * 60_000), validationsPerMinute: 6, queueDepth: 0, avgLatencySeconds: 20, activeWorkers: 2 });
    }
    // At 08:10 + 5 min the 08:00 hour and Monday patterns are both 6: forecast 6.
    expect(p.predict(5, new Date(T0 + 10 * 60_000)).predictedValidationsPerMinute).toBeCloseTo(6, 12);
    // Asked on Tuesday 14:00 (no hour or weekday pattern yet): 0.4·6 + 0.3·0 + 0.3·6.
    const tuesday = new Date(T0 + 30 * 3_600_000);
    expect(p.predict(5, tuesday).predictedValidationsPerMinute).toBeCloseTo(4.2, 12);
  });
});

describe('fixed and zero-wait', () => {
  it('fixed always asks for N', () => {
    const p = createFixedPolicy(4);
    expect(p.decide(input(T0, {}, { provisioned: 1 })).targetWorkers).toBe(4);
    expect(p.decide(input(T0, {}, { provisioned: 9 })).action).toBe('scale_down');
  });

  it('zero-wait asks, at each evaluation, for the peak zero-wait occupancy until new workers could be ready', () => {
    const trace: Trace = {
      source: 'hand', startMs: T0, binSeconds: 60, binStartMs: new Float64Array([0]), binLengthMs: new Float64Array([60_000]),
      counts: new Float64Array([3]), endMs: 60_000,
    };
    // Jobs: [0, 100 s), [10 s, 20 s), [200 s, 210 s).
    const w: Workload = {
      trace, scale: 1, jobs: 3, arrivalMs: new Float64Array([0, 10_000, 200_000]), serviceMs: new Float64Array([100_000, 10_000, 10_000]),
      serviceTimeSeconds: 25, serviceCv: 0, peakHourLoad: 0, peakBinLoad: 0,
    };
    const plan = planZeroWait(w, 15, 60, 100);
    // Occupancy 1 on [0,10), 2 on [10,20), 1 on [20,100), 0, 1 on [200,210); target k = peak over [15k, 15k + 75).
    expect(Array.from(plan.targets.slice(0, 16))).toEqual([2, 2, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 0, 0]);
    const p = createZeroWaitPolicy(plan, T0);
    expect(p.decide(input(T0 + 30_000, {}, { provisioned: 2 })).targetWorkers).toBe(1);
  });
});
