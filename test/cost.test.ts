import { describe, it, expect } from 'vitest';
import { CostOptimizer, UNLIMITED_WORKERS, type CostUpdate } from '../src/autoscaling/cost.js';
import { ConfigError } from '../src/autoscaling/errors.js';
import type { CostConfig } from '../src/autoscaling/scaling-config.js';
import type { BudgetAlert } from '../src/autoscaling/types.js';

/** A settable fake clock. */
function fakeClock(iso: string): { clock: () => Date; set: (iso: string) => void; advance: (ms: number) => void } {
  let t = Date.parse(iso);
  return {
    clock: () => new Date(t),
    set: (next) => { t = Date.parse(next); },
    advance: (ms) => { t += ms; },
  };
}

function optimizerAt(iso: string, config: Partial<CostConfig> = {}, costs: CostUpdate = {}) {
  const c = fakeClock(iso);
  const alerts: BudgetAlert[] = [];
  const opt = new CostOptimizer(config, { clock: c.clock, onAlert: (a) => alerts.push(a) });
  opt.updateCosts(costs);
  return { opt, alerts, ...c };
}

const MINUTE = 60_000;
const HOUR = 3_600_000;

describe('CostOptimizer: the original tests (fake clock at the start of an hour)', () => {
  it('keeps the brief config', () => {
    const { opt } = optimizerAt('2025-10-15T10:00:00Z', { hourlyBudget: 10, dailyBudget: 200, monthlyBudget: 5000 });
    expect(opt.config).toMatchObject({ hourlyBudget: 10, dailyBudget: 200, monthlyBudget: 5000, costPerWorkerHour: 2, alertThreshold: 0.8, timezone: 'UTC' });
  });
  it('cost score low: (3.0, 2) → 0, even at the start of a 31-day month', () => {
    const { opt } = optimizerAt('2025-10-01T00:00:00Z', { hourlyBudget: 10 });
    expect(opt.calculateCostScore(3.0, 2)).toBe(0);
  });
  it('cost score high: (9.5, 5) → 1', () => {
    const { opt } = optimizerAt('2025-10-01T00:00:00Z', { hourlyBudget: 10 });
    expect(opt.calculateCostScore(9.5, 5)).toBe(1);
  });
  it('hour spend 4, 2 → 3 workers is within budget', () => {
    const { opt } = optimizerAt('2025-10-15T10:00:00Z', { hourlyBudget: 10, costPerWorkerHour: 2 }, { hourCost: 4 });
    const r = opt.canScaleUp(2, 3);
    expect(r.allowed).toBe(true);
    expect(r.reason.toLowerCase()).toContain('within budget');
  });
  it('hour spend 9, 4 → 6 workers would exceed', () => {
    const { opt } = optimizerAt('2025-10-15T10:00:00Z', { hourlyBudget: 10, costPerWorkerHour: 2 }, { hourCost: 9 });
    const r = opt.canScaleUp(4, 6);
    expect(r.allowed).toBe(false);
    expect(r.reason.toLowerCase()).toContain('exceed');
  });
  it('rejects a bad config naming the field', () => {
    expect(() => new CostOptimizer({ hourlyBudget: 0 })).toThrow(ConfigError);
    expect(() => new CostOptimizer({ alertThreshold: 1.5 })).toThrow(/alertThreshold/);
  });
  it('takes the brief\'s snake_case dict too, with the same schema', () => {
    const opt = new CostOptimizer({ hourly_budget: 10, daily_budget: 200, monthly_budget: 5000, cost_per_worker_hour: 2 });
    expect(opt.config).toMatchObject({ hourlyBudget: 10, dailyBudget: 200, monthlyBudget: 5000, costPerWorkerHour: 2 });
    expect(() => new CostOptimizer({ hourly_budgte: 10 })).toThrow(/unknown setting hourly_budgte — did you mean hourly_budget\?/);
    expect(() => new CostOptimizer({ monthlyBudget: 1e13 })).toThrow(/monthlyBudget: must be a number <= 1e12; got 10000000000000/);
  });
});

