import { describe, expect, it } from 'vitest';
import { planCapacity } from '../src/autoscaling/capacity.js';
import { ScalingEngine } from '../src/autoscaling/engine.js';
import { ConfigError } from '../src/autoscaling/errors.js';
import { combineScores, predictionScore, rampScore } from '../src/autoscaling/scores.js';
import { ScalingAction, type ScalingMetrics } from '../src/autoscaling/types.js';

/** A clock the test moves by hand. Starts at 00:00 of an hour so budgets are predictable. */
function fakeClock(iso = '2025-10-20T10:00:00Z') {
  let now = new Date(iso).getTime();
  const clock = () => new Date(now);
  return { clock, advanceMinutes: (m: number) => { now += m * 60_000; }, at: () => new Date(now) };
}

const generousBudget = { hourlyBudget: 1e6, dailyBudget: 1e7, monthlyBudget: 1e8 };

describe('scores', () => {
  it.each([
    { name: 'at half target', value: 5, target: 10, want: 0 },
    { name: 'at target', value: 10, target: 10, want: 1 / 3 },
    { name: 'at twice target', value: 20, target: 10, want: 1 },
    { name: 'above', value: 500, target: 10, want: 1 },
    { name: 'zero target', value: 5, target: 0, want: 0 },
  ])('ramp $name', ({ value, target, want }) => {
    expect(rampScore(value, target)).toBeCloseTo(want, 12);
  });

  it.each([
    { name: 'fleet exactly sized', needed: 4, current: 4, want: 1 / 3 },
    { name: 'fleet twice too big', needed: 2, current: 4, want: 0 },
    { name: 'fleet half too small', needed: 8, current: 4, want: 1 },
    { name: 'no workers, load expected', needed: 1, current: 0, want: 1 },
  ])('prediction score: $name', ({ needed, current, want }) => {
    expect(predictionScore(needed, current)).toBeCloseTo(want, 12);
  });

  it('weights are the brief\'s and cost pressure pushes toward scaling down', () => {
    const relaxed = combineScores(1, 1, 1, 0);
    const strained = combineScores(1, 1, 1, 1);
    expect(relaxed.combined).toBeCloseTo(0.85, 12);
    expect(strained.combined).toBeCloseTo(0.7, 12);
    expect(combineScores(0, 0, 0, 1).combined).toBe(0);
    expect(combineScores(0.5, 0.5, 0.5, 0).combined).toBeCloseTo(0.425, 12);
  });
});

