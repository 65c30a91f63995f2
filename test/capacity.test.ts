import { describe, expect, it } from 'vitest';
import { erlangB, erlangC, planCapacity, probabilityWaitExceeds, variabilityFactor, workersForWait } from '../src/autoscaling/capacity.js';

const base = { serviceSeconds: 25, queueDepth: 0, targetWaitSeconds: 30, waitPercentile: 0.95, backlogDrainSeconds: 120, maxUtilization: 0.9 };

describe('Erlang formulas', () => {
  it.each([
    // Textbook values: B(1,1) = 0.5; B(2,1) = 0.2; C(2,1) = 1/3; C(1, 0.5) = 0.5 (M/M/1: P(wait) = rho).
    { name: 'B(1,1)', got: () => erlangB(1, 1), want: 0.5 },
    { name: 'B(2,1)', got: () => erlangB(2, 1), want: 0.2 },
    { name: 'C(2,1)', got: () => erlangC(2, 1), want: 1 / 3 },
    { name: 'C(1,0.5) = rho', got: () => erlangC(1, 0.5), want: 0.5 },
    { name: 'C unstable = 1', got: () => erlangC(3, 3), want: 1 },
    { name: 'C no load = 0', got: () => erlangC(3, 0), want: 0 },
  ])('$name', ({ got, want }) => {
    expect(got()).toBeCloseTo(want, 10);
  });

  it('M/M/1 wait tail matches rho·exp(-(mu-lambda)t)', () => {
    const lambda = 0.5, s = 1;
    expect(probabilityWaitExceeds(1, lambda, s, 2)).toBeCloseTo(0.5 * Math.exp(-(1 - 0.5) * 2), 12);
  });

  it('workersForWait returns the smallest N meeting the percentile', () => {
    const n = workersForWait(1.2, 25, 30, 0.95);
    expect(probabilityWaitExceeds(n, 1.2, 25, 30)).toBeLessThanOrEqual(0.05);
    expect(probabilityWaitExceeds(n - 1, 1.2, 25, 30)).toBeGreaterThan(0.05);
  });
});

describe('planCapacity', () => {
  it.each([
    { name: 'idle: no arrivals, no backlog', input: { arrivalsPerMinute: 0 }, workers: 0, binding: 'idle' },
    { name: 'one per minute needs 2 to start 95 % within 30 s', input: { arrivalsPerMinute: 1 }, workers: 2, binding: 'wait' },
    { name: 'load 30 at 90 % utilization cap → 34', input: { arrivalsPerMinute: 72 }, workers: 34, binding: 'utilization' },
    { name: 'backlog of 50 at 60 s service drains in 120 s', input: { arrivalsPerMinute: 15, serviceSeconds: 60, queueDepth: 50 }, workers: 40, binding: 'backlog' },
    { name: 'backlog alone', input: { arrivalsPerMinute: 0, queueDepth: 100 }, workers: 21, binding: 'backlog' },
  ])('$name', ({ input, workers, binding }) => {
    const plan = planCapacity({ ...base, ...input });
    expect(plan.workers).toBe(workers);
    expect(plan.binding).toBe(binding);
    expect(plan.reason).toMatch(/^Size: /);
  });

  it('is monotone in the arrival rate', () => {
    let last = 0;
    for (let r = 0; r <= 600; r += 7) {
      const w = planCapacity({ ...base, arrivalsPerMinute: r }).workers;
      expect(w).toBeGreaterThanOrEqual(last);
      last = w;
    }
  });

  it('never plans a fleet the load would saturate', () => {
    for (const r of [3, 30, 300, 3000]) {
      const plan = planCapacity({ ...base, arrivalsPerMinute: r });
      expect(plan.workers).toBeGreaterThan(plan.offeredLoad);
    }
  });
});

describe('service-time variability (Allen–Cunneen)', () => {
  it.each([
    { name: 'exponential service is M/M/N', cv: 1, factor: 1 },
    { name: 'cv 0.5 queues 62.5 % as long', cv: 0.5, factor: 0.625 },
    { name: 'deterministic service is floored at half', cv: 0, factor: 0.5 },
    { name: 'heavy tail queues longer', cv: 2, factor: 2.5 },
    { name: 'absurd cv clamped to 3', cv: 50, factor: 5 },
    { name: 'NaN falls back to exponential', cv: NaN, factor: 1 },
  ])('$name', ({ cv, factor }) => {
    expect(variabilityFactor(cv)).toBeCloseTo(factor, 12);
  });

  it('less variable service needs no more workers, more variable no fewer', () => {
    for (const rate of [6, 30, 120, 600]) {
      const plan = (serviceCv: number) => planCapacity({ ...base, arrivalsPerMinute: rate, maxUtilization: 1, serviceCv }).workers;
      expect(plan(0.5)).toBeLessThanOrEqual(plan(1));
      expect(plan(2)).toBeGreaterThanOrEqual(plan(1));
    }
  });
});