describe('calculateCostScore', () => {
  // 23:00 on the last day of the month: one hour left of the day and month, so only the
  // hourly run-rate matters and the original curve shows through.
  const LAST_HOUR = '2025-10-31T23:00:00Z';
  const cases: Array<{ name: string; cost: number | undefined; workers: number; score: number }> = [
    { name: 'u 0.3 → 0', cost: 3, workers: 2, score: 0 },
    { name: 'u 0.5 → 0', cost: 5, workers: 2, score: 0 },
    { name: 'u 0.7 → 0.5', cost: 7, workers: 2, score: 0.5 },
    { name: 'u 0.9 → 1', cost: 9, workers: 2, score: 1 },
    { name: 'u 0.95 → 1', cost: 9.5, workers: 5, score: 1 },
    { name: 'NaN cost → 4 workers × $2 = u 0.8 → 0.75', cost: NaN, workers: 4, score: 0.75 },
    { name: 'negative cost → workers', cost: -5, workers: 4, score: 0.75 },
    { name: '+Infinity cost → workers', cost: Infinity, workers: 4, score: 0.75 },
    { name: 'missing cost → workers', cost: undefined, workers: 4, score: 0.75 },
    { name: 'garbage cost and workers → 0', cost: NaN, workers: NaN, score: 0 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { opt } = optimizerAt(LAST_HOUR);
      expect(opt.calculateCostScore(c.cost, c.workers)).toBeCloseTo(c.score, 10);
    });
  }
  it('uses the monthly projection when it is the worst (start of month, $6/h)', () => {
    const { opt } = optimizerAt('2025-10-01T00:00:00Z');
    // hourly 0.6, daily 144/200 = 0.72, monthly 6 × 744 h / 5000 = 0.8928
    expect(opt.calculateCostScore(6, 3)).toBeCloseTo((0.8928 - 0.5) / 0.4, 10);
  });
  it('uses spend so far in the day', () => {
    const { opt } = optimizerAt('2025-10-31T12:00:00Z', {}, { dayCost: 150 });
    // daily: 150 + 2 × 12 h = 174 / 200 = 0.87 → (0.87 - 0.5) / 0.4
    expect(opt.calculateCostScore(2, 1)).toBeCloseTo(0.925, 10);
  });
});