describe("v2.9.0's own test expectations", () => {
  it('moderate load keeps the current fleet in view', () => {
    const { clock } = fakeClock();
    const engine = new ScalingEngine({ minWorkers: 1, maxWorkers: 10 }, { clock });
    const m = { queueDepth: 8, validationsPerMinute: 3, avgLatencySeconds: 25, activeWorkers: 3 };
    for (let i = 0; i < 15; i++) engine.addMetrics(m);
    const d = engine.makeDecision(m);
    expect(d.currentWorkers).toBe(3);
    expect(d.targetWorkers).toBeGreaterThanOrEqual(1);
    expect(d.targetWorkers).toBeLessThanOrEqual(10);
  });

  it('rising load scales up', () => {
    const { clock } = fakeClock();
    const engine = new ScalingEngine({ minWorkers: 1, maxWorkers: 10, scaleUpThreshold: 0.6 }, { clock });
    for (let i = 0; i < 15; i++) {
      engine.addMetrics({ queueDepth: 20 + i, validationsPerMinute: 5 + i * 0.5, avgLatencySeconds: 40 + i, activeWorkers: 2 });
    }
    const d = engine.makeDecision({ queueDepth: 50, validationsPerMinute: 15, avgLatencySeconds: 60, activeWorkers: 2 });
    expect(d.action).toBe(ScalingAction.SCALE_UP);
    expect(d.targetWorkers).toBeGreaterThan(d.currentWorkers);
  });

  it('low load scales down by at least one, not below min', () => {
    const { clock } = fakeClock();
    const engine = new ScalingEngine({ minWorkers: 1, maxWorkers: 10, scaleDownThreshold: 0.4 }, { clock });
    for (let i = 0; i < 15; i++) engine.addMetrics({ queueDepth: 2, validationsPerMinute: 1, avgLatencySeconds: 10, activeWorkers: 5 });
    const d = engine.makeDecision({ queueDepth: 1, validationsPerMinute: 0.5, avgLatencySeconds: 8, activeWorkers: 5 });
    expect(d.action).toBe(ScalingAction.SCALE_DOWN);
    expect(d.targetWorkers).toBeLessThan(5);
    expect(d.targetWorkers).toBeGreaterThanOrEqual(1);
  });

  it('a decision right after a scaling action is NO_CHANGE with "cooldown" first', () => {
    const { clock } = fakeClock();
    const engine = new ScalingEngine({ minWorkers: 1, maxWorkers: 10, cooldownMinutes: 5, scaleUpThreshold: 0.6 }, { clock });
    for (let i = 0; i < 15; i++) engine.addMetrics({ queueDepth: 30 + i, validationsPerMinute: 10 + i * 0.5, avgLatencySeconds: 50, activeWorkers: 2 });
    const m = { queueDepth: 50, validationsPerMinute: 15, avgLatencySeconds: 60, activeWorkers: 2 };
    const first = engine.makeDecision(m);
    expect(first.action).not.toBe(ScalingAction.NO_CHANGE);
    const second = engine.makeDecision(m);
    expect(second.action).toBe(ScalingAction.NO_CHANGE);
    expect(second.reasoning[0]?.toLowerCase()).toContain('cooldown');
    expect(second.reasoning[0]).toMatch(/5\.0 minutes remaining/);
  });
});

describe('sizing', () => {
  it('scales up in one step to what the queueing model needs', () => {
    const { clock } = fakeClock();
    const engine = new ScalingEngine({ maxWorkers: 100, costConfig: generousBudget }, { clock });
    // 72/min at 25 s = 30 workers of load; 2 running.
    const d = engine.makeDecision({ queueDepth: 40, validationsPerMinute: 72, arrivalsPerMinute: 72, avgLatencySeconds: 25, activeWorkers: 2 });
    expect(d.action).toBe(ScalingAction.SCALE_UP);
    expect(d.targetWorkers).toBeGreaterThanOrEqual(34);
    expect(d.reasoning.some((r) => r.startsWith('Size: '))).toBe(true);
    expect(d.reasoning.some((r) => r.startsWith('Panic mode'))).toBe(true);
  });

  it('scales down gradually and never below the stabilization window\'s highest recommendation', () => {
    const t = fakeClock();
    const engine = new ScalingEngine({ maxWorkers: 100, cooldownMinutes: 1, scaleDownStabilizationSeconds: 300, costConfig: generousBudget }, { clock: t.clock });
    const sized = planCapacity({ arrivalsPerMinute: 48, serviceSeconds: 25, queueDepth: 0, targetWaitSeconds: 30, waitPercentile: 0.95, backlogDrainSeconds: 120, maxUtilization: 0.9 }).workers;
    const busy = { queueDepth: 0, validationsPerMinute: 48, arrivalsPerMinute: 48, avgLatencySeconds: 25, activeWorkers: sized };
    const quiet = { ...busy, validationsPerMinute: 2, arrivalsPerMinute: 2 };
    expect(engine.makeDecision(busy).action).toBe(ScalingAction.NO_CHANGE);
    t.advanceMinutes(2);
    const held = engine.makeDecision(quiet);
    expect(held.action).toBe(ScalingAction.NO_CHANGE);
    expect(held.reasoning.join('\n')).toMatch(new RegExp(`Stabilize: highest recommendation in the last 300s is ${sized}; keeping ${sized}`));
    t.advanceMinutes(4); // the busy recommendation is now older than 300 s
    const down = engine.makeDecision(quiet);
    expect(down.action).toBe(ScalingAction.SCALE_DOWN);
    expect(down.targetWorkers).toBe(sized - Math.floor(sized / 2)); // at most half the fleet in one step
  });

  it('sees a forecast rise one start-up ahead (predictive scale-up before the queue builds)', () => {
    const t = fakeClock('2025-09-01T00:00:00Z'); // a Monday
    const engine = new ScalingEngine({ maxWorkers: 60, cooldownMinutes: 5, workerStartupSeconds: 120, costConfig: generousBudget }, { clock: t.clock });
    const rateAt = (ms: number) => {
      const d = new Date(ms);
      const monday = d.getUTCDay() === 1;
      const minute = d.getUTCHours() * 60 + d.getUTCMinutes();
      return monday && minute >= 540 && minute < 570 ? 60 : 4;
    };
    const start = t.at().getTime();
    const until = start + (21 * 1440 + 535) * 60_000; // three weeks, then Monday 08:55
    for (let ms = start; ms < until; ms += 60_000) {
      const rate = rateAt(ms);
      engine.addMetrics({ timestamp: new Date(ms + 60_000), queueDepth: 0, validationsPerMinute: rate, arrivalsPerMinute: rate, avgLatencySeconds: 25, activeWorkers: 3 });
    }
    const at = new Date(until);
    const d = engine.makeDecision({ timestamp: at, queueDepth: 0, validationsPerMinute: 4, arrivalsPerMinute: 4, avgLatencySeconds: 25, activeWorkers: 3 });
    expect(at.toISOString()).toBe('2025-09-22T08:55:00.000Z');
    expect(d.action).toBe(ScalingAction.SCALE_UP);
    expect(d.targetWorkers).toBeGreaterThanOrEqual(20);
    // Driven by the forecast, not by the load of now, and the reasoning says so.
    expect(d.reasoning.some((r) => r.startsWith('Predictive scale-up: forecast'))).toBe(true);
  });
});

