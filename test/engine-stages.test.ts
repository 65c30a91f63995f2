import { describe, expect, it } from 'vitest';
import { burstDemand, peakForecastRate } from '../src/autoscaling/demand.js';
import { ScalingEngine } from '../src/autoscaling/engine.js';
import { ScalingAction, type ScalingMetrics } from '../src/autoscaling/types.js';

function fakeClock(iso = '2025-10-20T10:00:00Z') {
  let now = new Date(iso).getTime();
  return { clock: () => new Date(now), advanceMinutes: (m: number) => { now += m * 60_000; }, at: () => new Date(now) };
}

const generousBudget = { hourlyBudget: 1e6, dailyBudget: 1e7, monthlyBudget: 1e8 };
const surge: ScalingMetrics = { queueDepth: 200, validationsPerMinute: 60, arrivalsPerMinute: 60, avgLatencySeconds: 25, activeWorkers: 1 };
const calm = (activeWorkers: number): ScalingMetrics => ({ queueDepth: 0, validationsPerMinute: 10, arrivalsPerMinute: 10, avgLatencySeconds: 25, activeWorkers });

describe('decision.limits', () => {
  it('lists every stage in order, each starting where the last one ended', () => {
    const t = fakeClock();
    const engine = new ScalingEngine({ maxWorkers: 8, costConfig: generousBudget }, { clock: t.clock });
    const d = engine.makeDecision(surge);
    expect(d.limits.map((l) => l.stage)).toEqual(['stabilize', 'budget', 'clamp', 'cooldown']);
    expect(d.limits.map((l) => l.code)).toEqual(['NOT_SCALING_DOWN', 'BUDGET_OK', 'WITHIN_BOUNDS', 'NO_COOLDOWN']);
    for (let i = 1; i < d.limits.length; i++) expect(d.limits[i]?.from).toBe(d.limits[i - 1]?.to);
    expect(d.limits[3]?.to).toBe(d.targetWorkers);
  });

  it('a running cooldown is named first in the reasoning (the seed\'s contract)', () => {
    const t = fakeClock();
    const engine = new ScalingEngine({ maxWorkers: 8, costConfig: generousBudget }, { clock: t.clock });
    engine.makeDecision(surge);
    t.advanceMinutes(1);
    const d = engine.makeDecision({ ...surge, activeWorkers: 8, queueDepth: 400, arrivalsPerMinute: 200 });
    expect(d.limits.map((l) => l.code)).toEqual(['NOT_SCALING_DOWN', 'BUDGET_OK', 'WITHIN_BOUNDS', 'COOLDOWN_NO_ACTION']);
    expect(d.reasoning[0]).toMatch(/^In cooldown period \(4\.0 minutes remaining after scale_up to 8 workers\)$/);
  });

  it('a fleet above max_workers scales back down inside a cooldown', () => {
    const t = fakeClock();
    const engine = new ScalingEngine({ maxWorkers: 10, costConfig: generousBudget }, { clock: t.clock });
    expect(engine.makeDecision(surge).action).toBe(ScalingAction.SCALE_UP);
    t.advanceMinutes(1);
    const d = engine.makeDecision(calm(15));
    expect(d).toMatchObject({ action: ScalingAction.SCALE_DOWN, targetWorkers: 10 });
    expect(d.limits.find((l) => l.stage === 'cooldown')?.code).toBe('COOLDOWN_OUT_OF_RANGE');
  });

  it('a fleet below min_workers scales back up inside a cooldown', () => {
    const t = fakeClock();
    const engine = new ScalingEngine({ minWorkers: 3, maxWorkers: 10, costConfig: generousBudget }, { clock: t.clock });
    expect(engine.makeDecision(calm(8)).action).toBe(ScalingAction.SCALE_DOWN);
    t.advanceMinutes(1);
    const d = engine.makeDecision(calm(1));
    expect(d.action).toBe(ScalingAction.SCALE_UP);
    expect(d.targetWorkers).toBeGreaterThanOrEqual(3);
    expect(d.limits.find((l) => l.stage === 'cooldown')?.code).toBe('COOLDOWN_OUT_OF_RANGE');
  });
});

describe('a hard budget wins over the cooldown (defect 3.2)', () => {
  it('after a scale-up to 5 ($10/h, $2/worker-hour), 10 reported workers are cut to 5 at once', () => {
    const t = fakeClock();
    const engine = new ScalingEngine(
      { maxWorkers: 20, costConfig: { hourlyBudget: 10, dailyBudget: 1e6, monthlyBudget: 1e7, costPerWorkerHour: 2 } },
      { clock: t.clock },
    );
    expect(engine.makeDecision(surge)).toMatchObject({ action: ScalingAction.SCALE_UP, targetWorkers: 5 });
    t.advanceMinutes(1);
    const d = engine.makeDecision(calm(10));
    expect(d).toMatchObject({ action: ScalingAction.SCALE_DOWN, targetWorkers: 5 });
    expect(d.limits.map((l) => l.code)).toEqual(['STABILIZED', 'BUDGET_HOURLY', 'WITHIN_BOUNDS', 'COOLDOWN_BUDGET']);
    expect(d.reasoning[0]).toMatch(/^In cooldown period .*; the budget overrides it$/);
  });
});

describe('burst sizing', () => {
  it.each([
    { name: 'twenty times the forecast', measured: 200, near: 10, burst: true },
    { name: 'twice and beyond the noise', measured: 50, near: 20, burst: true },
    { name: 'under twice the forecast', measured: 19, near: 10, burst: false },
    { name: 'within five sigmas at a low rate', measured: 5, near: 1, burst: false },
  ])('$name', ({ measured, near, burst }) => {
    const r = burstDemand(measured, near);
    expect(r.burst).toBe(burst);
    expect(r.rate).toBeCloseTo(near + 0.5 * (measured - near), 12);
  });

  it('the engine sizes a burst half-way between the forecast and the measurement', () => {
    const t = fakeClock();
    const engine = new ScalingEngine({ maxWorkers: 200, costConfig: generousBudget }, { clock: t.clock });
    for (let i = 0; i < 40; i++) {
      t.advanceMinutes(0.25);
      engine.addMetrics({ timestamp: t.at(), queueDepth: 0, validationsPerMinute: 10, arrivalsPerMinute: 10, avgLatencySeconds: 25, activeWorkers: 8 });
    }
    t.advanceMinutes(0.25);
    const d = engine.makeDecision({ timestamp: t.at(), queueDepth: 0, validationsPerMinute: 10, arrivalsPerMinute: 200, avgLatencySeconds: 25, activeWorkers: 8 });
    const line = d.reasoning.find((r) => r.startsWith('Burst: ')) ?? '';
    const m = /forecast's ([0-9.]+)\/min; sizing on ([0-9.]+)\/min/.exec(line);
    expect(m).not.toBeNull();
    const near = Number(m?.[1]);
    expect(Number(m?.[2])).toBeCloseTo(near + 0.5 * (200 - near), 1);
  });
});

describe('peak forecast windows', () => {
  it('one-minute windows up to an hour, never more than 60 windows', () => {
    const calls: Array<[number, number]> = [];
    const f = { sampleCount: 100, forecastMeanRate: (a: number, b: number) => { calls.push([a, b]); return a; } };
    expect(peakForecastRate(f, 1, 5)).toBe(5);
    expect(calls).toEqual([[1, 2], [2, 3], [3, 4], [4, 5], [5, 6]]);
    calls.length = 0;
    peakForecastRate(f, 1, 1440);
    expect(calls.length).toBeLessThanOrEqual(61);
  });
});