describe('canScaleUp: every budget, trimmed to what fits', () => {
  const cases: Array<{
    name: string; at: string; costs: CostUpdate; current: number; target: number; config?: Partial<CostConfig>;
    allowed: boolean; max: number; reason: string[];
  }> = [
    { name: 'hourly fits exactly', at: '2025-10-15T10:00:00Z', costs: { hourCost: 4 }, current: 2, target: 3, allowed: true, max: 3, reason: ['Within budget'] },
    { name: 'hourly exceeded', at: '2025-10-15T10:00:00Z', costs: { hourCost: 9 }, current: 4, target: 6, allowed: false, max: 0,
      reason: ['Would exceed hourly budget ($21.00 > $10.00) by $11.00', 'max affordable 0 workers (limited by the hourly budget)'] },
    { name: 'half an hour left: only the rest of the hour counts', at: '2025-10-15T10:30:00Z', costs: { hourCost: 5 }, current: 2, target: 5, allowed: true, max: 5, reason: ['Within budget'] },
    { name: 'at :59 the next full hour must fit too', at: '2025-10-15T10:59:00Z', costs: { hourCost: 9 }, current: 4, target: 6, allowed: false, max: 5,
      reason: ['Would exceed hourly budget ($12.00 > $10.00) by $2.00 in the next full hour at 6 workers', 'max affordable 5 workers'] },
    { name: 'daily (the original added only the increment)', at: '2025-10-15T10:00:00Z', costs: { dayCost: 195 }, current: 2, target: 3, allowed: false, max: 2,
      reason: ['Would exceed daily budget ($201.00 > $200.00) by $1.00', 'max affordable 2 workers (limited by the daily budget)'] },
    { name: 'monthly (the original never checked it)', at: '2025-10-15T10:00:00Z', costs: { monthCost: 4996 }, current: 1, target: 3, allowed: false, max: 2,
      reason: ['Would exceed monthly budget ($5002.00 > $5000.00) by $2.00', 'limited by the monthly budget'] },
    { name: 'monthly fits', at: '2025-10-15T10:00:00Z', costs: { monthCost: 4994 }, current: 1, target: 3, allowed: true, max: 3, reason: ['Within budget'] },
    { name: 'hourly and daily both exceeded', at: '2025-10-15T10:00:00Z', costs: { hourCost: 9, dayCost: 199 }, current: 4, target: 6, allowed: false, max: 0,
      reason: ['Would exceed hourly budget ($21.00 > $10.00) by $11.00', 'Would exceed daily budget ($211.00 > $200.00) by $11.00'] },
    { name: 'already over: nothing fits, not even the current fleet', at: '2025-10-15T10:00:00Z', costs: { hourCost: 11 }, current: 3, target: 4, allowed: false, max: 0,
      reason: ['Would exceed hourly budget ($19.00 > $10.00)'] },
    { name: 'free workers are unlimited', at: '2025-10-15T10:00:00Z', costs: {}, current: 1, target: 500, config: { costPerWorkerHour: 0 }, allowed: true, max: UNLIMITED_WORKERS, reason: ['Within budget'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { opt } = optimizerAt(c.at, c.config, c.costs);
      const r = opt.canScaleUp(c.current, c.target);
      expect(r.allowed).toBe(c.allowed);
      expect(r.maxAffordableWorkers).toBe(c.max);
      for (const part of c.reason) expect(r.reason).toContain(part);
      if (c.max !== UNLIMITED_WORKERS && c.max > 0) {
        expect(opt.canScaleUp(c.current, c.max).allowed).toBe(true);
      }
      if (c.max !== UNLIMITED_WORKERS) expect(opt.canScaleUp(c.current, c.max + 1).allowed).toBe(false);
    });
  }
  it('never throws on garbage worker counts', () => {
    const { opt } = optimizerAt('2025-10-15T10:00:00Z');
    expect(opt.canScaleUp(NaN, 3).allowed).toBe(true);
    expect(opt.canScaleUp(2, -4).allowed).toBe(true);
    expect(opt.canScaleUp(2, Infinity).allowed).toBe(false);
  });
});

describe('shouldScaleDownForCost', () => {
  const cases: Array<{ name: string; at: string; costs: CostUpdate; current: number; scaleDown: boolean; target: number; reason: string }> = [
    { name: 'within every budget', at: '2025-10-15T10:00:00Z', costs: {}, current: 3, scaleDown: false, target: 3, reason: 'Within budget' },
    { name: 'hourly projection over → remove to fit', at: '2025-10-15T10:30:00Z', costs: { hourCost: 8 }, current: 5, scaleDown: true, target: 2, reason: 'Over hourly budget: projected $13.00 > $10.00 by $3.00' },
    { name: 'run-rate above the hourly budget at :59', at: '2025-10-15T10:59:00Z', costs: {}, current: 6, scaleDown: true, target: 5, reason: 'Over hourly budget: projected $12.00' },
    { name: 'daily projection over', at: '2025-10-15T10:00:00Z', costs: { dayCost: 150 }, current: 2, scaleDown: true, target: 1, reason: 'Over daily budget: projected $206.00 > $200.00' },
    { name: 'monthly projection over', at: '2025-10-15T10:00:00Z', costs: { monthCost: 4000 }, current: 2, scaleDown: true, target: 1, reason: 'Over monthly budget' },
    { name: 'spend at the alert threshold → one fewer', at: '2025-10-15T23:00:00Z', costs: { dayCost: 165 }, current: 1, scaleDown: true, target: 0, reason: 'Approaching daily budget limit (82.5%)' },
    { name: 'at the alert threshold with no fleet', at: '2025-10-15T23:00:00Z', costs: { dayCost: 165 }, current: 0, scaleDown: false, target: 0, reason: 'Approaching daily budget limit' },
    { name: 'over budget with no fleet left to remove', at: '2025-10-15T10:00:00Z', costs: { hourCost: 12 }, current: 0, scaleDown: false, target: 0, reason: 'Over hourly budget' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { opt } = optimizerAt(c.at, {}, c.costs);
      const r = opt.shouldScaleDownForCost(c.current);
      expect(r).toMatchObject({ scaleDown: c.scaleDown, targetWorkers: c.target });
      expect(r.reason).toContain(c.reason);
      expect(r.targetWorkers).toBeGreaterThanOrEqual(0);
      expect(r.targetWorkers).toBeLessThanOrEqual(c.current);
    });
  }
});

