import { describe, it, expect } from 'vitest';
import { BUCKET_MINUTES, ForecastEnsemble, maxPending, type SeasonalSource } from '../src/autoscaling/forecast-ensemble.js';
import { ForecastMembers, MEMBER_NAMES, type MemberName } from '../src/autoscaling/forecast-members.js';
import { LocalLevelPrior, emptyVariogramState } from '../src/autoscaling/forecast-prior.js';
import { MinuteHistory } from '../src/autoscaling/minute-history.js';
import { WorkloadPredictor } from '../src/autoscaling/predictor.js';
import { Prng } from '../src/sim/prng.js';
import { poisson } from '../src/sim/forecast-synthetic.js';

const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 6, 8);

/** A stand-in for the seasonal model: no seasonality, its forecast a constant. */
class FlatSource implements SeasonalSource {
  lastMs: number | null = null;
  constructor(private readonly forecast: number) {}
  typicalIntervalMinutes(): number { return 1; }
  noiseSigma(): number { return 0; }
  meanSeasonal(): number { return 0; }
  windowParts(): { seasonal: number; forecast: number } { return { seasonal: 0, forecast: this.forecast }; }
}

/** Feeds minute samples (each covering the minute before it) from minute 1 on. */
function feedMinutes(ensemble: ForecastEnsemble, source: FlatSource, rates: readonly number[], fromMinute = 1): void {
  rates.forEach((rate, i) => {
    const end = T0 + (fromMinute + i) * MIN;
    source.lastMs = end;
    ensemble.observe(end - MIN, end, rate, end, source);
  });
}

const index = (name: MemberName): number => MEMBER_NAMES.indexOf(name);

describe('forecast ensemble: scoring without peeking', () => {
  it('scores a 5-minute window only once its 5 minutes have been observed, by its absolute error', () => {
    const ensemble = new ForecastEnsemble();
    const source = new FlatSource(10);
    // 10/min for 6 minutes, then 20/min.
    feedMinutes(ensemble, source, [10, 10, 10, 10, 10, 10, 20, 20, 20, 20]);
    const bucket = ensemble.state.buckets[0];
    // Issued at minutes 1…10, one per minute; those from minutes 1…5 have matured (at 6…10).
    expect(bucket?.scores[index('last')]).toBe(5);
    expect(bucket?.pendingStartMs).toHaveLength(5);
    // last-value issued 10 each time; actual means of [1,6), [2,7), …, [5,10): 10, 12, 14, 16, 18.
    expect(bucket?.error[index('last')]).toBeCloseTo((0 + 2 + 4 + 6 + 8) / 5, 12);
    // The stand-in seasonal model forecast 10 too: the same record.
    expect(bucket?.error[index('seasonal')]).toBeCloseTo(4, 12);
  });

  it('drops a window that a gap left less than half observed', () => {
    const ensemble = new ForecastEnsemble();
    const source = new FlatSource(10);
    feedMinutes(ensemble, source, [10, 10, 10]);
    // Next sample 30 minutes later: it covers at most gapMinutes of the windows issued at 1…3.
    const end = T0 + 33 * MIN;
    source.lastMs = end;
    ensemble.observe(end - MIN, end, 10, end, source);
    expect(ensemble.state.buckets[0]?.scores[index('last')]).toBe(0);
  });

  it('the members learn whole minutes only: 15-second samples move them once a minute, by the minute mean', () => {
    const ensemble = new ForecastEnsemble();
    const source = new FlatSource(10);
    const at15s = (i: number, rate: number): void => {
      const end = T0 + i * 15_000;
      source.lastMs = end;
      ensemble.observe(end - 15_000, end, rate, end, source);
    };
    [40, 0, 20].forEach((rate, i) => at15s(i + 1, rate));
    expect(ensemble.state.members.lastResidualRate).toBeNull();
    at15s(4, 60);
    expect(ensemble.state.members.lastResidualRate).toBe(30);
    at15s(5, 100);
    expect(ensemble.state.members.lastResidualRate).toBe(30);
  });

  it('keeps memory bounded: never more pending windows per bucket than its issue schedule allows', () => {
    const ensemble = new ForecastEnsemble();
    const source = new FlatSource(10);
    const rng = new Prng(3);
    const rates = Array.from({ length: 3000 }, () => poisson(rng, 50));
    // Samples every 15 s for the first part, then every minute.
    rates.slice(0, 400).forEach((rate, i) => {
      const end = T0 + (i + 1) * 15_000;
      source.lastMs = end;
      ensemble.observe(end - 15_000, end, rate, end, source);
    });
    feedMinutes(ensemble, source, rates.slice(400), 101);
    BUCKET_MINUTES.forEach((w, b) => {
      expect(ensemble.state.buckets[b]?.pendingStartMs.length).toBeLessThanOrEqual(maxPending(w));
    });
  });
});

