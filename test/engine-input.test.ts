import { describe, expect, it } from 'vitest';
import { EXACT_LOAD_LIMIT, erlangB, erlangC, planCapacity, workersForWait } from '../src/autoscaling/capacity.js';
import { ScalingEngine } from '../src/autoscaling/engine.js';
import { WorkloadPredictor } from '../src/autoscaling/predictor.js';
import { ScalingAction, type ScalingMetrics } from '../src/autoscaling/types.js';

const T0 = Date.parse('2025-10-20T10:00:00Z');

describe('huge loads stay bounded work (defect 3.1)', () => {
  it.each([
    { name: 'the fuzzer\'s vector: 1e9/min at 1e7 s', m: { queueDepth: 0, validationsPerMinute: 1e9, avgLatencySeconds: 1e7, activeWorkers: 1 } },
    { name: '1e9/min at 30 s', m: { queueDepth: 0, validationsPerMinute: 1e9, avgLatencySeconds: 30, activeWorkers: 1 } },
    { name: 'every field at its plausible maximum', m: { queueDepth: 1e9, validationsPerMinute: 1e9, arrivalsPerMinute: 1e9, avgLatencySeconds: 1e7, activeWorkers: 1e9, oldestWaitSeconds: 1e7 } },
  ])('$name: a decision in [min, max], and the next ones too', ({ m }) => {
    let now = T0;
    const engine = new ScalingEngine({ minWorkers: 1, maxWorkers: 10 }, { clock: () => new Date(now) });
    for (let i = 0; i < 20; i++) {
      engine.addMetrics(m as ScalingMetrics);
      const d = engine.makeDecision(m as ScalingMetrics);
      expect(d.targetWorkers).toBeGreaterThanOrEqual(1);
      expect(d.targetWorkers).toBeLessThanOrEqual(10);
      now += 15_000;
    }
    const after = engine.makeDecision({ queueDepth: 0, validationsPerMinute: 1, avgLatencySeconds: 25, activeWorkers: 10 });
    expect(after.targetWorkers).toBeLessThanOrEqual(10);
  });

  it('a wait target at an absurd load has a closed form that meets it', () => {
    const rate = 1e9 / 60;
    const n = workersForWait(rate, 1e7, 30, 0.95);
    const load = rate * 1e7;
    expect(n).toBeGreaterThan(load);
    expect(n).toBeLessThanOrEqual(Math.ceil(load + 20 * Math.sqrt(load) + 50));
    expect(planCapacity({ arrivalsPerMinute: 1e9, serviceSeconds: 1e7, queueDepth: 0, targetWaitSeconds: 30, waitPercentile: 0.95, backlogDrainSeconds: 120, maxUtilization: 0.9 }).workers)
      .toBeGreaterThan(load);
  });

  it.each([
    { name: 'small (classic recursion)', servers: 30, load: 25 },
    { name: 'past the fast start', servers: 5200, load: 5000 },
    { name: 'just below the exact limit', servers: 19_800, load: 19_500 },
  ])('Erlang B with a fast start equals the classic recursion: $name', ({ servers, load }) => {
    let b = 1;
    for (let k = 1; k <= servers; k++) b = (load * b) / (k + load * b);
    expect(erlangB(servers, load)).toBeCloseTo(b, 12);
    expect(erlangB(servers, load) / b).toBeCloseTo(1, 9);
  });

  it('beyond the exact limit Erlang B is approximated, not looped', () => {
    const load = 10 * EXACT_LOAD_LIMIT;
    const b = erlangB(load + 2 * Math.sqrt(load), load);
    expect(b).toBeGreaterThan(0);
    expect(b).toBeLessThan(1e-2);
    expect(erlangB(1e15, 1e14)).toBe(0);
    expect(erlangB(1, 1e14)).toBeCloseTo(1, 9);
    expect(erlangC(1e14 + 1e8, 1e14)).toBeLessThan(1);
  });
});