describe('ledger: rollover with a fake clock', () => {
  it('restarts hour, day and month at their boundaries', () => {
    const { opt, set } = optimizerAt('2025-10-31T22:30:00Z', {}, { hourCost: 5, dayCost: 50, monthCost: 500 });
    const current = () => {
      const s = opt.getBudgetStatus();
      return [s.hourly.current, s.daily.current, s.monthly.current];
    };
    set('2025-10-31T22:59:59.999Z');
    expect(current()).toEqual([5, 50, 500]);
    set('2025-10-31T23:00:00Z');
    expect(current()).toEqual([0, 50, 500]);
    set('2025-11-01T00:00:00Z');
    expect(current()).toEqual([0, 0, 0]);
  });
  it('the day rolls without the month', () => {
    const { opt, set } = optimizerAt('2025-10-15T23:10:00Z', {}, { dayCost: 50, monthCost: 500 });
    set('2025-10-16T00:00:00Z');
    expect(opt.getBudgetStatus().daily.current).toBe(0);
    expect(opt.getBudgetStatus().monthly.current).toBe(500);
  });
  it('accrues worker-seconds into the periods containing `at`', () => {
    const { opt, set } = optimizerAt('2025-10-15T10:15:00Z');
    opt.recordWorkerSeconds(3600); // one worker-hour = $2
    opt.recordWorkerSeconds(1800, new Date('2025-10-15T10:45:00Z'));
    expect(opt.getBudgetStatus().hourly.current).toBeCloseTo(3, 10);
    set('2025-10-15T11:10:00Z');
    // Belongs to the 10:00 hour, which has ended: counts for the day and month only.
    opt.recordWorkerSeconds(3600, new Date('2025-10-15T10:50:00Z'));
    const s = opt.getBudgetStatus();
    expect([s.hourly.current, s.daily.current, s.monthly.current]).toEqual([0, 5, 5]);
  });
  it('an accrual stamped in the next hour rolls that hour in', () => {
    const { opt } = optimizerAt('2025-10-15T10:59:00Z', {}, { hourCost: 7 });
    opt.recordWorkerSeconds(1800, new Date('2025-10-15T11:00:30Z'));
    expect(opt.getBudgetStatus().hourly.current).toBeCloseTo(1, 10);
  });
  it('rejects bad inputs naming the field', () => {
    const { opt } = optimizerAt('2025-10-15T10:00:00Z');
    expect(() => opt.updateCosts({ hourCost: NaN })).toThrow(/hourCost.*NaN/);
    expect(() => opt.updateCosts({ monthCost: -1 })).toThrow(/monthCost.*-1/);
    expect(() => opt.recordWorkerSeconds(-5)).toThrow(/workerSeconds.*-5/);
    expect(() => opt.recordWorkerSeconds(5, new Date('nope'))).toThrow(/valid Date/);
  });
});