/** Minute rates of a busy random walk (the rate wanders: last value wins) or of noise around a level (averaging wins). */
const REGIMES: { name: string; rates: (rng: Prng) => number; favoured: MemberName[] }[] = [
  {
    name: 'a busy rate that wanders: the fast members',
    rates: (() => { let log = Math.log(400); return (rng: Prng) => { log += 0.15 * rng.normal(); return poisson(rng, Math.exp(log)); }; })(),
    favoured: ['last', 'level-1m', 'level-3m', 'adaptive'],
  },
  {
    name: 'noise around a steady level: the slow members',
    rates: (rng: Prng) => poisson(rng, 20),
    favoured: ['level-10m', 'level-30m', 'level-2h'],
  },
];

describe('forecast ensemble: weights follow the measured error', () => {
  it.each(REGIMES)('$name get most of the weight after three hours', ({ rates, favoured }) => {
    const predictor = new WorkloadPredictor();
    const rng = new Prng(7);
    for (let i = 1; i <= 180; i++) {
      predictor.addSample({ timestamp: new Date(T0 + i * MIN), validationsPerMinute: rates(rng), queueDepth: 0, avgLatencySeconds: 1, activeWorkers: 1 });
    }
    const weights = predictor.forecastWeights(5);
    const total = Object.values(weights).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 9);
    expect(favoured.reduce((a, name) => a + weights[name], 0)).toBeGreaterThan(0.6);
  });

  it('forecasts with the seasonal model alone before any member has been scored', () => {
    const ensemble = new ForecastEnsemble();
    const source = new FlatSource(42);
    feedMinutes(ensemble, source, [10, 12]);
    expect(ensemble.forecastMean(0, 5, source)).toBe(42);
  });

  it('rejects a bad horizon for forecastWeights, naming it', () => {
    expect(() => new WorkloadPredictor().forecastWeights(-1)).toThrow(/horizonMinutes/);
  });
});

describe('forecast prior: a local-level fit to the variogram', () => {
  const cases: { name: string; rate: (rng: Prng, i: number) => number; better: number; worse: number }[] = [
    { name: 'a random walk: the last value beats a 2-hour level', rate: (() => { let x = 500; return (rng: Prng) => (x = Math.max(0, x + 20 * rng.normal())); })(), better: 1, worse: 1 - Math.exp(-1 / 120) },
    { name: 'white noise: a 2-hour level beats the last value', rate: (rng) => 500 + 20 * rng.normal(), better: 1 - Math.exp(-1 / 120), worse: 1 },
  ];
  it.each(cases)('$name', ({ rate, better, worse }) => {
    const history = new MinuteHistory();
    const done = { first: 0, count: 0, sum: 0 };
    const prior = new LocalLevelPrior(emptyVariogramState(BUCKET_MINUTES.length), BUCKET_MINUTES);
    const rng = new Prng(5);
    for (let i = 0; i < 300; i++) {
      history.credit(T0 + i * MIN, T0 + (i + 1) * MIN, rate(rng, i), done);
      prior.update(history, history.state.openMinute);
    }
    const bucket15 = BUCKET_MINUTES.indexOf(15);
    expect(prior.error(bucket15, better, 1)).toBeLessThan(prior.error(bucket15, worse, 1));
  });

  it('gives no prior for samples far apart (10-minute bins say nothing at a 1-minute lag)', () => {
    const prior = new LocalLevelPrior(emptyVariogramState(BUCKET_MINUTES.length), BUCKET_MINUTES);
    expect(prior.error(0, 1, 10)).toBeNaN();
  });
});

describe('forecast members', () => {
  it('a slow level takes a one-off burst in only up to 3 σ, a fast one follows it', () => {
    const members = new ForecastMembers();
    for (let i = 0; i < 120; i++) members.observe(10, 10, 1, 1);
    members.observe(100, 100, 1, 1);
    const out = new Float64Array(MEMBER_NAMES.length);
    members.forecast(0, 10, out);
    const rise = (name: MemberName): number => (out[index(name)] ?? 0) - 10;
    // Plain EWMAs would rise by 90 × (1 − e^(−1/τ)): 57 for 1 min, 8.6 for 10 min, 3.0 for 30 min.
    expect(rise('level-1m')).toBeCloseTo(90 * (1 - Math.exp(-1)), 6);
    expect(rise('level-10m')).toBeLessThan(0.5 * 90 * (1 - Math.exp(-1 / 10)));
    expect(rise('level-30m')).toBeLessThan(0.5 * 90 * (1 - Math.exp(-1 / 30)));
    expect(rise('last')).toBe(90);
  });
});