describe('implausible timestamps are not adopted (defect 3.3)', () => {
  const m = (timestamp: Date, activeWorkers = 2): ScalingMetrics => ({ timestamp, queueDepth: 30, validationsPerMinute: 20, arrivalsPerMinute: 20, avgLatencySeconds: 25, activeWorkers });

  it('a sample dated 2035 neither freezes the forecaster nor stretches the cooldown', () => {
    let now = T0;
    const engine = new ScalingEngine({}, { clock: () => new Date(now) });
    for (let i = 0; i < 5; i++) {
      engine.addMetrics(m(new Date(now)));
      now += 15_000;
    }
    const future = new Date('2035-01-01T00:00:00Z');
    engine.addMetrics(m(future));
    const bad = engine.makeDecision(m(future));
    expect(bad.timestamp.getTime()).toBe(now);
    expect(bad.reasoning.some((r) => r.startsWith('timestamp ignored: 2035-01-01T00:00:00.000Z is') && r.includes('h ahead of the clock'))).toBe(true);
    const samples = engine.predictor.sampleCount;
    now += 60_000;
    engine.addMetrics(m(new Date(now)));
    expect(engine.predictor.sampleCount).toBe(samples + 1);
    const next = engine.makeDecision(m(new Date(now), bad.targetWorkers));
    expect(next.reasoning[0] ?? '').not.toMatch(/[0-9]{4,}\.[0-9] minutes remaining/);
    if (bad.action !== ScalingAction.NO_CHANGE) expect(next.reasoning[0]).toMatch(/^In cooldown period \([0-4]\.[0-9] minutes remaining/);
  });

  it('a timestamp days behind the latest is not adopted either, and no cooldown reads longer than itself (fuzz finding)', () => {
    const engine = new ScalingEngine({}, { clock: () => new Date(T0) });
    const up = engine.makeDecision({ ...m(new Date(T0), 1), queueDepth: 200, arrivalsPerMinute: 60 });
    expect(up.action).toBe(ScalingAction.SCALE_UP);
    const past = engine.makeDecision(m(new Date('1995-07-01T00:00:00Z'), up.targetWorkers));
    expect(past.reasoning.some((r) => r.startsWith('timestamp ignored: 1995-07-01T00:00:00.000Z is') && r.includes('h behind the latest sample'))).toBe(true);
    expect(past.reasoning[0]).toMatch(/^In cooldown period \(5\.0 minutes remaining/);
  });

  it('timestamps that walk ahead of a fixed clock are fine (the clock is not the only reference)', () => {
    const engine = new ScalingEngine({}, { clock: () => new Date(T0) });
    let d = engine.makeDecision(m(new Date(T0)));
    for (let day = 1; day <= 30; day++) d = engine.makeDecision(m(new Date(T0 + day * 86_400_000)));
    expect(d.timestamp.getTime()).toBe(T0 + 30 * 86_400_000);
  });

  it('a persisted last action dated years ahead is dropped on import', () => {
    const a = new ScalingEngine({}, { clock: () => new Date('2035-01-01T00:00:00Z') });
    a.makeDecision({ queueDepth: 200, validationsPerMinute: 60, avgLatencySeconds: 25, activeWorkers: 1 });
    const b = ScalingEngine.importState(a.exportState(), {}, { clock: () => new Date(T0) });
    expect(b.getStatistics().inCooldown).toBe(false);
  });
});

describe('the predictor refuses one far-future sample (defect 3.3)', () => {
  const sample = (ms: number, rate = 10) => ({ timestamp: new Date(ms), validationsPerMinute: rate, queueDepth: 0, avgLatencySeconds: 25, activeWorkers: 3 });

  it('later samples are still used and forecasts stay dated from them', () => {
    const p = new WorkloadPredictor();
    for (let i = 0; i < 10; i++) p.addSample(sample(T0 + i * 60_000));
    p.addSample(sample(Date.parse('2035-01-01T00:00:00Z'), 500));
    expect(p.rejectedSamples).toBe(1);
    p.addSample(sample(T0 + 10 * 60_000));
    expect(p.sampleCount).toBe(11);
    expect(p.predict(5).timestamp.toISOString()).toBe(new Date(T0 + 15 * 60_000).toISOString());
  });

  it('a real jump (a week offline) is adopted once three samples agree', () => {
    const p = new WorkloadPredictor();
    for (let i = 0; i < 10; i++) p.addSample(sample(T0 + i * 60_000));
    const later = T0 + 10 * 86_400_000;
    for (let i = 0; i < 3; i++) p.addSample(sample(later + i * 60_000));
    expect(p.rejectedSamples).toBe(2);
    p.addSample(sample(later + 3 * 60_000));
    expect(p.sampleCount).toBe(12);
  });

  it('a gap within a week is ordinary', () => {
    const p = new WorkloadPredictor();
    p.addSample(sample(T0));
    p.addSample(sample(T0 + 6 * 86_400_000));
    expect(p.rejectedSamples).toBe(0);
    expect(p.sampleCount).toBe(2);
  });
});