describe('time zones', () => {
  it('America/New_York: the day rolls at local midnight (04:00 UTC in October)', () => {
    const ny = optimizerAt('2025-10-15T03:30:00Z', { timezone: 'America/New_York' }, { dayCost: 50 });
    const utc = optimizerAt('2025-10-15T03:30:00Z', {}, { dayCost: 50 });
    for (const o of [ny, utc]) o.set('2025-10-15T03:59:00Z');
    expect(ny.opt.getBudgetStatus().daily.current).toBe(50);
    expect(utc.opt.getBudgetStatus().daily.current).toBe(50);
    for (const o of [ny, utc]) o.set('2025-10-15T04:00:00Z');
    expect(ny.opt.getBudgetStatus().daily.current).toBe(0);
    expect(utc.opt.getBudgetStatus().daily.current).toBe(50);
  });
  it('Asia/Kolkata: hours roll at :30 UTC', () => {
    const k = optimizerAt('2025-10-15T10:10:00Z', { timezone: 'Asia/Kolkata' }, { hourCost: 4 });
    k.set('2025-10-15T10:29:59Z');
    expect(k.opt.getBudgetStatus().hourly.current).toBe(4);
    k.set('2025-10-15T10:30:00Z');
    expect(k.opt.getBudgetStatus().hourly.current).toBe(0);
  });
  it('America/New_York: the month rolls at local midnight', () => {
    const ny = optimizerAt('2025-11-01T03:00:00Z', { timezone: 'America/New_York' }, { monthCost: 900 });
    ny.set('2025-11-01T04:00:00Z');
    expect(ny.opt.getBudgetStatus().monthly.current).toBe(0);
  });
});

describe('getBudgetStatus', () => {
  const statusCases: Array<{ hour: number; status: string }> = [
    { hour: 3, status: 'healthy' },
    { hour: 6, status: 'warning' },
    { hour: 8, status: 'critical' },
    { hour: 8.5, status: 'critical' },
    { hour: 10, status: 'over_budget' },
    { hour: 12, status: 'over_budget' },
  ];
  for (const c of statusCases) {
    it(`hour spend ${c.hour} of 10 → ${c.status}`, () => {
      const { opt } = optimizerAt('2025-10-15T10:30:00Z', {}, { hourCost: c.hour });
      const h = opt.getBudgetStatus().hourly;
      expect(h).toMatchObject({ budget: 10, current: c.hour, utilization: c.hour / 10, remaining: 10 - c.hour, status: c.status });
    });
  }
  it('the seed example: 7.5 of 10 is 75 % and warning', () => {
    const { opt } = optimizerAt('2025-10-15T10:30:00Z', { hourlyBudget: 10, dailyBudget: 200, monthlyBudget: 5000, costPerWorkerHour: 2 },
      { hourCost: 7.5, dayCost: 150, monthCost: 3500 });
    const s = opt.getBudgetStatus();
    expect(s.hourly.utilization).toBeCloseTo(0.75, 10);
    expect(s.hourly.status).toBe('warning');
  });
  it('projects with the known run-rate', () => {
    const { opt } = optimizerAt('2025-10-15T10:15:00Z', {}, { hourCost: 1, dayCost: 21, monthCost: 300 });
    opt.updateRunRate(6); // 3 workers at $2/h
    const s = opt.getBudgetStatus();
    expect(s.hourly.projected).toBeCloseTo(1 + 6 * 0.75, 10);
    expect(s.daily.projected).toBeCloseTo(21 + 6 * 13.75, 10);
    expect(s.monthly.projected).toBeCloseTo(300 + 6 * (16 * 24 + 13.75), 10);
  });
  it('projects with the observed rate until a fleet is known, elapsed floored at 10 % of the period', () => {
    const half = optimizerAt('2025-10-15T10:30:00Z', {}, { hourCost: 3 });
    expect(half.opt.getBudgetStatus().hourly.projected).toBeCloseTo(6, 10);
    const early = optimizerAt('2025-10-15T10:01:00Z', {}, { hourCost: 1 });
    expect(early.opt.getBudgetStatus().hourly.projected).toBeCloseTo(1 + 10 * (59 / 60), 10);
  });
  it('queries never change the status; only an update does', () => {
    const { opt } = optimizerAt('2025-10-15T10:15:00Z', {}, { hourCost: 1, dayCost: 21, monthCost: 300 });
    const before = opt.getBudgetStatus();
    opt.calculateCostScore(40, 20);
    opt.canScaleUp(20, 30);
    opt.shouldScaleDownForCost(20);
    opt.getCostRecommendations(20);
    expect(opt.getBudgetStatus()).toEqual(before);
    opt.updateRunRate(6);
    expect(opt.getBudgetStatus().hourly.projected).toBeCloseTo(1 + 6 * 0.75, 10);
    expect(() => opt.updateRunRate(-1)).toThrow(/dollarsPerHour.*-1/);
  });
  it('status follows actual spend, not the projection', () => {
    const { opt } = optimizerAt('2025-10-15T10:00:30Z', {}, { hourCost: 1 });
    opt.updateRunRate(40);
    const h = opt.getBudgetStatus().hourly;
    expect(h.projected).toBeGreaterThan(h.budget);
    expect(h.status).toBe('healthy');
  });
});