describe('bursts and service variability', () => {
  function warmed(t: ReturnType<typeof fakeClock>) {
    const engine = new ScalingEngine({ maxWorkers: 200, costConfig: generousBudget }, { clock: t.clock });
    for (let i = 0; i < 40; i++) {
      t.advanceMinutes(0.25);
      engine.addMetrics({ timestamp: t.at(), queueDepth: 0, validationsPerMinute: 10, arrivalsPerMinute: 10, avgLatencySeconds: 25, activeWorkers: 8 });
    }
    return engine;
  }

  it.each([
    { name: 'Poisson-sized noise is not a burst', measured: 16, burst: false },
    { name: 'under twice the forecast is not a burst', measured: 19, burst: false },
    { name: 'twenty times the forecast is a burst', measured: 200, burst: true },
  ])('$name', ({ measured, burst }) => {
    const t = fakeClock();
    const engine = warmed(t);
    t.advanceMinutes(0.25);
    const d = engine.makeDecision({ timestamp: t.at(), queueDepth: 0, validationsPerMinute: 10, arrivalsPerMinute: measured, avgLatencySeconds: 25, activeWorkers: 8 });
    expect(d.reasoning.some((r) => r.startsWith('Burst: '))).toBe(burst);
    // A burst is sized on half-way to the measurement (≈ 10 + 0.5 × 190 = 105/min ⇒ ≥ 44 workers of load).
    if (burst) expect(d.targetWorkers).toBeGreaterThanOrEqual(44);
    else expect(d.targetWorkers).toBeLessThan(20);
  });

  it('less variable service times (measured cv) need fewer workers for the same wait target', () => {
    const t = fakeClock();
    const m = { queueDepth: 0, validationsPerMinute: 60, arrivalsPerMinute: 60, avgLatencySeconds: 25, activeWorkers: 1 };
    const exponential = new ScalingEngine({ maxWorkers: 200, maxUtilization: 1, costConfig: generousBudget }, { clock: t.clock }).makeDecision(m);
    const steady = new ScalingEngine({ maxWorkers: 200, maxUtilization: 1, costConfig: generousBudget }, { clock: t.clock }).makeDecision({ ...m, serviceTimeCv: 0.3 });
    expect(steady.targetWorkers).toBeLessThan(exponential.targetWorkers);
    expect(steady.targetWorkers).toBeGreaterThan(25); // still above the offered load of 25 workers
  });
});