describe('alerts', () => {
  it('fire once per period instance at the threshold and again at 100 %', () => {
    const { opt, alerts, set } = optimizerAt('2025-10-15T10:00:00Z');
    opt.updateCosts({ hourCost: 8 });
    opt.getBudgetStatus();
    opt.updateCosts({ hourCost: 8.5 });
    opt.canScaleUp(1, 2);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ period: 'hourly', utilization: 0.8, threshold: 0.8, status: 'critical' });
    expect(alerts[0]?.at.toISOString()).toBe('2025-10-15T10:00:00.000Z');
    opt.updateCosts({ hourCost: 10 });
    opt.updateCosts({ hourCost: 11 });
    expect(alerts).toHaveLength(2);
    expect(alerts[1]).toMatchObject({ period: 'hourly', threshold: 1, status: 'over_budget' });
    set('2025-10-15T11:20:00Z');
    opt.updateCosts({ hourCost: 9 });
    expect(alerts).toHaveLength(3);
    expect(opt.getAlerts()).toEqual(alerts);
  });
  it('jumping straight over the budget raises one alert', () => {
    const { opt, alerts } = optimizerAt('2025-10-15T10:00:00Z', {}, { dayCost: 250 });
    expect(alerts.map((a) => [a.period, a.status])).toEqual([['daily', 'over_budget']]);
    opt.getBudgetStatus();
    expect(alerts).toHaveLength(1);
  });
  it('accrual crossing the threshold alerts', () => {
    const { opt, alerts } = optimizerAt('2025-10-15T10:00:00Z');
    for (let i = 0; i < 10; i++) opt.recordWorkerSeconds(1800); // $1 each
    expect(alerts.map((a) => a.status)).toEqual(['critical', 'over_budget']);
  });
  it('getAlerts is bounded', () => {
    const { opt, advance } = optimizerAt('2025-10-15T10:00:00Z', { dailyBudget: 1e9, monthlyBudget: 1e9 });
    for (let i = 0; i < 150; i++) {
      opt.updateCosts({ hourCost: 20 });
      advance(HOUR);
    }
    expect(opt.getAlerts()).toHaveLength(100);
  });
});

describe('getCostRecommendations', () => {
  it('warns per period, gives the overrun time, savings and the cost of one more', () => {
    const { opt } = optimizerAt('2025-10-15T10:30:00Z', {}, { hourCost: 8.5, dayCost: 100, monthCost: 1000 });
    const recs = opt.getCostRecommendations(3);
    expect(recs).toEqual([
      '⚠️ Approaching hourly budget limit: 85.0% of $10.00 spent',
      '⏰ At $6.00/hour the hourly budget ($10.00) runs out at 2025-10-15 10:45 UTC; projected $11.50 by the end of the hour',
      '💰 Scaling down by 1 worker would save $2.00/hour ($48.00/day)',
      expect.stringMatching(/^📊 Scaling up by 1 worker would cost \$2\.00\/hour \(\$48\.00\/day\) - not affordable now: Would exceed hourly budget/),
    ]);
  });
  it('says so when cost is low', () => {
    const { opt } = optimizerAt('2025-10-31T23:00:00Z');
    const recs = opt.getCostRecommendations(1);
    expect(recs).toContain('✅ Low cost utilization - can scale up if needed');
    expect(recs).toContain('📊 Scaling up by 1 worker would cost $2.00/hour ($48.00/day)');
  });
  it('flags a fleet whose run-rate is above the hourly budget', () => {
    const { opt } = optimizerAt('2025-10-31T23:59:00Z');
    expect(opt.getCostRecommendations(6)).toContain('⚠️ 6 workers cost $12.00/hour, more than the hourly budget $10.00');
  });
});

describe('ledger persistence', () => {
  it('export → import restores the current periods and does not re-alert', () => {
    const a = optimizerAt('2025-10-15T10:20:00Z', {}, { hourCost: 8.2, dayCost: 120, monthCost: 2000 });
    expect(a.alerts).toHaveLength(1);
    const json = a.opt.exportLedger();
    const b = optimizerAt('2025-10-15T10:40:00Z');
    expect(b.opt.importLedger(json)).toEqual(['hourly', 'daily', 'monthly']);
    const s = b.opt.getBudgetStatus();
    expect([s.hourly.current, s.daily.current, s.monthly.current]).toEqual([8.2, 120, 2000]);
    expect(b.alerts).toHaveLength(0);
  });
  it('a saved period that has ended is not restored', () => {
    const a = optimizerAt('2025-10-15T10:20:00Z', {}, { hourCost: 3, dayCost: 30, monthCost: 300 });
    const b = optimizerAt('2025-10-15T11:05:00Z');
    expect(b.opt.importLedger(a.opt.exportLedger())).toEqual(['daily', 'monthly']);
    expect(b.opt.getBudgetStatus().hourly.current).toBe(0);
  });
  it('rejects malformed ledgers', () => {
    const { opt } = optimizerAt('2025-10-15T10:20:00Z');
    expect(() => opt.importLedger('{')).toThrow(/not JSON/);
    expect(() => opt.importLedger('{"version":7,"periods":{}}')).toThrow(/version 1/);
    expect(() => opt.importLedger('{"version":1,"periods":{"daily":{"startMs":0,"endMs":1,"spend":-3,"alertLevel":0}}}')).toThrow(/periods\.daily/);
  });
});

describe('clock injection', () => {
  it('reads time only from the injected clock', () => {
    const { opt, alerts } = optimizerAt('2001-02-03T04:05:06Z', {}, { hourCost: 9 });
    expect(alerts[0]?.at.toISOString()).toBe('2001-02-03T04:05:06.000Z');
    // 2001-02: 28 days; the projection must be for that month, not the wall clock's.
    opt.updateRunRate(0);
    expect(opt.getBudgetStatus().monthly.projected).toBe(0);
    const json = JSON.parse(opt.exportLedger()) as { periods: { monthly: { startMs: number; endMs: number } } };
    expect(new Date(json.periods.monthly.startMs).toISOString()).toBe('2001-02-01T00:00:00.000Z');
    expect(json.periods.monthly.endMs - json.periods.monthly.startMs).toBe(28 * 24 * HOUR);
  });
  it('a period does not move backwards when the clock does', () => {
    const { opt, advance } = optimizerAt('2025-10-15T10:10:00Z', {}, { hourCost: 2 });
    advance(-20 * MINUTE);
    expect(opt.getBudgetStatus().hourly.current).toBe(2);
  });
});