describe('cooldown', () => {
  it('separate up/down cooldowns; a panic may break a scale-down cooldown', () => {
    const t = fakeClock();
    const engine = new ScalingEngine(
      { maxWorkers: 50, scaleUpCooldownMinutes: 1, scaleDownCooldownMinutes: 10, scaleDownStabilizationSeconds: 0, costConfig: generousBudget },
      { clock: t.clock },
    );
    const quiet = { queueDepth: 0, validationsPerMinute: 1, arrivalsPerMinute: 1, avgLatencySeconds: 20, activeWorkers: 10 };
    expect(engine.makeDecision(quiet).action).toBe(ScalingAction.SCALE_DOWN);
    t.advanceMinutes(2);
    const stillQuiet = engine.makeDecision({ ...quiet, activeWorkers: 5 });
    expect(stillQuiet.action).toBe(ScalingAction.NO_CHANGE);
    expect(stillQuiet.reasoning[0]).toMatch(/cooldown/);
    const surge = engine.makeDecision({ queueDepth: 200, validationsPerMinute: 60, arrivalsPerMinute: 60, avgLatencySeconds: 20, activeWorkers: 5 });
    expect(surge.action).toBe(ScalingAction.SCALE_UP);
    expect(surge.reasoning.join('\n')).toMatch(/Panic mode/);
  });
});

describe('budget', () => {
  it.each([
    { name: 'hourly', cost: { hourlyBudget: 10, dailyBudget: 1e6, monthlyBudget: 1e7 }, spend: { hourCost: 0, dayCost: 0, monthCost: 0 }, want: 5, word: 'hourly' },
    { name: 'daily', cost: { hourlyBudget: 1e6, dailyBudget: 100, monthlyBudget: 1e7 }, spend: { hourCost: 0, dayCost: 80, monthCost: 80 }, want: 10, word: 'daily' },
    { name: 'monthly', cost: { hourlyBudget: 1e6, dailyBudget: 1e6, monthlyBudget: 1000 }, spend: { hourCost: 0, dayCost: 0, monthCost: 986 }, want: 7, word: 'monthly' },
  ])('$name budget trims the scale-up and says which', ({ cost, spend, want, word }) => {
    const { clock } = fakeClock();
    const engine = new ScalingEngine({ maxWorkers: 100, costConfig: { ...cost, costPerWorkerHour: 2 } }, { clock });
    engine.costOptimizer.updateCosts(spend);
    const d = engine.makeDecision({ queueDepth: 500, validationsPerMinute: 120, arrivalsPerMinute: 120, avgLatencySeconds: 25, activeWorkers: 2 });
    expect(d.targetWorkers).toBe(want);
    expect(d.reasoning.join('\n')).toMatch(new RegExp(`Would exceed ${word} budget \\(\\$[0-9.]+ > \\$[0-9.]+\\)`));
  });
});

describe('robustness against numeric garbage', () => {
  const good: ScalingMetrics = { queueDepth: 3, validationsPerMinute: 2, avgLatencySeconds: 20, activeWorkers: 4 };
  const garbage: Array<[string, unknown]> = [
    ['NaN', NaN], ['+Infinity', Infinity], ['-Infinity', -Infinity], ['negative', -5], ['huge', 1e300],
    ['string', '12'], ['null', null],
  ];
  const fields = ['queueDepth', 'validationsPerMinute', 'avgLatencySeconds', 'activeWorkers', 'currentCostPerHour', 'cpuUsage'] as const;
  for (const field of fields) {
    it.each(garbage)(`${field} = %s never throws, never scales down, stays in [min, max]`, (_label, value) => {
      const { clock } = fakeClock();
      const engine = new ScalingEngine({ minWorkers: 2, maxWorkers: 8 }, { clock });
      const m = { ...good, [field]: value } as unknown as ScalingMetrics;
      expect(() => engine.addMetrics(m)).not.toThrow();
      const d = engine.makeDecision(m);
      expect(Number.isInteger(d.targetWorkers)).toBe(true);
      expect(d.targetWorkers).toBeGreaterThanOrEqual(2);
      expect(d.targetWorkers).toBeLessThanOrEqual(8);
      if (['queueDepth', 'validationsPerMinute', 'avgLatencySeconds', 'activeWorkers'].includes(field)) {
        expect(d.action).not.toBe(ScalingAction.SCALE_DOWN);
      }
      expect(d.reasoning.join('\n')).toContain(field);
      expect(Number.isFinite(d.confidence)).toBe(true);
    });
  }

  it('an empty object is survivable', () => {
    const engine = new ScalingEngine({}, { clock: fakeClock().clock });
    const d = engine.makeDecision({} as ScalingMetrics);
    expect(d.targetWorkers).toBeGreaterThanOrEqual(1);
    expect(d.action).not.toBe(ScalingAction.SCALE_DOWN);
  });
});

describe('configuration', () => {
  it('accepts the brief\'s snake_case keys', () => {
    const engine = new ScalingEngine({ min_workers: 2, max_workers: 7, cost_config: { hourly_budget: 20 } } as never);
    expect(engine.config.minWorkers).toBe(2);
    expect(engine.config.maxWorkers).toBe(7);
    expect(engine.config.costConfig.hourlyBudget).toBe(20);
  });

  it.each([
    { name: 'unknown key with suggestion', cfg: { maxWorker: 3 }, msg: /unknown setting maxWorker — did you mean maxWorkers\?/ },
    { name: 'min above max', cfg: { minWorkers: 5, maxWorkers: 2 }, msg: /minWorkers: must be <= maxWorkers \(2\); got 5/ },
    { name: 'thresholds crossed', cfg: { scaleUpThreshold: 0.2, scaleDownThreshold: 0.5 }, msg: /scaleDownThreshold: must be < scaleUpThreshold \(0.2\); got 0.5/ },
    { name: 'negative budget', cfg: { costConfig: { dailyBudget: -1 } }, msg: /costConfig.dailyBudget: must be a number > 0; got -1/ },
    { name: 'NaN field', cfg: { targetLatencySeconds: NaN }, msg: /targetLatencySeconds: must be a number in \(0, 86400\]; got NaN/ },
  ])('rejects $name', ({ cfg, msg }) => {
    expect(() => new ScalingEngine(cfg as never)).toThrow(ConfigError);
    expect(() => new ScalingEngine(cfg as never)).toThrow(msg);
  });
});

describe('state', () => {
  it('exportState/importState continues with identical decisions', () => {
    const t = fakeClock();
    const a = new ScalingEngine({ maxWorkers: 40, costConfig: generousBudget }, { clock: t.clock });
    for (let i = 0; i < 200; i++) {
      t.advanceMinutes(0.25);
      const rate = 20 + 10 * Math.sin(i / 15);
      const m = { timestamp: t.at(), queueDepth: i % 7, validationsPerMinute: rate, arrivalsPerMinute: rate, avgLatencySeconds: 25, activeWorkers: 12 };
      a.addMetrics(m);
      a.makeDecision(m);
    }
    const b = ScalingEngine.importState(a.exportState(), { maxWorkers: 40, costConfig: generousBudget }, { clock: t.clock });
    for (let i = 0; i < 50; i++) {
      t.advanceMinutes(0.25);
      const m = { timestamp: t.at(), queueDepth: i % 5, validationsPerMinute: 30, arrivalsPerMinute: 30, avgLatencySeconds: 25, activeWorkers: 12 };
      a.addMetrics(m);
      b.addMetrics(m);
      expect(b.makeDecision(m)).toEqual(a.makeDecision(m));
    }
  });
});
